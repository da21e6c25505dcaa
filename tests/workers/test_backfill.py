"""Archive backfill: the pages of WARC files become stored articles once each, a page without a
date takes its capture date, and failures are counted with their reasons; on local processes and
on Ray (slow: Ray starts a local instance)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.storage import Store
from broadsheet.workers.backfill import BackfillReport, run_backfill
from tests.site import STORIES, article_page
from tests.warcs import write_warc

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"
CAPTURED = "2019-11-20T08:00:00Z"


def _archives(tmp_path: Path) -> list[Path]:
    undated = article_page(*STORIES[2]).replace(
        b'<meta property="article:published_time" content="2026-11-20T08:00:00+00:00">', b""
    )
    first = write_warc(tmp_path / "one.warc.gz", [
        (f"https://news.example/articles/{s}", "200 OK", article_page(s, t, b), HTML, CAPTURED)
        for s, t, b in STORIES[:2]
    ] + [
        ("https://news.example/empty", "200 OK", b"<html><body></body></html>", HTML, CAPTURED),
        ("https://news.example/logo.png", "200 OK", b"\x89PNG", "image/png", CAPTURED),
    ])  # fmt: skip
    second = write_warc(tmp_path / "two.warc.gz", [
        (f"https://news.example/articles/{STORIES[0][0]}", "200 OK",
         article_page(*STORIES[0]), HTML, CAPTURED),  # the same page captured again
        (f"https://news.example/articles/{STORIES[2][0]}", "200 OK", undated, HTML, CAPTURED),
    ])  # fmt: skip
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"not an archive at all\n")
    return [first, second, broken]


def _check(store: Store, report: BackfillReport, broken: Path) -> None:
    assert (report.files, report.pages, report.stored, report.duplicates) == (3, 5, 3, 1)
    reasons = dict(report.failures)
    assert set(reasons) == {"https://news.example/empty", str(broken)}
    assert "not a readable WARC file" in reasons[str(broken)]
    articles = {a.title: a for a in store.list_articles()}
    assert set(articles) == {t for _, t, _ in STORIES}
    assert articles[STORIES[2][1]].published == datetime(2019, 11, 20, 8, 0, tzinfo=UTC)
    assert articles[STORIES[0][1]].published == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_backfill_on_local_processes(store: Store, tmp_path: Path) -> None:
    seen: list[str] = []
    paths = _archives(tmp_path)
    report = run_backfill(store, paths, now=lambda: NOW, engine="local", workers=2,
                          progress=lambda done: seen.append(Path(done.path).name))  # fmt: skip
    _check(store, report, paths[2])
    assert sorted(seen) == ["broken.warc", "one.warc.gz", "two.warc.gz"]


@pytest.mark.slow
def test_backfill_on_ray(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'ray.sqlite3'}")
    try:
        paths = _archives(tmp_path)
        report = run_backfill(store, paths, now=lambda: NOW, engine="ray", workers=1)
        _check(store, report, paths[2])
    finally:
        store.close()
