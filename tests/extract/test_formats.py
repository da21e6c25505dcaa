"""``render`` as JSON, Markdown and text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from broadsheet.extract.formats import render
from broadsheet.types import Author, ExtractedArticle, LeadImage

ARTICLE = ExtractedArticle(
    title="A title",
    text="First paragraph.\nA heading\nSecond one.",
    html=(
        '<figure><img src="https://x.example/a.jpg" alt="A"><figcaption>Cap.</figcaption></figure>'
        '<p>First <em>paragraph</em>.</p><h2>A heading</h2><p>Second <a href="https://x.example/">one</a>.</p>'
        "<ol><li>one</li><li>two</li></ol><blockquote><p>Quoted.</p></blockquote>"
    ),
    authors=(Author("Ann Lee", "Reporter"),),
    publisher="Paper",
    published=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
    lead_image=LeadImage("https://x.example/a.jpg", "Cap.", "Photo: B"),
    attribution="AP",
)


def test_json_carries_every_field_and_the_derived_ones() -> None:
    data = json.loads(render(ARTICLE, "json"))
    assert data["published"] == "2026-01-02T03:04:00+00:00"
    assert data["authors"] == [{"name": "Ann Lee", "role": "Reporter"}]
    assert data["lead_image"]["credit"] == "Photo: B"
    assert data["word_count"] == 6
    assert data["reading_minutes"] == 1


def test_markdown_follows_the_body_structure() -> None:
    markdown = render(ARTICLE, "markdown")
    assert markdown.startswith(
        "# A title\n\nAnn Lee (Reporter) · Paper · 2026-01-02T03:04:00+00:00 · via AP"
    )
    assert "![A](https://x.example/a.jpg)\n\n*Cap.*" in markdown
    assert "First *paragraph*." in markdown
    assert "## A heading" in markdown
    assert "Second [one](https://x.example/)." in markdown
    assert "1. one\n2. two" in markdown
    assert "> Quoted." in markdown


def test_text_is_title_facts_and_body() -> None:
    text = render(ARTICLE, "text")
    assert text.startswith("A title\n\nAnn Lee (Reporter)")
    assert text.endswith("First paragraph.\nA heading\nSecond one.\n")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(ARTICLE, "pdf")
