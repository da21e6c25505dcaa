"""Story text: the headline, an extractive summary without repeats, named entities by kind, and
the sentences only one outlet reported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from broadsheet.understand.story_text import MemberText, analyse_story, choose_headline
from tests.outlets import COVERAGE


def _members(part: list[tuple[str, str, str, str]]) -> list[MemberText]:
    return [MemberText(outlet, title, body + ".") for outlet, _, title, body in part]


def test_quake_story() -> None:
    found = analyse_story(_members(COVERAGE[:3]))
    assert len(found.summary) == 3
    assert found.summary[0].startswith("A magnitude 7.1 earthquake struck near Antofagasta")
    assert sum("7.1" in s for s in found.summary) <= 2  # the same fact is not told three times
    assert set(found.places) >= {"Chile", "Antofagasta", "Calama"}
    assert found.organisations == ("SENAPRED",)
    only_andes = found.distinctive["andes-daily"]
    assert any("Buildings swayed" in s for s in only_andes)
    assert not any(
        "Buildings swayed" in s
        for o, v in found.distinctive.items()
        if o != "andes-daily"
        for s in v
    )


def test_people_organisations_and_places() -> None:
    text = (
        "Russian President Vladimir Putin is hosting his Iranian counterpart Masoud Pezeshkian on "
        "Friday in Moscow. Vladimir Putin and Masoud Pezeshkian signed the pact. The union "
        "Fellesforbundet was not involved. Neither was the Bank of England."
    )
    found = analyse_story([MemberText("wire", "Putin hosts Pezeshkian", text)])
    assert set(found.people) == {"Vladimir Putin", "Masoud Pezeshkian"}
    assert "Moscow" in found.places
    assert {"Fellesforbundet", "Bank of England"} <= set(found.organisations)
    assert found.distinctive == {}  # one outlet has nothing "only here"


def test_empty_and_tiny_input() -> None:
    assert analyse_story([]).summary == ()
    tiny = analyse_story([MemberText("a", "Short", "Too short.")])
    assert tiny.summary == () and tiny.people == ()


def test_headline_is_the_most_typical_title() -> None:
    members = [
        MemberText("Sports Desk", "Earthquake in Chile", ""),  # first, but the odd one out
        MemberText("Daily Planet", "Chile earthquake: Arica shaken by magnitude 6.8 quake", ""),
        MemberText("Wire Service", "Magnitude 6.8 earthquake hits Arica in northern Chile", ""),
        MemberText("Gazette", "Arica quake: magnitude 6.8 tremor in northern Chile", ""),
    ]
    chosen = choose_headline(members)
    assert (
        chosen in {m.title for m in members} and chosen != "Earthquake in Chile"
    )  # not the odd one
    only_body = [MemberText("", "", "Only a body sentence here. And more.")]
    assert choose_headline(only_body) == "Only a body sentence here."
    assert choose_headline([]) == ""


class ListedTyper:
    """A fake entity model: it knows the kinds it is given and nothing else, and keeps what it
    was asked to read."""

    def __init__(self, known: dict[str, str | None]) -> None:
        self.known = known
        self.read: dict[str, list[str]] = {}

    def kinds(self, passages: Mapping[str, Sequence[str]]) -> dict[str, str | None]:
        self.read = {name: list(texts) for name, texts in passages.items()}
        return {name: kind for name, kind in self.known.items() if name in passages}


def test_an_entity_model_decides_the_kinds_it_knows_and_the_cues_the_rest() -> None:
    text = (
        "Tara Reid checked into Promises Treatment Center in Malibu, her publicist Jack Ketsoyan "
        "said. The American Pie actress had been seen out in Malibu all year."
    )
    members = [MemberText(outlet, "Tara Reid enters rehab", text) for outlet in ("one", "two")]
    by_cues = analyse_story(members)
    assert "American Pie" in by_cues.people  # two capitalised words: a person, say the cues
    typer = ListedTyper({"American Pie": None, "Promises Treatment Center": "organisation"})
    found = analyse_story(members, typer=typer)
    assert "American Pie" not in found.people + found.organisations + found.places
    assert "Promises Treatment Center" in found.organisations
    assert {"Tara Reid", "Jack Ketsoyan"} <= set(found.people)  # unknown to it: the cues
    assert "Malibu" in found.places
    passage = typer.read["Promises Treatment Center"][0]
    assert "checked into Promises Treatment Center in Malibu" in passage
    assert len(typer.read["Malibu"]) <= 2  # a few passages a name, not every mention


def test_a_possessive_is_cut_back_to_the_name() -> None:
    text = "Crowds gathered in Malibu's main square. Later they marched in Malibu's harbour."
    found = analyse_story([MemberText(o, "Crowds gather", text) for o in ("one", "two")])
    assert found.places == ("Malibu",)


def test_a_surname_is_shown_as_the_full_name_the_story_gives() -> None:
    text = (
        "Arcade Joseph Comeaux Jr escaped from a prison van near Baytown. Comeaux took the guards' "
        "weapons. Police said Comeaux was seen in Houston. Comeaux is a convicted offender."
    )
    typer = ListedTyper({"Comeaux": "person", "Arcade Joseph Comeaux Jr": "person"})
    members = [MemberText(o, "Comeaux escapes", text) for o in ("one", "two")]
    assert analyse_story(members, typer=typer).people == ("Arcade Joseph Comeaux Jr",)
