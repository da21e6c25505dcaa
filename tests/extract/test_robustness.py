"""Any input gives an article or a clear ``ExtractionError``, in bounded work: fuzzed bytes and
markup, deep nesting, and pages far larger than any article."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.exceptions import ExtractionError
from broadsheet.extract import extract
from broadsheet.extract.blocks import MAX_BLOCKS, iter_blocks
from broadsheet.extract.dom import MAX_BYTES, MAX_PARSED_CHARS, parse

PROSE = "<p>This paragraph is a plain sentence of prose, long enough to count as article text.</p>"
TAGS = st.sampled_from(
    ["p", "div", "span", "a", "article", "nav", "table", "td", "li", "ul", "script", "figure", "h2"]
)


def _outcome(page: str | bytes) -> str:
    try:
        return extract(page, url="https://example.org/a").text
    except ExtractionError as e:
        assert str(e)
        return ""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes(page: bytes) -> None:
    _outcome(page)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TAGS, st.text(max_size=40), st.booleans()), max_size=60))
def test_any_tag_soup(parts: list[tuple[str, str, bool]]) -> None:
    page = "".join(
        f"<{tag} class='x'>{text}" + (f"</{tag}>" if close else "") for tag, text, close in parts
    )
    _outcome(page + PROSE)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=3000))
def test_any_text(page: str) -> None:
    _outcome(page)


def test_deep_nesting_is_flattened_not_recursed() -> None:
    page = "<html><body>" + "<div>" * 100_000 + PROSE + "</div>" * 100_000
    _outcome(page)
    _outcome("<p>" + "<span>" * 200_000 + "x")
    _outcome("<table>" * 50_000)


def test_huge_page_is_cut_and_flagged() -> None:
    page = "<html><body>" + PROSE * (2 * MAX_PARSED_CHARS // len(PROSE)) + "</body></html>"
    article = extract(page)
    assert article.truncated
    assert len(article.text) < MAX_PARSED_CHARS


def test_scripts_do_not_count_against_the_size_cap() -> None:
    page = (
        f"<html><body>{PROSE}<script>{'var a=1;' * (MAX_PARSED_CHARS // 4)}</script></body></html>"
    )
    article = extract(page)
    assert not article.truncated
    assert "plain sentence" in article.text


def test_oversized_input_is_refused() -> None:
    try:
        extract(b" " * (MAX_BYTES + 1))
    except ExtractionError as e:
        assert "too large" in str(e)
    else:
        raise AssertionError("oversized page accepted")


def test_block_count_is_capped() -> None:
    root = parse("<body>" + "<p>x</p>" * (MAX_BLOCKS + 10) + "</body>").root
    assert len(iter_blocks(root)) == MAX_BLOCKS


def test_bytes_are_decoded_by_their_declared_charset() -> None:
    page = "<meta charset='windows-1252'><p>Caf\u00e9 owners said the new rules, which start in May, were fair.</p>"
    assert "Caf\u00e9" in extract(page.encode("cp1252")).text


_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=30)
    | st.sampled_from(["2020-01-01T00:00:00+01:00", "NewsArticle", "Person", "<p>x</p>", "By AP"])
)
_KEYS = st.sampled_from(
    ["@type", "@graph", "author", "name", "jobTitle", "image", "url", "caption", "headline",
     "articleBody", "datePublished", "publisher", "isAccessibleForFree", "inLanguage"]
)  # fmt: skip
_JSON = st.recursive(
    _LEAF, lambda c: st.lists(c, max_size=3) | st.dictionaries(_KEYS, c, max_size=6), max_leaves=30
)


@settings(max_examples=100, deadline=None)
@given(_JSON, st.text(max_size=40))
def test_any_structured_data(data: object, value: str) -> None:
    page = (
        f"<html lang='{value}'><head><meta name='author' content='{value}'>"
        f"<script type='application/ld+json'>{json.dumps(data)}</script></head>"
        f"<body><article>{PROSE}</article></body></html>"
    )
    _outcome(page)


def test_inline_images_do_not_count_against_the_size_cap() -> None:
    image = "<img src='data:image/png;base64," + "A" * 400_000 + "'>"
    page = f"<html><body>{image * 10}<article>{PROSE}</article></body></html>"
    article = extract(page)
    assert not article.truncated
    assert "plain sentence" in article.text


def test_unclosed_bulky_tags_are_stripped_in_linear_time() -> None:
    # A regular expression with a lazy ``.*?`` would rescan the page from every opening tag.
    page = "<p>x</p>" + "<script>" * (MAX_PARSED_CHARS // 8 + 10)
    _outcome(page)
    _outcome("<img src='data:" + "A" * 10 + "'" + "<img src='data:" * (MAX_PARSED_CHARS // 15))


def test_a_tree_of_too_many_elements_is_refused() -> None:
    from broadsheet.extract.dom import MAX_ELEMENTS

    try:
        extract("<p>" + "line<br>" * (MAX_ELEMENTS + 1) + "</p>")
    except ExtractionError as e:
        assert "too complex" in str(e)
    else:
        raise AssertionError("page of too many elements accepted")
