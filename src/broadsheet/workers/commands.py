"""The ingestion commands of the CLI: ``import-opml``, ``export-opml``, ``retry``, ``worker`` and
the health table of ``sources``. ``cli.py`` parses the arguments and opens the Broadsheet; these
do the work and print, so the CLI module stays small.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import IO, Any

from broadsheet.core import Broadsheet
from broadsheet.exceptions import BroadsheetError
from broadsheet.ingest.opml import ImportResult
from broadsheet.logs import configure_logging
from broadsheet.types import Source

__all__ = ["export_opml", "import_opml", "retry", "source_json", "sources_table", "worker"]


def source_json(source: Source) -> dict[str, Any]:
    """One source's health, as ``broadsheet sources --format json`` prints it."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "category": source.category,
        "status": source.status,
        "last_error": source.last_error,
        "paused_reason": source.paused_reason,
        "last_success": iso(source.last_success_at),
        "last_fetch": iso(source.last_fetched_at),
        "items_per_day": source.items_per_day,
        "next_fetch": iso(source.next_fetch_at),
    }


def sources_table(sources: list[Source], out: IO[str]) -> None:
    """The health table: status, source, items a day, last success, next fetch, last error."""
    from rich.console import Console
    from rich.table import Table

    table = Table("status", "source", "items/day", "last success", "next fetch", "last error")
    for s in sources:
        rate = "" if s.items_per_day is None else f"{s.items_per_day:g}"
        error = s.last_error or ""
        if s.paused_reason:
            error = f"{s.paused_reason}; {error}" if error else s.paused_reason
        table.add_row(
            s.status, s.url, rate, _when(s.last_success_at), _when(s.next_fetch_at), error
        )
    Console(file=out, width=200).print(table)


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"


def import_opml(broadsheet: Broadsheet, path: Path, out: IO[str], err: IO[str]) -> int:
    """Import an OPML file with a progress bar; every failed entry is listed with its reason."""
    from rich.progress import Progress

    try:
        document = path.read_bytes() if str(path) != "-" else sys.stdin.buffer.read()
    except OSError as e:
        raise BroadsheetError(f"cannot read {path}: {e.strerror}") from e
    from broadsheet.ingest.opml import parse_opml

    total = len(parse_opml(document))
    with Progress(console=_console(err), transient=False) as progress:
        task = progress.add_task("importing", total=total)

        def advance(_result: ImportResult) -> None:
            progress.advance(task)

        results = asyncio.run(broadsheet.import_opml(document, progress=advance))
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"failed  {result.entry.label}: {result.error}", file=err)
    print(f"imported {len(results) - len(failed)} of {len(results)} entries", file=out)
    return 1 if failed else 0


def _console(err: IO[str]) -> Any:
    from rich.console import Console

    return Console(file=err)


def export_opml(broadsheet: Broadsheet, path: str | None, out: IO[str]) -> int:
    document = broadsheet.export_opml()
    if path and path != "-":
        Path(path).write_bytes(document)
    else:
        out.write(document.decode("utf-8"))
    return 0


def retry(broadsheet: Broadsheet, targets: list[str], out: IO[str], err: IO[str]) -> int:
    """Unpause and fetch soon the sources named by id or URL (every paused one with no names)."""
    sources = broadsheet.list_sources()
    if not targets:
        chosen = [s for s in sources if s.status == "paused"]
    else:
        by_key = {str(s.id): s for s in sources} | {s.url: s for s in sources}
        missing = [t for t in targets if t not in by_key]
        for target in missing:
            print(f"no source {target}", file=err)
        chosen = [by_key[t] for t in targets if t in by_key]
    for source in chosen:
        broadsheet.retry_source(source.id)
        print(f"retry   {source.url}", file=out)
    return 1 if targets and len(chosen) < len(targets) else 0


def worker(broadsheet: Broadsheet, owner: str | None) -> int:
    """Fetch due sources until SIGINT or SIGTERM, then finish the sources in flight and stop."""
    configure_logging(broadsheet.settings.log_format)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await broadsheet.run_worker(owner=owner, stop=stop)

    asyncio.run(run())
    return 0
