"""Hostile article HTML comes out harmless."""

from __future__ import annotations

import pytest

from broadsheet.extract.sanitize import sanitize_html

HOSTILE = [
    '<script>alert(1)</script><p>kept</p>',
    '<p onclick="steal()" onmouseover="x()">kept</p>',
    '<a href="javascript:alert(1)">kept</a>',
    '<a href="JaVaScRiPt:alert(1)">kept</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">kept</a>',
    '<img src="x" onerror="alert(1)"><p>kept</p>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg><p>kept</p>',
    '<iframe src="https://evil.example"></iframe><p>kept</p>',
    '<style>body{display:none}</style><p style="position:fixed">kept</p>',
    '<form action="https://evil.example"><input name="pw"></form><p>kept</p>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math><p>kept</p>',
    '<object data="x.swf"></object><embed src="x"><p>kept</p>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example"><p>kept</p>',
]  # fmt: skip


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_markup_is_neutralised(html: str) -> None:
    clean = sanitize_html(html).lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "<svg",
        "<iframe",
        "<style",
        "style=",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<meta",
        "data:",
    ):
        assert bad not in clean, (bad, clean)  # fmt: skip
    assert "kept" in clean


def test_article_structure_survives() -> None:
    html = (
        '<h2>Heading</h2><p>Para with <a href="https://x.example/a">link</a> and <em>em</em>.</p>'
        "<ul><li>one</li></ul><blockquote>quote</blockquote>"
        '<figure><img src="https://img.example/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
        "<table><tr><td>1</td></tr></table>"
    )
    clean = sanitize_html(html)
    for kept in (
        "<h2>",
        "<ul>",
        "<li>",
        "<blockquote>",
        "<figure>",
        "<figcaption>",
        "<table>",
        'src="https://img.example/a.jpg"',
        'rel="noopener noreferrer nofollow"',
    ):
        assert kept in clean  # fmt: skip
