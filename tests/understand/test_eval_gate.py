"""Evaluation gate: story clustering may not fall below the stored B-cubed F1 floors.

Reads ``../shared/bench/clustering`` beside the repository (or ``$BROADSHEET_SHARED_DIR``), runs
each set through ``run_cluster`` (the ``broadsheet cluster`` code path) in a fixed shuffled order,
and compares with ``eval_floors.json``. Skips with the reason when the benchmark data is absent.
"""

from __future__ import annotations

import io
import json
import os
import random
from collections import defaultdict
from pathlib import Path

import pytest

from broadsheet.understand.cluster_cli import run_cluster
from broadsheet.understand.text import strip_url_lines

HERE = Path(__file__).resolve().parent
FLOORS = json.loads((HERE / "eval_floors.json").read_text(encoding="utf-8"))
SEED = 20240501
Item = tuple[str, str, str, str]  # id, title, text, gold story


def bench_dir() -> Path:
    env = os.environ.get("BROADSHEET_SHARED_DIR")
    shared = Path(env) if env else HERE.parent.parent.parent / "shared"
    path = shared / "bench" / "clustering"
    if not path.is_dir():
        pytest.skip(f"benchmark data not found at {path} (set BROADSHEET_SHARED_DIR)")
    return path


def allsides_val() -> list[Item]:
    lines = (bench_dir() / "allsides" / "val.source").read_text(encoding="utf-8").splitlines()
    items = []
    for n, line in enumerate(lines):
        for k, part in enumerate(line.split(" [SEP] ")):
            title, _, body = part.partition("ARTICLE=>")
            items.append((f"{n}-{k}", title.replace("TITLE=>", "").strip(), body.strip(), str(n)))
    return items


def ecbplus() -> list[Item]:
    from lxml import etree

    root = bench_dir() / "ecbplus" / "ECB+_LREC2014" / "ECB+"
    items = []
    for path in sorted(root.glob("*/*.xml")):
        lines: dict[int, list[str]] = defaultdict(list)
        for tok in etree.parse(str(path)).iter("token"):
            lines[int(tok.get("sentence", "0"))].append(tok.text or "")
        text = strip_url_lines("\n".join(" ".join(lines[k]) for k in sorted(lines))).strip()
        title, _, body = text.partition("\n")
        kind = "plus" if path.stem.endswith("ecbplus") else "ecb"
        items.append((path.stem, title, body, f"{path.parent.name}-{kind}"))
    return items


def bcubed_f1(gold: list[str], pred: list[int]) -> float:
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[int, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    pairs = list(zip(gold, pred, strict=True))
    prec = sum(len(by_gold[g] & by_pred[p]) / len(by_pred[p]) for g, p in pairs) / len(gold)
    rec = sum(len(by_gold[g] & by_pred[p]) / len(by_gold[g]) for g, p in pairs) / len(gold)
    return 2 * prec * rec / (prec + rec)


def cluster(items: list[Item]) -> list[int]:
    lines = "".join(json.dumps({"id": i, "title": t, "text": x}) + "\n" for i, t, x, _ in items)
    out = io.StringIO()
    assert run_cluster(io.StringIO(lines), out) == 0
    return [json.loads(line)["story"] for line in out.getvalue().splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["allsides_val", "ecbplus"])
def test_bcubed_f1_stays_above_its_floor(name: str) -> None:
    items = {"allsides_val": allsides_val, "ecbplus": ecbplus}[name]()
    random.Random(SEED).shuffle(items)
    f1 = bcubed_f1([g for *_, g in items], cluster(items))
    assert f1 >= FLOORS[name], f"{name}: B-cubed F1 {f1:.4f} fell below the floor {FLOORS[name]}"
