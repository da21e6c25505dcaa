"""The packaged spaCy model reads the kinds of a story's names in their passages."""

from __future__ import annotations

from broadsheet.understand.entity_ner import NerTyper, default_typer


def test_the_model_tells_people_organisations_places_and_other_names() -> None:
    typer = default_typer()
    assert isinstance(typer, NerTyper)  # the model is a dependency: it must load
    kinds = typer.kinds(
        {
            "Tara Reid": ["Perennial party girl Tara Reid checked herself into rehab."],
            "Promises Treatment Center": ["She checked into Promises Treatment Center on Tuesday."],
            "Malibu": ["The clinic in Malibu, California, would not comment."],
            "American": ["The American actress was seen in Los Angeles."],
            "Moreover": ["Moreover, nobody was hurt."],
        }
    )
    assert kinds["Tara Reid"] == "person"
    assert kinds["Promises Treatment Center"] == "organisation"
    assert kinds["Malibu"] == "place"
    assert kinds["American"] is None  # a nationality: a name, but of none of the three kinds
    assert "Moreover" not in kinds  # not an entity at all: the caller's cues decide


def test_a_name_gets_the_kind_most_of_its_passages_give() -> None:
    typer = NerTyper()
    passages = [
        "Washington said on Monday that the talks would go on.",
        "The senator flew to Washington, D.C., on Tuesday.",
        "Crowds gathered in Washington for the march.",
    ]
    assert typer.kinds({"Washington": passages}) == {"Washington": "place"}
