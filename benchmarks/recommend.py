"""For you quality and speed: simulated readers over real article texts, or MIND-format logs.

Quality: simulated readers with hidden tastes (``broadsheet.rank.foryou.simulation``) over the
AllSides roundups (train + val; topics from k-means over TF-IDF) and ECB+ (its 43 gold topics), both
from ``../shared/bench/clustering`` (or ``$BROADSHEET_SHARED_DIR/bench/clustering``). Test
impressions are ranked by Broadsheet, a popularity baseline and a recency baseline in the same
run: AUC, MRR, nDCG@5, nDCG@10; then catalogue coverage and intra-list diversity of each method's
page. With ``--mind DIR`` the same evaluation runs on ``DIR/behaviors.tsv`` and ``DIR/news.tsv``.

Speed: p95 wall time to build one page (profile from 1,000 signals + scoring + shaping) over
100,000 synthetic candidates with co-reading, one process.

    uv run python benchmarks/recommend.py
    uv run python benchmarks/recommend.py --mind tests/rank/data/mind
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from broadsheet.rank.foryou import (
    Candidate,
    CandidateIndex,
    CoReading,
    HashingEmbedder,
    Signal,
    WordLlamaEmbedder,
    build_for_you,
    build_profile,
)
from broadsheet.rank.foryou.embed import Embedder
from broadsheet.rank.foryou.evaluation import METHODS, EvalReport, evaluate
from broadsheet.rank.foryou.mind import read_mind
from broadsheet.rank.foryou.signals import SignalKind
from broadsheet.rank.foryou.simulation import (
    CorpusDoc,
    SimulationConfig,
    derive_topics,
    read_allsides,
    simulate,
)

SEED = 20261123
ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    env = os.environ.get("BROADSHEET_SHARED_DIR")
    return Path(env) if env else ROOT.parent / "shared"


def load_ecbplus(base: Path) -> list[CorpusDoc]:
    from lxml import etree

    docs = []
    for path in sorted((base / "ecbplus" / "ECB+_LREC2014" / "ECB+").glob("*/*.xml")):
        lines: dict[int, list[str]] = defaultdict(list)
        for tok in etree.parse(str(path)).iter("token"):
            lines[int(tok.get("sentence", "0"))].append(tok.text or "")
        title, *body = (" ".join(lines[k]) for k in sorted(lines))
        topic = path.parent.name
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        docs.append(
            CorpusDoc(path.stem, f"ecb{topic}-{kind}", title, " ".join(body), f"ecb{topic}")
        )
    return docs


def load_corpus(base: Path, topics: int, splits: tuple[str, ...], ecb: bool) -> list[CorpusDoc]:
    rows = [r for s in splits for r in read_allsides(base / "allsides" / f"{s}.source", s)]
    labels = derive_topics([f"{t} {x}" for _, _, t, x in rows], topics, SEED)
    docs = [CorpusDoc(i, g, t, x, lab) for (i, g, t, x), lab in zip(rows, labels, strict=True)]
    return docs + (load_ecbplus(base) if ecb else [])


def embedder_named(name: str) -> Embedder:
    return HashingEmbedder(128) if name == "hashing" else WordLlamaEmbedder(128)


def print_report(report: EvalReport, seconds: float) -> None:
    print(f"impressions: {report.impressions}  ({seconds:.1f} s)")
    print("| method | AUC | MRR | nDCG@5 | nDCG@10 | coverage | diversity |")
    print("|---|---|---|---|---|---|---|")
    for m in METHODS:
        x = report.metrics[m]
        print(
            f"| {m} | {x['auc']:.4f} | {x['mrr']:.4f} | {x['ndcg@5']:.4f} | {x['ndcg@10']:.4f} "
            f"| {report.coverage[m]:.3f} | {report.diversity[m]:.3f} |"
        )


def synthetic_index(n: int, dim: int, now: datetime, rng: np.random.Generator) -> CandidateIndex:
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    topics = rng.integers(0, 40, size=(n, 3))
    entities = rng.integers(0, 20_000, size=(n, 5))
    ages = rng.uniform(0, 3 * 86_400, n)
    pops = rng.poisson(5, n)
    return CandidateIndex(
        [
            Candidate(
                f"a{i}",
                f"s{i // 3}",
                f"src{i % 500}",
                now - timedelta(seconds=float(ages[i])),
                tuple(f"t{t}" for t in topics[i, : 1 + i % 3]),
                tuple(f"e{e}" for e in entities[i]),
                float(pops[i]),
                vectors[i],
            )
            for i in range(n)
        ]
    )


def synthetic_signals(
    reader: str, n: int, index: CandidateIndex, now: datetime, rng: np.random.Generator
) -> list[Signal]:
    open_: list[SignalKind] = ["open"]
    read_end: list[SignalKind] = ["read_end"]
    kinds: list[SignalKind] = [*open_ * 14, *read_end * 4, "save", "hide", "more", "less"]
    out = [Signal(reader, "follow", f"t{k}", now, "topic") for k in range(5)]
    out += [Signal(reader, "follow", f"src{k}", now, "source") for k in range(5)]
    rows = rng.integers(0, len(index), size=n - len(out))
    for row in rows:
        at = now - timedelta(hours=float(rng.uniform(0, 24 * 60)))
        kind = kinds[int(rng.integers(len(kinds)))]
        out.append(Signal(reader, kind, index.candidates[int(row)].article_id, at))
    return out


def speed(candidates: int, signals: int, repeats: int, readers: int, dim: int = 128) -> float:
    rng = np.random.default_rng(SEED)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    t = time.perf_counter()
    index = synthetic_index(candidates, dim, now, rng)
    crowd = [s for r in range(readers) for s in synthetic_signals(f"r{r}", 40, index, now, rng)]
    coread = CoReading.fit(crowd)
    print(f"speed: index of {candidates} + co-reading built in {time.perf_counter() - t:.1f} s")
    mine = synthetic_signals("me", signals, index, now, rng)
    top = [f"s{k}" for k in range(0, candidates // 30, 100)]
    wall, cpu = [], []
    limits = threadpool_limits(1)  # one page, one core: the other serves the next request
    for k in range(repeats + 3):
        t, c = time.perf_counter(), time.thread_time()
        profile = build_profile("me", mine, index, now=now)
        page = build_for_you(profile, index, now=now, top_story_ids=top, limit=30, coread=coread)
        if k >= 3:
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    limits.unregister()
    assert len(page) == 30
    p50, p95 = np.percentile(wall, [50, 95])
    print(
        f"speed: page over {candidates} candidates ({dim}-dim), {signals} signals: "
        f"wall p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"CPU p95 {np.percentile(cpu, 95):.1f} ms ({repeats} pages, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return float(p95)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mind", type=Path, help="folder with MIND behaviors.tsv and news.tsv")
    ap.add_argument("--max-impressions", type=int, default=20_000)
    ap.add_argument("--embedder", choices=("wordllama", "hashing"), default="wordllama")
    ap.add_argument("--readers", type=int, default=400)
    ap.add_argument("--topics", type=int, default=30)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--speed-candidates", type=int, default=100_000, help="0: no speed run")
    ap.add_argument("--speed-signals", type=int, default=1000)
    ap.add_argument("--speed-repeats", type=int, default=100)
    ap.add_argument("--speed-dim", type=int, default=128, help="vector length of candidates")
    ap.add_argument("--speed-readers", type=int, default=3000, help="crowd for co-reading")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    if args.mind:
        data = read_mind(args.mind, max_impressions=args.max_impressions)
    else:
        base = shared_dir() / "bench" / "clustering"
        if not base.exists():
            print(f"no benchmark data at {base}", file=sys.stderr)
            return 2
        docs = load_corpus(base, args.topics, ("train", "val"), ecb=True)
        print(f"corpus: {len(docs)} articles, {len({d.story_id for d in docs})} stories")
        data = simulate(docs, SimulationConfig(readers=args.readers), seed=args.seed)
    print(
        f"data: {len(data.articles)} articles, {len(data.signals)} signals "
        f"({time.perf_counter() - t:.1f} s)"
    )
    t = time.perf_counter()
    report = evaluate(data, embedder_named(args.embedder), seed=args.seed)
    print_report(report, time.perf_counter() - t)
    p95 = (
        speed(
            args.speed_candidates,
            args.speed_signals,
            args.speed_repeats,
            args.speed_readers,
            args.speed_dim,
        )
        if args.speed_candidates > 0
        else float("nan")
    )
    ours, pop = report.metrics["broadsheet"], report.metrics["popularity"]
    print(f"ratio ndcg@10 broadsheet/popularity: {ours['ndcg@10'] / pop['ndcg@10']:.2f}")
    print(
        f"RESULT ndcg@10={ours['ndcg@10']:.4f} popularity_ndcg@10={pop['ndcg@10']:.4f} "
        f"page_p95_ms={p95:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
