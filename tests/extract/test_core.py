"""What a reader must get from the fixture pages, stated outright (the golden files hold the rest)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import broadsheet
from broadsheet.exceptions import ExtractionError
from broadsheet.extract import extract
from broadsheet.types import Author, ExtractedArticle

DATA = Path(__file__).parent / "data"


def _page(name: str, url: str | None = None) -> ExtractedArticle:
    return extract((DATA / f"{name}.html").read_bytes(), url=url)


def test_furniture_is_left_out_of_text_and_html() -> None:
    article = _page("news_article", "https://www.coastalherald.example/news/x")
    for noise in ("Share on Facebook", "Sign up", "Related stories", "Advertisement", "Sport"):
        assert noise not in article.text
        assert noise not in article.html
    assert "Storm damage bill" not in article.html
    assert "The Coastal Herald" not in article.text


def test_structure_is_kept_and_caption_shown_once() -> None:
    html = _page("news_article", "https://www.coastalherald.example/news/x").html
    for tag in ("<h2>", "<ul>", "<li>", "<blockquote>", "<table>", "<figure>", "<figcaption>"):
        assert tag in html
    assert html.count("Waves breach the harbour wall") == 1
    assert 'src="https://www.coastalherald.example/img/harbour-900.jpg"' in html
    assert "<h1>" not in html


def test_caption_is_not_body_text() -> None:
    article = _page("news_article")
    assert "Waves breach" not in article.text
    assert article.text.startswith("The stone wall")
    assert "A season already lost" in article.text.split("\n")


def test_metadata_from_structured_data() -> None:
    article = _page("news_article", "https://www.coastalherald.example/news/x")
    assert article.authors == (Author("Morwenna Pascoe", "Environment correspondent"),)
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.modified is not None and article.modified > article.published
    assert article.lead_image is not None
    assert article.lead_image.credit == "Photograph: Tom Kitto"
    assert article.section == "Local news"
    assert article.language == "en-GB"


def test_byline_role_and_first_publisher() -> None:
    article = _page("republished", "https://readwell.example/news/the-conversation/otters")
    assert article.authors == (
        Author("Aisling Byrne", "Lecturer in Freshwater Ecology, University of Galway"),
    )
    assert article.attribution == "originally published on The Conversation"
    assert "Sign up to read" not in article.text
    assert "Related Stories" not in article.text


def test_wire_story_is_attributed_to_the_agency() -> None:
    article = _page("wire_story", "https://valleycourier.example/news/national/rail")
    assert article.attribution == "AP"
    assert article.authors == (Author("Ellen Marsh", "Associated Press"),)
    assert "Most popular" not in article.text
    assert "All rights reserved" not in article.text


def test_several_articles_yield_the_one_of_the_url() -> None:
    url = "https://orchardweekly.example/2026/04/cider-makers-turn-to-old-varieties/"
    article = _page("endless_scroll", url)
    assert article.title == "Cider makers turn to old varieties"
    assert "heritage rootstock" in article.text
    assert "frost" not in article.text
    assert article.authors == (Author("Tomasz Wrona"),)
    first = _page(
        "endless_scroll",
        "https://orchardweekly.example/2026/04/late-frost-threatens-orchard-blossom/",
    )
    assert "frost candles" in first.text and "cider" not in first.text


def test_paywalled_page_is_flagged() -> None:
    article = _page("paywalled")
    assert article.truncated
    assert "Weiterlesen" not in article.text
    assert article.language == "de"


def test_microdata_body_wins_over_comments() -> None:
    article = _page("microdata_blog")
    assert "waiting list for the honey" in article.text
    assert "lovely post" not in article.text
    assert "Blog archive" not in article.text
    assert article.authors == (Author("Marta Quintela"),)


def test_library_entry_points() -> None:
    page = (DATA / "microdata_blog.html").read_bytes()
    assert broadsheet.extract(page).title == "Ten years of keeping bees on a city roof"
    importlib.import_module("broadsheet.extract.formats")  # sets ``broadsheet.extract``
    assert broadsheet.extract(page).word_count > 50
    assert broadsheet.clean_text("Title\nTT\nTitle\nSign up to read this article") == "Title"


@pytest.mark.parametrize(
    "page",
    [b"", b"   ", "<html><body></body></html>", "<nav><a href='/'>Home</a></nav>", b"\x00\xff\xfe"],
)
def test_pages_without_article_raise(page: str | bytes) -> None:
    with pytest.raises(ExtractionError):
        extract(page)


APP_SHELL = """<html><head><title>Night trains return</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Night trains return",
"articleBody": "Night trains are coming back to the continent's timetables after two decades of decline.\\n\\nOperators say demand from travellers avoiding short flights has doubled since 2019, and three new routes open in December.\\n\\nSleeper cars remain scarce, and the first trains are already fully booked."}
</script></head><body><div id="app"><nav><a href="/">Home</a></nav><p>Loading…</p></div></body></html>"""


def test_structured_body_when_scripts_render_the_text() -> None:
    article = extract(APP_SHELL)
    assert article.text.split("\n")[0].startswith("Night trains are coming back")
    assert len(article.text.split("\n")) == 3
    assert article.html.count("<p>") == 3


def test_lead_image_caption_and_credit_printed_on_the_page() -> None:
    page = """<html><head><meta property="og:image" content="https://cdn.example/p/quay-1200.jpg?w=1200">
    </head><body><article><h1>Quay reopens</h1>
    <figure><img src="/p/quay-1200.jpg"><figcaption>The quay on Monday morning.
    <span class="image-credit">Photo: Ana Ruiz</span></figcaption></figure>
    <p>The quay reopened on Monday after six months of repairs, the harbour board said in a statement.</p>
    </article></body></html>"""
    image = extract(page, url="https://news.example/quay").lead_image
    assert image is not None
    assert image.caption == "The quay on Monday morning."
    assert image.credit == "Photo: Ana Ruiz"


def test_a_figure_printed_twice_is_kept_once() -> None:
    figure = "<figure><img src='/a.jpg'><figcaption>The pier at dawn.</figcaption></figure>"
    page = f"<article>{figure}<p>{'The pier reopened on Monday after repairs, the council said. ' * 3}</p>{figure}</article>"
    html = extract(page).html
    assert html.count("<figure>") == 1
    assert html.count("The pier at dawn.") == 1


def test_structured_body_of_another_article_is_not_taken() -> None:
    body = "Orchards across the valley lost most of their blossom to frost this week. " * 20
    page = (
        (DATA / "endless_scroll.html")
        .read_text(encoding="utf-8")
        .replace(
            "</head>",
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "articleBody": "{body}"}}'
            "</script></head>",
        )
    )
    url = "https://orchardweekly.example/2026/04/cider-makers-turn-to-old-varieties/"
    article = extract(page, url=url)
    assert "heritage rootstock" in article.text
    assert "blossom to frost" not in article.text
