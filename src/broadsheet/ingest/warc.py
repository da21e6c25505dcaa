"""Pages from web archives: the HTML responses a WARC file (plain or gzip) holds, read with
``warcio``, as a crawler saved them. Nothing is fetched: archives are read as they are."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from broadsheet.exceptions import FetchError

__all__ = ["ArchivedPage", "iter_pages"]

MAX_PAGE_BYTES = 10 * 1024 * 1024  # as the fetcher's body cap: a bigger record is skipped


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    url: str
    body: bytes
    content_type: str
    fetched_at: datetime | None


def iter_pages(path: Path) -> Iterator[ArchivedPage]:
    """Every successful HTML response in the archive, in order; raises ``FetchError`` for a file
    that is not a WARC at all (a damaged record ends the file's pages, the ones before it stay)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    _check_head(path)
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, arc2warc=True):
                page = _page(record)
                if page is not None:
                    yield page
    except ArchiveLoadFailed as e:
        raise FetchError(f"{path.name} is not a readable WARC file: {e}") from e


def _check_head(path: Path) -> None:
    """Refuse a file that does not start as a WARC (or an older ARC) does: the reader would
    otherwise take any text for damaged records."""
    with path.open("rb") as stream:
        head = stream.read(2)
        stream.seek(0)
        if head == b"\x1f\x8b":
            try:
                head = gzip.GzipFile(fileobj=stream).read(16)
            except (OSError, EOFError) as e:
                raise FetchError(f"{path.name} is not a readable WARC file: {e}") from e
        else:
            head = stream.read(16)
    if not head.startswith((b"WARC/", b"filedesc://")):
        raise FetchError(f"{path.name} is not a readable WARC file: it does not start as one")


def _page(record: Any) -> ArchivedPage | None:  # a warcio ArcWarcRecord
    if getattr(record, "rec_type", None) != "response" or record.http_headers is None:
        return None
    headers = record.http_headers
    content_type = headers.get_header("Content-Type") or ""
    if headers.get_statuscode() != "200" or "html" not in content_type.lower():
        return None
    body = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if not url.startswith(("http://", "https://")):
        return None
    when = _when(record.rec_headers.get_header("WARC-Date"))
    return ArchivedPage(url, body, content_type, when)


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)
