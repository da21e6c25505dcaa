"""Sections and entities of one article: declared sections mapped, inferred ones from the nearest
section description (with a fake embedder: words of each description count on its own axis)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from broadsheet.understand.topics import _DESCRIPTIONS as DESCRIPTIONS
from broadsheet.understand.topics import (
    SECTIONS,
    FullNames,
    Label,
    TopicLabeller,
    article_entities,
    canonical_section,
)

VOCAB = [set(d.split()) for d in DESCRIPTIONS.values()]


def fake_embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """One axis per section: how many of its description's words the text uses."""
    rows = np.array([[len(set(t.lower().split()) & v) for v in VOCAB] for t in texts], np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def sections(labels: list[Label]) -> list[str]:
    return [label.key for label in labels if label.kind == "section"]


def test_declared_sections_map_to_ours() -> None:
    assert canonical_section("Tech") == "technology"
    assert canonical_section("US Politics") == "politics"
    assert canonical_section("Arts & Culture") == "culture"
    assert canonical_section("Middle East") == "world"
    assert canonical_section("Sports/Football") == "sport"
    assert canonical_section("Opinion") is None
    assert canonical_section("") is None and canonical_section(None) is None


def test_declared_section_wins_and_an_unknown_one_is_kept_by_name() -> None:
    labeller = TopicLabeller(fake_embed)
    found = labeller.label([
        ("Match report", "The team won the league match", "Markets"),
        ("Leader", "Our view of the war and the border conflict", "Opinion  Pieces"),
    ])  # fmt: skip
    assert sections(found[0]) == ["business"]  # declared and mapped: nothing inferred
    assert found[1][0] == Label("section", "opinion pieces", "Opinion Pieces")
    assert sections(found[1])[1:] == ["world"]  # ours inferred beside it ("our view" of the week)


def test_sections_are_inferred_from_the_nearest_description() -> None:
    labeller = TopicLabeller(fake_embed)
    found = labeller.label([
        ("Cup final", "the coach said the team will win the league match this season", None),
        ("Vote", "senate democrats and republicans vote on the election campaign", None),
        ("Mixed", "the film and the match", None),
        ("", "", None),
    ])  # fmt: skip
    assert sections(found[0]) == ["sport"]
    assert sections(found[1]) == ["politics"]
    assert sorted(sections(found[2])) == ["culture", "sport"]  # a near tie keeps both
    assert found[3] == []  # no words, no evidence


def test_without_an_embedder_only_declared_sections_are_given() -> None:
    found = TopicLabeller(None).label([("Cup", "the team won the match", None),
                                       ("Cup", "the team won", "Sport")])  # fmt: skip
    assert found == [[], [Label("section", "sport", "Sport")]]


def test_entities_named_twice_or_in_the_headline() -> None:
    text = (
        "Hortensia Quill won the vote in Ohio on Sunday. Officials of the Electoral Commission "
        "said turnout rose. The Electoral Commission will publish figures. In Ohio, Quill "
        "thanked voters. The U.S. Senate took note, and the U.S. embassy. A Democratic aide spoke."
    )
    found = {label.name: label.kind for label in article_entities("Quill wins in Ohio", text)}
    assert found["Hortensia Quill"] == "person"
    assert found["Electoral Commission"] == "organisation"
    assert found["Ohio"] == "place"
    assert "Democratic" not in found and "Sunday" not in found
    assert all(kind in ("person", "organisation", "place") for kind in found.values())


def test_every_section_has_a_description() -> None:
    assert SECTIONS == ("politics", "world", "business", "technology", "science", "health",
                        "sport", "culture")  # fmt: skip


def test_entity_names_drop_titles_and_keep_new() -> None:
    text = (
        "President Joe Biden spoke in New Hampshire. Later President Joe Biden met Gov. Chris "
        "Sununu of New Hampshire."
    )
    found = [(x.kind, x.name) for x in article_entities("Biden in New Hampshire", text)]
    assert ("person", "Joe Biden") in found and ("place", "New Hampshire") in found
    assert not any(name.startswith("President") for _, name in found)


def test_names_that_share_letters_but_not_words_are_both_kept() -> None:
    text = "Hurricane Ida hit Florida. Ida weakened over Florida on Monday."
    names = [x.name for x in article_entities("Ida in Florida", text)]
    assert (
        "Florida" in names and "Hurricane Ida" in names
    )  # "ida" is in "florida", not a word of it


def test_a_surname_alone_takes_the_full_name_the_stream_gave() -> None:
    labeller = TopicLabeller(None)
    found = labeller.label([
        ("Vote", "President Trump spoke. President Trump left.", None),  # before any full name
        ("Rally", "Donald Trump spoke in Ohio. Donald Trump left Ohio.", None),
        ("Vote", "President Trump spoke. President Trump left.", None),
    ])  # fmt: skip
    people = [[x.name for x in labels if x.kind == "person"] for labels in found]
    assert people == [["Trump"], ["Donald Trump"], ["Donald Trump"]]
    full = FullNames(capacity=1)
    full.apply([Label("person", "donald trump", "Donald Trump")])
    full.apply([Label("person", "joe biden", "Joe Biden")])  # full: not learnt
    assert full.apply([Label("person", "biden", "Biden")]) == [Label("person", "biden", "Biden")]
