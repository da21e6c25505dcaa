"""Side-by-side body-extraction benchmark on ../shared/bench/extraction/scrapinghub.

Usage: ``uv run python benchmarks/extraction.py [--only NAME ...] [--write-readme] [--dump DIR]``

Every extractor runs in this one process on HTML already in memory, one after the other, so speeds
are comparable within a run. The metric is ``broadsheet.extract.evaluation`` (the benchmark's own).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from broadsheet.extract.evaluation import (
    BenchPage,
    bootstrap_f1,
    iter_bench_pages,
    score_page,
    summarize,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BROADSHEET_SHARED_DIR", ROOT.parent / "shared"))
BENCH = SHARED / "bench" / "extraction" / "scrapinghub"

Extractor = Callable[[BenchPage], str]
_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br", "pre")


def _broadsheet(page: BenchPage) -> str:
    from broadsheet.exceptions import ExtractionError
    from broadsheet.extract import extract

    try:
        return extract(page.html, url=page.url).text
    except ExtractionError:
        return ""


def _trafilatura(favor_precision: bool) -> Extractor:
    """Comments left out, as in the published figures (the benchmark's bodies hold none)."""

    def run(page: BenchPage) -> str:
        import trafilatura

        text = trafilatura.extract(
            page.html, url=page.url, favor_precision=favor_precision, include_comments=False
        )
        return text or ""

    return run


def _readability(page: BenchPage) -> str:
    import lxml.html
    from readability import Document

    summary = Document(page.html).summary(html_partial=True)
    if not summary.strip():
        return ""
    tree = lxml.html.fromstring(summary)
    for element in tree.iter(*_BLOCK_TAGS):  # keep words of adjacent blocks apart
        element.tail = "\n" + (element.tail or "")
    return str(tree.text_content())


def _resiliparse(page: BenchPage) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return str(extract_plain_text(HTMLTree.parse(page.html), main_content=True))


EXTRACTORS: dict[str, Extractor] = {
    "Broadsheet": _broadsheet,
    "trafilatura 2.3 favor_precision": _trafilatura(True),
    "trafilatura 2.3 default": _trafilatura(False),
    "readability-lxml 0.9 → text": _readability,
    "resiliparse 2.0 main_content": _resiliparse,
}


Row = tuple[str, list[str], float, float]


def _run(name: str, pages: list[BenchPage]) -> Row:
    """Texts, then pages per second of wall time and of this process's CPU time."""
    extractor = EXTRACTORS[name]
    extractor(pages[0])  # load modules outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    texts = [extractor(page) for page in pages]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return name, texts, len(pages) / wall, len(pages) / cpu


def _table(rows: list[Row], pages: list[BenchPage]) -> str:
    lines = [
        "| extractor | F1 | precision | recall | pages/s | pages/s of CPU time |",
        "|---|---|---|---|---|---|",
    ]
    for name, texts, speed, cpu_speed in rows:
        scores = [score_page(text, page.truth) for text, page in zip(texts, pages, strict=True)]
        total = summarize(scores)
        spread = bootstrap_f1(scores)
        lines.append(
            f"| {name} | {total.f1:.3f} ± {spread:.3f} | {total.precision:.3f} "
            f"| {total.recall:.3f} | {speed:.0f} | {cpu_speed:.0f} |"
        )
    return "\n".join(lines)


def _conditions(rows: list[Row]) -> str:
    speeds = {name: (speed, cpu) for name, _, speed, cpu in rows}
    ours, peer = speeds.get("Broadsheet"), speeds.get("trafilatura 2.3 favor_precision")
    ratio = (
        f" Broadsheet runs at {ours[0] / peer[0]:.1f}\u00d7 the pages/s of trafilatura "
        f"(favor_precision), {ours[1] / peer[1]:.1f}\u00d7 in CPU time."
        if ours and peer
        else ""
    )
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Measured {stamp}, load average {load} (the machine is shared).{ratio}"


def _write_readme(table: str, conditions: str) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    section = (
        "## Extraction\n\n"
        "Body text on `../shared/bench/extraction/scrapinghub` (181 pages), metric of "
        "`../shared/bench/README.md` (4-word shingles, mean precision and recall over pages, ± is "
        "the standard deviation of F1 over 1000 bootstrap resamples). One process, HTML in "
        "memory, all extractors in the same run: `uv run python benchmarks/extraction.py "
        "--write-readme`. Trafilatura runs with `include_comments=False`, as in the reference "
        "figures; readability's HTML becomes text with a line break after each block.\n\n"
        + table
        + "\n\n"
        + conditions
        + "\n"
    )
    pattern = re.compile(r"## Extraction\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--dump", type=Path, default=None)
    args = parser.parse_args(argv)
    if not BENCH.is_dir():
        print(f"benchmark data not found at {BENCH}", file=sys.stderr)
        return 2
    pages = list(iter_bench_pages(BENCH))
    names = [n for n in EXTRACTORS if not args.only or any(o in n for o in args.only)]
    rows = [_run(name, pages) for name in names]
    table = _table(rows, pages)
    print(table)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for page, text in zip(pages, rows[0][1], strict=True):
            (args.dump / f"{page.id}.txt").write_text(text, encoding="utf-8")
    conditions = _conditions(rows)
    print(conditions)
    if args.write_readme:
        _write_readme(table, conditions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
