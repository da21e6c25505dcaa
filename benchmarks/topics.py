"""Topic labels: how often the inferred section is right, and how fast articles are labelled.

Accuracy: the 98 Scrapinghub benchmark articles whose section we labelled by hand from their
addresses (``tests/understand/data/topic_sections.txt``), body text only, as the gate test does;
the confusion of the misses is printed. Speed: every AllSides train and val article (title and
lead) through ``TopicLabeller.label`` in batches of 500, as the labelling stage runs, after the
model is loaded; wall and CPU time.

    uv run python benchmarks/topics.py
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from broadsheet.workers.label_run import default_labeller

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench"


def accuracy() -> tuple[float, Counter[tuple[str, str | None]]]:
    pages = json.loads((SHARED / "extraction" / "scrapinghub" / "ground-truth.json").read_text())
    items, gold = [], []
    for line in (
        (ROOT / "tests" / "understand" / "data" / "topic_sections.txt").read_text().splitlines()
    ):
        fragment, section = line.split()
        (body,) = [p["articleBody"] for p in pages.values() if fragment in p["url"]]
        items.append(("", body, None))
        gold.append(section)
    found = default_labeller().label(items)
    first = [next((x.key for x in labels if x.kind == "section"), None) for labels in found]
    misses = Counter((g, f) for g, f in zip(gold, first, strict=True) if g != f)
    return sum(g == f for g, f in zip(gold, first, strict=True)) / len(gold), misses


def speed() -> tuple[int, float, float]:
    items = []
    for name in ("train.source", "val.source"):
        for line in (SHARED / "clustering" / "allsides" / name).read_text().splitlines():
            for part in line.split(" [SEP] "):
                title, _, body = part.partition(" ARTICLE=> ")
                items.append((title.replace("TITLE=> ", ""), body, None))
    labeller = default_labeller()
    labeller.label(items[:10])  # load the model outside the clock
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(items), 500):
        labeller.label(items[start : start + 500])
    return len(items), time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    share, misses = accuracy()
    print(f"section accuracy: {share:.3f} (misses: {dict(misses)})")
    count, wall, cpu = speed()
    print(f"labelled {count} articles in {wall:.2f} s wall, {cpu:.2f} s CPU: "
          f"{count / wall:.0f} articles/s ({count / cpu:.0f} per CPU second)")  # fmt: skip


if __name__ == "__main__":
    main()
