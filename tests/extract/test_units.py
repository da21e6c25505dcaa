"""Small cases for the judgements inside the extractor, one concern per test group."""

from __future__ import annotations

from broadsheet.extract.blocks import iter_blocks
from broadsheet.extract.boilerplate import attribute_words, is_furniture_name
from broadsheet.extract.candidates import best_container
from broadsheet.extract.dom import Element, parse
from broadsheet.extract.jsonld import article_objects, text_value
from broadsheet.extract.scope import same_page
from broadsheet.extract.teasers import teaser_cards

SENTENCE = "This is a plain sentence of article prose, written to be long enough to count."


def _root(html: str) -> Element:
    return parse(html).root


# blocks


def test_mixed_element_is_cut_at_its_blocks_in_document_order() -> None:
    root = _root("<div>first words<p>a paragraph</p>last <b>words</b><br>after a break</div>")
    assert [b.text for b in iter_blocks(root)] == [
        "first words",
        "a paragraph",
        "last words after a break",
    ]


def test_link_share_and_sentences() -> None:
    (block,) = iter_blocks(_root(f"<p><a href='/x'>Linked words</a> and then {SENTENCE}</p>"))
    assert block.link_chars == len("Linked words")
    assert block.is_sentence and block.is_prose
    (label,) = iter_blocks(_root("<p>Share this</p>"))
    assert not label.is_sentence and not label.is_prose


# boilerplate


def test_class_names_are_split_into_words() -> None:
    root = _root(
        "<div class='shareBar' id='x'></div><div class='shareholder-letter'></div>"
        "<div class='article-footer'></div><div class='post-content ad-free'></div>"
    )
    share, holder, footer, content = root.iter("div")
    assert attribute_words(share) == {"share", "bar", "x"}
    assert is_furniture_name(share)
    assert not is_furniture_name(holder)
    assert is_furniture_name(footer)  # a strong word outweighs "article"
    assert not is_furniture_name(content)  # a weak word does not outweigh "content"


# candidates


def test_comment_thread_longer_than_the_article_is_not_the_body() -> None:
    comments = "".join(
        f"<div class='comment'><p>{SENTENCE} Comment {i}.</p></div>" for i in range(8)
    )
    root = _root(
        f"<body><div id='story'><p>{SENTENCE}</p><p>{SENTENCE}</p></div>"
        f"<div id='comments'>{comments}</div></body>"
    )
    found = best_container(root, iter_blocks(root))
    assert found is not None and found.element.get("id") == "story"


def test_body_narrows_past_a_short_bio_beside_the_article() -> None:
    story = "".join(f"<p>{SENTENCE}</p>" for _ in range(12))
    root = _root(f"<body><main><div id='story'>{story}</div><p>{SENTENCE}</p></main></body>")
    found = best_container(root, iter_blocks(root))
    assert found is not None and found.element.get("id") == "story"


# teasers


def test_a_run_of_headline_cards_is_teasers_but_an_article_list_is_not() -> None:
    cards = "".join(
        f"<li><a href='/s{i}'>Another story headline number {i}</a><span>{SENTENCE}</span></li>"
        for i in range(4)
    )
    items = "".join(
        f"<li><strong><a href='/s{i}'>A linked sentence opening item {i}</a>.</strong> {SENTENCE}</li>"
        for i in range(4)
    )
    root = _root(f"<ul id='more'>{cards}</ul><ol id='list'>{items}</ol>")
    found = teaser_cards(root)
    assert len(found) == 4
    assert all(card.getparent().get("id") == "more" for card in found)


# scope


def test_same_page_ignores_scheme_www_query_and_slash() -> None:
    assert same_page("https://www.site.example/a/b/?utm=1#top", "http://site.example/a/b")
    assert not same_page("https://site.example/a/b", "https://site.example/a/c")


# jsonld


def test_lenient_structured_data() -> None:
    root = _root(
        """<script type="application/ld+json">{"@graph": [{"@type": "WebSite"},
        {"@type": ["NewsArticle"], "headline": "Line one
        continues", "articleBody": "<p>Body &amp; more</p>",},]}</script>"""
    )
    (article,) = article_objects(root)
    assert text_value(article["articleBody"]) == "Body & more"
    assert text_value(article["headline"]) is not None


def test_hidden_and_collapsed_blocks_are_dropped() -> None:
    from broadsheet.extract.boilerplate import prune_tags

    root = _root(
        f"<div><p>{SENTENCE}</p><div class='collapse'><p>closed</p></div>"
        "<div class='collapse show'><p>opened</p></div><p hidden>hidden</p>"
        "<p style='display: none'>unseen</p></div>"
    )
    prune_tags(root)
    assert [b.text for b in iter_blocks(root)] == [SENTENCE, "opened"]
