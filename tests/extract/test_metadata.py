"""Bylines, times and attribution: the normalisations the golden files rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from broadsheet.extract.attribution import find_attribution
from broadsheet.extract.metadata import author_from_byline, parse_datetime
from broadsheet.types import Author


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        (
            "Scott Lucas, Professor of International Politics, University of Birmingham",
            Author("Scott Lucas", "Professor of International Politics, University of Birmingham"),
        ),
        (
            "By ROBERT BURNS, AP National Security Writer",
            Author("Robert Burns", "AP National Security Writer"),
        ),
        ("By ELLEN MARSH Associated Press", Author("Ellen Marsh", "Associated Press")),
        ("Jane Roe | November 18, 2019 12:01 PM Print this article", Author("Jane Roe")),
        ("Carrie ArnoldNovember 15, 2019", Author("Carrie Arnold")),
        (
            "Amy Kuperinsky | NJ Advance Media for NJ.com",
            Author("Amy Kuperinsky", "NJ Advance Media for NJ.com"),
        ),
        ("PTI", Author("PTI")),
    ],
)
def test_bylines(byline: str, author: Author) -> None:
    assert author_from_byline(byline) == author


def test_empty_or_absurd_bylines() -> None:
    assert author_from_byline("  By  ") is None
    assert author_from_byline("x" * 300) is None


def test_times_keep_their_zone_and_naive_ones_are_utc() -> None:
    assert parse_datetime("2019-11-20T04:31:13-0600") == datetime(
        2019, 11, 20, 4, 31, 13, tzinfo=timezone(timedelta(hours=-6))
    )
    assert parse_datetime("2019-11-19T13:03:00Z") == datetime(2019, 11, 19, 13, 3, tzinfo=UTC)
    assert parse_datetime("2025-09-07") == datetime(2025, 9, 7, tzinfo=UTC)
    assert parse_datetime("last Tuesday") is None
    assert parse_datetime("0001-01-01T00:00:00Z") is None
    assert parse_datetime(None) is None


@pytest.mark.parametrize(
    ("text", "attribution"),
    [
        ("WASHINGTON (AP) — Lawmakers agreed on Tuesday.", "AP"),
        ("LONDON (Reuters) - Shares fell.", "Reuters"),
        (
            "Body.\nThis article was originally published on The Conversation. Read the original article.",
            "originally published on The Conversation",
        ),
        ("Nothing to see here, a local story.", None),
    ],
)
def test_attribution(text: str, attribution: str | None) -> None:
    assert find_attribution(text) == attribution


def test_agency_byline_is_an_attribution() -> None:
    assert find_attribution("Shares fell.", [Author("Agence France-Presse")]) == "AFP"


def test_publisher_as_byline_and_junk_sections_are_dropped() -> None:
    from broadsheet.extract import extract

    page = """<html><head><meta property="og:site_name" content="BBC News">
    <meta name="author" content="BBC News"><meta property="article:section" content="gizmodo.com">
    </head><body><article><p>The quay reopened on Monday after six months of repairs, the board said.</p>
    </article></body></html>"""
    article = extract(page)
    assert article.authors == ()
    assert article.section is None
    page = page.replace("gizmodo.com", "U.S.")
    assert extract(page).section == "U.S."
