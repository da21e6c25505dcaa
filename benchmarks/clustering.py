"""Story clustering quality and speed.

Quality: AllSides (train/val) and ECB+ from ``../shared/bench/clustering`` (or
``$BROADSHEET_SHARED_DIR/bench/clustering``), each pooled and shuffled with a fixed seed, run
through ``run_cluster`` (the code path of ``broadsheet cluster`` and of live ingestion) beside a
TF-IDF average-linkage baseline whose one threshold is tuned on AllSides train. Prints B-cubed
precision/recall/F1, ARI, wall time and articles/s.

Speed: a synthetic replay of N articles (drawn from a fixed vocabulary with story structure and a
clock advancing so that about ``--window`` articles stay in the time window) at 10k/100k/(1M).

Pools: AllSides train cut into disjoint pools of 300 stories (about the size of val), each
clustered on its own; the mean B-cubed figures are what the choices in ``StoryConfig`` were made on.

    uv run python benchmarks/clustering.py quality
    uv run python benchmarks/clustering.py pools --pools 8
    uv run python benchmarks/clustering.py speed --sizes 10000 100000

Each takes ``--dense-weight W``, the sentence encoder's share of the cosine (``StoryConfig``'s
0.2 by default; 0 for words alone).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from broadsheet.understand.cluster_cli import run_cluster
from broadsheet.understand.stories import StoryConfig
from broadsheet.understand.text import strip_url_lines

SEED = 20240501
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    text: str
    gold: str


def shared_dir() -> Path:
    env = os.environ.get("BROADSHEET_SHARED_DIR")
    return Path(env) if env else ROOT.parent / "shared"


def load_allsides(split: str, base: Path | None = None) -> list[Item]:
    path = (base or shared_dir()) / "bench" / "clustering" / "allsides" / f"{split}.source"
    items: list[Item] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        for k, part in enumerate(line.split(" [SEP] ")):
            title, _, body = part.partition("ARTICLE=>")
            title = title.replace("TITLE=>", "").strip()
            items.append(Item(f"{split}{n}-{k}", title, body.strip(), f"{split}{n}"))
    return items


def load_ecbplus(base: Path | None = None) -> list[Item]:
    return [item for item, _ in ecbplus_documents(base)]


def ecbplus_documents(base: Path | None = None) -> Iterator[tuple[Item, Any]]:
    """Each ECB+ document as an item (text rebuilt from its tokens, address lines stripped, the
    first line its title, its topic's event its gold story) with its parsed XML."""
    from lxml import etree

    root = (base or shared_dir()) / "bench" / "clustering" / "ecbplus" / "ECB+_LREC2014" / "ECB+"
    for path in sorted(root.glob("*/*.xml")):
        tree = etree.parse(str(path))
        lines: dict[int, list[str]] = defaultdict(list)
        for tok in tree.iter("token"):
            lines[int(tok.get("sentence", "0"))].append(tok.text or "")
        text = strip_url_lines("\n".join(" ".join(lines[k]) for k in sorted(lines))).strip()
        title, _, body = text.partition("\n")
        topic = path.parent.name
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        yield Item(path.stem, title, body, f"{topic}-{kind}"), tree


def shuffled(items: Sequence[Item], seed: int = SEED) -> list[Item]:
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def bcubed(gold: Sequence[str], pred: Sequence[object]) -> tuple[float, float, float]:
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[object, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    prec = rec = 0.0
    for g, p in zip(gold, pred, strict=True):
        both = len(by_gold[g] & by_pred[p])
        prec += both / len(by_pred[p])
        rec += both / len(by_gold[g])
    prec, rec = prec / len(gold), rec / len(gold)
    return prec, rec, 2 * prec * rec / (prec + rec)


def ari(gold: Sequence[str], pred: Sequence[object]) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(list(gold), [str(p) for p in pred]))


def cluster_ours(items: Sequence[Item], config: StoryConfig | None = None) -> list[int]:
    infile = io.StringIO(
        "".join(
            json.dumps({"id": it.id, "title": it.title, "text": it.text}) + "\n" for it in items
        )
    )
    out = io.StringIO()
    run_cluster(infile, out, config=config)
    return [json.loads(line)["story"] for line in out.getvalue().splitlines()]


def baseline_linkage(items: Sequence[Item]):  # type: ignore[no-untyped-def]
    """TF-IDF of title twice + body, average linkage over 1 - cosine (the README's baseline)."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{it.title} {it.title} {it.text}" for it in items]
    x = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)
    dist = 1.0 - (x @ x.T).toarray()
    dist[dist < 0] = 0.0
    dist = (dist + dist.T) / 2.0
    for i in range(len(dist)):
        dist[i, i] = 0.0
    return linkage(squareform(dist, checks=False), method="average")


def baseline_cut(tree, threshold: float) -> list[int]:  # type: ignore[no-untyped-def]
    from scipy.cluster.hierarchy import fcluster

    return [int(c) for c in fcluster(tree, t=threshold, criterion="distance")]


def tune_baseline(items: Sequence[Item]) -> float:
    tree = baseline_linkage(items)
    gold = [it.gold for it in items]
    grid = [x / 100 for x in range(50, 96)]
    return max(grid, key=lambda t: bcubed(gold, baseline_cut(tree, t))[2])


def evaluate(name: str, items: Sequence[Item], threshold: float, config: StoryConfig | None):
    gold = [it.gold for it in items]
    rows = []
    t0 = time.perf_counter()
    pred = cluster_ours(items, config)
    wall = time.perf_counter() - t0
    rows.append(("ours", *bcubed(gold, pred), ari(gold, pred), wall, len(items) / wall))
    t0 = time.perf_counter()
    pred = baseline_cut(baseline_linkage(items), threshold)
    wall = time.perf_counter() - t0
    rows.append(("tfidf-avg-link", *bcubed(gold, pred), ari(gold, pred), wall, len(items) / wall))
    for row in rows:
        print(
            f"{name:14s} {row[0]:15s} P={row[1]:.3f} R={row[2]:.3f} F1={row[3]:.3f} "
            f"ARI={row[4]:.3f} wall={row[5]:.2f}s {row[6]:.0f} art/s",
            flush=True,
        )
    return rows


def quality(args: argparse.Namespace) -> dict[str, list[tuple[object, ...]]]:
    train = load_allsides("train")
    stories = sorted({it.gold for it in train})
    keep = set(random.Random(SEED).sample(stories, 800))
    tune_set = shuffled([it for it in train if it.gold in keep])
    threshold = tune_baseline(tune_set)
    print(f"baseline threshold tuned on 800 AllSides train stories: {threshold:.2f}")
    sets = {
        "allsides-train": shuffled(train),
        "allsides-val": shuffled(load_allsides("val")),
        "ecbplus": shuffled(load_ecbplus()),
    }
    if not args.train:
        del sets["allsides-train"]
    config = _config(args)
    return {name: evaluate(name, items, threshold, config) for name, items in sets.items()}


def _config(args: argparse.Namespace) -> StoryConfig:
    return StoryConfig(dense_weight=args.dense_weight)


def train_pools(count: int, size: int = 300, seed: int = 7) -> list[list[Item]]:
    """Disjoint pools of ``size`` AllSides train stories, each shuffled like the other sets."""
    train = load_allsides("train")
    stories = sorted({it.gold for it in train})
    random.Random(seed).shuffle(stories)
    pools = []
    for k in range(count):
        keep = set(stories[k * size : (k + 1) * size])
        pools.append(shuffled([it for it in train if it.gold in keep]))
    return pools


def pools(args: argparse.Namespace) -> tuple[float, float, float]:
    scores = []
    for k, items in enumerate(train_pools(args.pools)):
        scores.append(bcubed([it.gold for it in items], cluster_ours(items, _config(args))))
        print(f"pool {k}: P={scores[-1][0]:.3f} R={scores[-1][1]:.3f} F1={scores[-1][2]:.3f}")
    p, r, f = (sum(s[i] for s in scores) / len(scores) for i in range(3))
    print(f"mean over {len(scores)} pools: P={p:.3f} R={r:.3f} F1={f:.3f}", flush=True)
    return p, r, f


def synthetic_stream(n: int, per_day: int, seed: int = SEED):  # type: ignore[no-untyped-def]
    """Synthetic articles: stories of 1-12 articles drawn from story-specific and common words."""
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(50_000)]
    names = [f"Name{i}" for i in range(20_000)]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    step = timedelta(days=1) / per_day
    live: list[tuple[list[str], list[str], int]] = []
    for i in range(n):
        if not live or rng.random() < 0.3:
            live.append((rng.sample(vocab, 30), rng.sample(names, 4), rng.randint(1, 12)))
        k = rng.randrange(len(live))
        words, story_names, left = live[k]
        body = rng.choices(words, k=60) + rng.choices(vocab[:2000], k=140)
        body += [f"{rng.choice(story_names)} said." for _ in range(3)]
        title = " ".join(rng.sample(words, 6))
        live[k] = (words, story_names, left - 1)
        if left <= 1:
            live.pop(k)
        yield {
            "id": i,
            "title": title,
            "text": " ".join(body),
            "published": (start + i * step).isoformat(),
            "source": f"s{rng.randrange(500)}",
        }


def speed(args: argparse.Namespace) -> list[tuple[int, float, float, int]]:
    import resource

    results = []
    for n in args.sizes:
        window_days = StoryConfig().window / timedelta(days=1)
        per_day = int(args.window / window_days)
        # Lines are made as the clusterer reads them (a 1M-article replay would be ~3 GB of
        # JSON held in memory); generating them costs about 0.1 ms an article, counted in.
        lines = (json.dumps(r) + "\n" for r in synthetic_stream(n, per_day))
        load_before = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        run_cluster(_Lines(lines), _Discard(), config=_config(args))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        loads = "/".join(f"{x:.1f}" for x in os.getloadavg())
        results.append((n, wall, n / wall, rss))
        print(
            f"n={n:>8} wall={wall:.1f}s {n / wall:.0f} art/s (wall) {n / cpu:.0f} art/s (CPU, "
            f"{cpu / n * 1000:.2f} ms an article) max RSS {rss} MB load {load_before:.1f} "
            f"before, {loads} (1/5/15 min) after",
            flush=True,
        )
    return results


class _Lines(io.TextIOBase):
    """A read-only text stream over lines made on demand."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def readable(self) -> bool:
        return True


class _Discard(io.TextIOBase):
    """Output that is thrown away (the replay's answers are not read)."""

    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--train", action="store_true", help="also score AllSides train")
    pl = sub.add_parser("pools")
    pl.add_argument("--pools", type=int, default=8, help="disjoint 300-story pools (at most 8)")
    s = sub.add_parser("speed")
    s.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    s.add_argument("--window", type=int, default=100_000, help="articles in the time window")
    for command in (q, pl, s):
        command.add_argument(
            "--dense-weight",
            type=float,
            default=StoryConfig().dense_weight,
            help="share of the sentence encoder (0: words alone)",
        )
    args = parser.parse_args(argv)
    if args.what == "quality":
        quality(args)
    elif args.what == "pools":
        pools(args)
    else:
        speed(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
