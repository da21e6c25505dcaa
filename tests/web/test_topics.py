"""Topic pages in-process: sections and people from the articles' labels, the index of topics, an
article's topic links, and following a person."""

from __future__ import annotations

from broadsheet.core import Broadsheet
from tests.web.readerkit import add_article, new_reader, put_in_story


def test_an_article_links_to_its_section_and_people(broadsheet: Broadsheet) -> None:
    article = add_article(
        broadsheet, 1, "Quill wins the Ohio vote",
        "Hortensia Quill won the governor's race in Ohio. Quill thanked the voters of Ohio.",
        section="US Politics",
    )  # fmt: skip
    assert broadsheet.label_articles() == 1
    reader = new_reader(broadsheet)
    page = reader.get(f"/articles/{article}").text
    topics = page.split('aria-label="Topics of this article"')[1].split("</nav>")[0]
    assert 'href="/topics/politics"' in topics and ">Politics<" in topics
    assert 'href="/topics/hortensia%20quill"' in topics and 'href="/topics/ohio"' in topics
    person = reader.get("/topics/hortensia%20quill").text
    assert "Person" in person and "Quill wins the Ohio vote" in person
    assert "Sign in</a> to follow Hortensia Quill" in person


def test_the_topics_index_counts_this_weeks_labels(broadsheet: Broadsheet) -> None:
    add_article(broadsheet, 1, "Cup final", "The team won the match.", section="Sport")
    add_article(broadsheet, 2, "Derby", "The coach praised the players.", section="Football")
    broadsheet.label_articles()
    page = new_reader(broadsheet).get("/topics").text
    sport = page.split('href="/topics/sport"')[1].split("</li>")[0]
    assert ">Sport</a>" in sport and '<span class="meta">2</span>' in sport
    assert 'href="/topics/culture"' in page  # every section of ours, even an empty one


def test_following_a_person_fills_home_and_unknown_topics_are_empty(
    broadsheet: Broadsheet,
) -> None:
    add_article(broadsheet, 1, "Quill wins", "Hortensia Quill won. Hortensia Quill spoke.")
    add_article(broadsheet, 2, "Rain due", "Showers are expected on Sunday.")
    broadsheet.label_articles()
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    page = reader.get("/topics/hortensia%20quill").text
    assert "Follow Hortensia Quill" in page and 'name="kind" value="entity"' in page
    reader.post("/follow", {"kind": "entity", "key": "hortensia quill", "label": "Hortensia Quill",
                            "next": "/topics/hortensia%20quill"})  # fmt: skip
    assert "Following ✓" in reader.get("/topics/hortensia%20quill").text
    following = reader.get("/").text.split('id="following-h"')[1].split('id="latest-h"')[0]
    assert "Quill wins" in following and "Rain due" not in following
    empty = reader.get("/topics/nobody%20at%20all")
    assert empty.status_code == 200 and "No articles about Nobody At All yet" in empty.text


def test_topic_pages_fold_copies_into_also_in(broadsheet: Broadsheet) -> None:
    original = add_article(broadsheet, 2, "Wire story", "The team won the cup.", section="Sport")
    copy = add_article(broadsheet, 1, "Wire story again", "The team won the cup!", section="Sport")
    put_in_story(broadsheet, [original, copy], syndication_group=original)
    broadsheet.label_articles()
    page = new_reader(broadsheet).get("/topics/sport").text
    assert "Wire story" in page and "Wire story again" not in page
    assert "also in 1 outlet" in page


def test_a_story_page_links_to_the_topics_its_articles_share(broadsheet: Broadsheet) -> None:
    text = "Hortensia Quill won the vote in Ohio. Quill thanked Ohio."
    ids = [add_article(broadsheet, n, f"Quill wins {n}", text + f" Report {n}.", section="Politics")
           for n in (1, 2)]  # fmt: skip
    story = put_in_story(broadsheet, ids)
    broadsheet.label_articles()
    page = new_reader(broadsheet).get(f"/stories/{story}").text
    chips = page.split('aria-label="Topics of this story"')[1].split("</nav>")[0]
    assert chips.index('href="/topics/politics"') < chips.index('href="/topics/hortensia%20quill"')
    assert 'href="/topics/ohio"' in chips


def test_a_story_pages_names_link_to_their_topic_pages(broadsheet: Broadsheet) -> None:
    text = "Hortensia Quill won the vote in Ohio. Quill thanked Ohio. Hortensia Quill left Ohio."
    ids = [add_article(broadsheet, n, f"Quill wins {n}", text + f" Report {n}.") for n in (1, 2)]
    story = put_in_story(broadsheet, ids)
    broadsheet.label_articles()
    page = new_reader(broadsheet).get(f"/stories/{story}").text
    entities = page.split('<dl class="entities">')[1].split("</dl>")[0]
    assert '<a href="/topics/hortensia%20quill">Hortensia Quill</a>' in entities
