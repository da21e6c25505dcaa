"""How well a story page sorts its names into people, organisations and places.

ECB+ (``../shared/bench/clustering/ecbplus``) marks the people, organisations and places taking part
in each document's events, with their kind. Each of its gold stories (a topic's event) goes through
``analyse_story`` as a story page would, once with the cues alone and once with the entity model
(``entity_ner``); a listed name is judged where ECB+ marks a mention with exactly its words in one
of the story's documents (or, failing that, mentions of its words: a "Reid" for a listed "Tara
Reid", which the page shows for them): right when the kind matches (a country acting,
``HUMAN_PART_GPE``, may be a place or an organisation), wrong otherwise, including names of
things that are none of the three. Names ECB+ does not mark are counted but not judged.

    uv run python benchmarks/story_entities.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from clustering import ecbplus_documents

from broadsheet.understand.entity_ner import NerTyper
from broadsheet.understand.story_text import EntityTyper, MemberText, analyse_story

_GOLD_KINDS = {
    "HUMAN_PART_PER": {"person"},
    "HUMAN_PART_ORG": {"organisation"},
    "HUMAN_PART_GPE": {"place", "organisation"},
    "LOC_GEO": {"place"},
    "LOC_FAC": {"place"},
    "LOC_OTHER": {"place"},
}
Story = tuple[list[MemberText], dict[str, set[str]]]


def load_stories(base: Path | None = None) -> list[Story]:
    """ECB+'s gold stories: their documents as members, and each marked mention's kinds."""
    members: dict[str, list[MemberText]] = defaultdict(list)
    marked: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for item, tree in ecbplus_documents(base):
        members[item.gold].append(MemberText(item.id, item.title, item.text))
        tokens = {t.get("t_id"): (t.text or "") for t in tree.iter("token")}
        markables = tree.find("Markables")
        for markable in markables if markables is not None else ():
            anchors = [a.get("t_id") for a in markable.iter("token_anchor")]
            words = " ".join(tokens[a] for a in anchors if a in tokens)
            if words:
                marked[item.gold][words] |= _GOLD_KINDS.get(markable.tag, {"other"})
    return [(members[s], dict(marked[s])) for s in sorted(members)]


def judge(stories: Sequence[Story], typer: EntityTyper | None) -> dict[str, Counter[str]]:
    """Per kind: names listed, judged (ECB+ marks them), and right."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for members, marked in stories:
        found = analyse_story(members, typer=typer)
        for kind, names in (
            ("person", found.people),
            ("organisation", found.organisations),
            ("place", found.places),
        ):
            for name in names:
                counts[kind]["listed"] += 1
                kinds = _marks(name, marked)
                if kinds:
                    counts[kind]["judged"] += 1
                    counts[kind]["right"] += kind in kinds
    return counts


def _marks(name: str, marked: dict[str, set[str]]) -> set[str]:
    """The kinds ECB+ marks on the name, or where it marks only words of it ("Reid" for a
    listed "Tara Reid", which stands for them on the page), on those."""
    if name in marked:
        return marked[name]
    return {k for part, kinds in marked.items() if f" {part} " in f" {name} " for k in kinds}


def main() -> int:
    stories = load_stories()
    print(f"{len(stories)} ECB+ stories, {sum(len(m) for m, _ in stories)} documents")
    for label, typer in (("cues alone", None), ("entity model", NerTyper())):
        start = time.perf_counter()
        counts = judge(stories, typer)
        took = time.perf_counter() - start
        total: Counter[str] = sum(counts.values(), Counter())
        print(f"\n{label}: {took:.1f} s ({1000 * took / len(stories):.0f} ms a story)")
        for kind, c in [*sorted(counts.items()), ("all", total)]:
            share = c["right"] / c["judged"] if c["judged"] else 0.0
            print(
                f"  {kind:13s} listed {c['listed']:4d}  judged {c['judged']:4d}  "
                f"right {c['right']:4d}  wrong {c['judged'] - c['right']:4d}  precision {share:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
