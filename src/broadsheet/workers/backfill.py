"""Archive backfill: web archives (WARC files, years of them) turned into stored articles.

Reading and extracting run as Ray tasks, one per file: Ray rather than a scheduler of our own,
since it runs the same on a laptop and on a cluster (``RAY_ADDRESS`` names one) and retries a task
whose worker died. A local process pool does the same on one machine without Ray. Storing stays
in this process, the one writer, file by file, oldest article first, so that story assignment
sees time move forward. A page without a date of its own takes the archive's capture date, or it
would pass for today's news. A page that fails costs only itself: it is counted with its reason.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from broadsheet.exceptions import BroadsheetError
from broadsheet.extract import extract
from broadsheet.ingest.charset import decode_page
from broadsheet.ingest.warc import ArchivedPage, iter_pages
from broadsheet.storage import Store
from broadsheet.types import ExtractedArticle

__all__ = ["ArchiveExtract", "BackfillReport", "extract_archive", "run_backfill"]

log = logging.getLogger(__name__)
Engine = Literal["ray", "local"]


@dataclass(frozen=True, slots=True)
class ArchiveExtract:
    """One archive's articles (address, article) and failures (address or file, reason)."""

    path: str
    articles: tuple[tuple[str, ExtractedArticle], ...]
    failures: tuple[tuple[str, str], ...]
    pages: int


@dataclass(frozen=True, slots=True)
class BackfillReport:
    files: int
    pages: int
    stored: int
    duplicates: int  # already stored (same address or same text)
    failures: tuple[tuple[str, str], ...]


def extract_archive(path: str) -> ArchiveExtract:
    """Every HTML page of the archive extracted; runs in a Ray task or a worker process."""
    articles: list[tuple[str, ExtractedArticle]] = []
    failures: list[tuple[str, str]] = []
    pages = 0
    try:
        for page in iter_pages(Path(path)):
            pages += 1
            try:
                articles.append((page.url, _article(page)))
            except BroadsheetError as e:
                failures.append((page.url, str(e)))
            except Exception as e:  # a bug in extraction costs this page, not the archive
                failures.append((page.url, f"extraction failed: {e.__class__.__name__}: {e}"))
    except BroadsheetError as e:
        failures.append((path, str(e)))
    return ArchiveExtract(path, tuple(articles), tuple(failures), pages)


def _article(page: ArchivedPage) -> ExtractedArticle:
    article = extract(decode_page(page.body, page.content_type), url=page.url)
    if article.published is None and page.fetched_at is not None:
        article = replace(article, published=page.fetched_at)
    return article


def run_backfill(
    store: Store, paths: Sequence[Path], *, now: Callable[[], datetime], engine: Engine = "ray",
    workers: int | None = None, progress: Callable[[ArchiveExtract], None] | None = None,
) -> BackfillReport:  # fmt: skip
    """Extract every archive on ``engine`` and store the articles as each archive finishes."""
    pages = stored = duplicates = 0
    failures: list[tuple[str, str]] = []
    run = _on_ray if engine == "ray" else _on_processes
    for result in run([str(p) for p in paths], workers or os.cpu_count() or 1):
        pages += result.pages
        failures.extend(result.failures)
        new, seen, failed = _store(store, result, now)
        stored, duplicates = stored + new, duplicates + seen
        failures.extend(failed)
        if progress is not None:
            progress(result)
    return BackfillReport(len(paths), pages, stored, duplicates, tuple(failures))


def _store(
    store: Store, result: ArchiveExtract, now: Callable[[], datetime]
) -> tuple[int, int, list[tuple[str, str]]]:
    new = seen = 0
    failed: list[tuple[str, str]] = []
    oldest_first = sorted(result.articles, key=lambda pair: _when(pair[1]))
    for url, article in oldest_first:
        try:
            saved = store.save_article(article, url=url, source_id=None, now=now())
        except BroadsheetError as e:
            failed.append((url, str(e)))
            continue
        new, seen = (new + 1, seen) if saved.created else (new, seen + 1)
    return new, seen, failed


def _when(article: ExtractedArticle) -> datetime:
    return article.published or datetime.max.replace(tzinfo=UTC)


def _on_ray(paths: Iterable[str], workers: int) -> Iterator[ArchiveExtract]:
    import ray  # heavy: only a backfill pays for it

    started = not ray.is_initialized()
    if started:
        if os.environ.get("RAY_ADDRESS"):
            ray.init(log_to_driver=False)  # a cluster: its own size
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        task = ray.remote(max_retries=2)(extract_archive)
        pending = [task.remote(p) for p in paths]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])
    finally:
        if started:
            ray.shutdown()


def _on_processes(paths: Iterable[str], workers: int) -> Iterator[ArchiveExtract]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for future in as_completed([pool.submit(extract_archive, p) for p in paths]):
            yield future.result()
