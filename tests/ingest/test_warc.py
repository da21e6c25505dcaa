"""Pages out of web archives: only successful HTML responses, with their capture date; a file
that is no archive says so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.exceptions import FetchError
from broadsheet.ingest.warc import iter_pages
from tests.warcs import write_warc

HTML = "text/html; charset=utf-8"


def test_only_successful_html_responses_are_pages(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", [
        ("https://news.example/a", "200 OK", b"<p>A</p>", HTML, "2019-11-20T08:00:00Z"),
        ("https://news.example/logo.png", "200 OK", b"\x89PNG", "image/png", "2019-11-20T08:00:01Z"),
        ("https://news.example/gone", "404 Not Found", b"<p>no</p>", HTML, "2019-11-20T08:00:02Z"),
        ("https://news.example/b", "200 OK", b"<p>B</p>", "text/html", "2019-11-21T09:30:00Z"),
    ])  # fmt: skip
    pages = list(iter_pages(path))
    assert [(p.url, p.body) for p in pages] == [
        ("https://news.example/a", b"<p>A</p>"), ("https://news.example/b", b"<p>B</p>"),
    ]  # fmt: skip
    assert pages[1].fetched_at == datetime(2019, 11, 21, 9, 30, tzinfo=UTC)


def test_a_file_that_is_no_archive_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"just some text, not an archive\n" * 10)
    with pytest.raises(FetchError, match="not a readable WARC file"):
        list(iter_pages(path))
