"""Syndication (near-duplicate) detection: pairwise precision and recall on generated copies.

Real article bodies (ECB+ full texts and the Scrapinghub ground-truth bodies from
``../shared/bench``) are the originals; a seeded generator republishes some of them the way outlets
do: another headline line, wire credit or boilerplate added at the top or bottom, the end trimmed,
a paragraph dropped, an editor's line added, a few words changed. ECB+ holds several articles by
different outlets on each event, so same-event, not-copied articles are there as hard negatives.
Everything is pooled, shuffled, and fed to ``SyndicationIndex.add`` one by one; a pair counts as
predicted when both land in one group, as true when one is a copy of the other, or both copies of
one original, or their originals are already copies of each other in the source data (exact
4-shingle containment >= 0.5: ECB+ prints some wire stories from several outlets).

    uv run python benchmarks/syndication.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))

from clustering import SEED, load_ecbplus, shared_dir

from broadsheet.understand.syndication import SyndicationConfig, SyndicationIndex

CONFIG = SyndicationConfig()

BOILERPLATE = (
    "Sign up for our morning newsletter to get the day's top stories.",
    "Copyright {year} The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "This article originally appeared on Reuters.",
    "Follow us on Facebook and Twitter for the latest updates.",
    "(Reporting by staff; Editing by the desk)",
    "Read more: our full coverage of the week's news.",
)
SWAPS = {"said": "says", "Monday": "on Monday", "percent": "per cent", "U.S.": "US"}


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    origin: str


def originals() -> list[tuple[str, str]]:
    out = [(it.id, f"{it.title}\n{it.text}") for it in load_ecbplus()]
    truth = shared_dir() / "bench" / "extraction" / "scrapinghub" / "ground-truth.json"
    if truth.exists():
        data = json.loads(truth.read_text(encoding="utf-8"))
        out += [(f"sh-{k}", v["articleBody"]) for k, v in sorted(data.items())]
    return [(i, t) for i, t in out if len(t.split()) >= 60]


def republish(text: str, rng: random.Random) -> str:
    """One realistic republication of ``text``."""
    paras = [p for p in text.split("\n") if p.strip()]
    if len(paras) > 4 and rng.random() < 0.5:
        paras = paras[: max(3, int(len(paras) * rng.uniform(0.5, 0.9)))]
    if len(paras) > 5 and rng.random() < 0.3:
        del paras[rng.randrange(1, len(paras) - 1)]
    if rng.random() < 0.4:
        paras.insert(
            rng.randrange(1, len(paras) + 1), "Editor's note: this story has been updated."
        )
    if rng.random() < 0.5:
        paras = [_swap_words(p, rng) for p in paras]
    if rng.random() < 0.6:
        paras.append(rng.choice(BOILERPLATE).format(year=2024))
    if rng.random() < 0.3:
        paras.insert(0, rng.choice(BOILERPLATE).format(year=2024))
    return "\n".join(paras)


def _swap_words(paragraph: str, rng: random.Random) -> str:
    for old, new in SWAPS.items():
        if rng.random() < 0.5:
            paragraph = paragraph.replace(old, new)
    return paragraph


def shingles(text: str) -> set[str]:
    tokens = re.findall(r"[^\W_]+", text.lower())
    return {" ".join(tokens[i : i + 4]) for i in range(max(len(tokens) - 3, 1))}


def natural_copies(docs: list[tuple[str, str]]) -> dict[str, str]:
    """Originals that are already copies of each other (ECB+ holds wire stories printed by
    several outlets): exact 4-shingle containment >= 0.5. Returns each original's group root."""
    sets = {i: shingles(t) for i, t in docs}
    posting: dict[str, list[str]] = defaultdict(list)
    for doc_id, sh in sets.items():
        for g in sh:
            posting[g].append(doc_id)
    overlap: Counter[tuple[str, str]] = Counter()
    for ids in posting.values():
        if len(ids) < 30:
            overlap.update(combinations(ids, 2))
    root = {i: i for i in sets}

    def find(x: str) -> str:
        while root[x] != x:
            x = root[x]
        return x

    for (a, b), n in overlap.items():
        if n / min(len(sets[a]), len(sets[b])) >= 0.5:
            root[find(a)] = find(b)
    return {i: find(i) for i in sets}


def make_pool(rng: random.Random) -> list[Doc]:
    pool: list[Doc] = []
    docs = originals()
    roots = natural_copies(docs)
    for doc_id, text in docs:
        pool.append(Doc(doc_id, text, roots[doc_id]))
        if rng.random() < 0.3:
            for k in range(rng.randint(1, 4)):
                pool.append(Doc(f"{doc_id}~{k}", republish(text, rng), roots[doc_id]))
    rng.shuffle(pool)
    return pool


def pairs(groups: Sequence[Sequence[int]]) -> set[tuple[int, int]]:
    return {(a, b) for g in groups for a, b in combinations(sorted(g), 2)}


def main() -> int:
    rng = random.Random(SEED)
    pool = make_pool(rng)
    index = SyndicationIndex(CONFIG)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    predicted: dict[object, list[int]] = defaultdict(list)
    for i, doc in enumerate(pool):
        match = index.add(doc.id, doc.text, start + timedelta(minutes=i))
        predicted[match.group_id].append(i)
    wall = time.perf_counter() - t0
    truth: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(pool):
        truth[doc.origin].append(i)
    p, t = pairs(list(predicted.values())), pairs(list(truth.values()))
    precision = len(p & t) / len(p) if p else 1.0
    recall = len(p & t) / len(t) if t else 1.0
    print(
        f"articles={len(pool)} groups={len(truth)} true pairs={len(t)} "
        f"predicted pairs={len(p)} precision={precision:.3f} recall={recall:.3f} "
        f"wall={wall:.2f}s {len(pool) / wall:.0f} art/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
