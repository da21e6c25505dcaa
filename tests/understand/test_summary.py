from datetime import UTC, datetime, timedelta

from broadsheet.understand.summary import (
    StoryArticle,
    choose_headline,
    describe_story,
    distinctive_sentences,
    related_stories,
    story_vector,
    summarise,
    timeline,
)

T0 = datetime(2026, 2, 1, 8, tzinfo=UTC)
ARTICLES = [
    StoryArticle(
        2,
        "Chile earthquake: Arica shaken by magnitude 6.8 quake",
        "A magnitude 6.8 earthquake struck near Arica in northern Chile on Tuesday. "
        "Power was cut to thousands of homes in the port city. "
        "President Gabriel Boric said the army would help with repairs in Arica.",
        T0 + timedelta(hours=1),
        "Daily Planet",
    ),
    StoryArticle(
        1,
        "Magnitude 6.8 earthquake hits Arica in northern Chile",
        "A strong magnitude 6.8 earthquake hit Arica in northern Chile early on Tuesday. "
        "The navy ruled out a tsunami after checking sea levels along the coast. "
        "Gabriel Boric said the government was assessing damage to roads.",
        T0,
        "Wire Service",
    ),
    StoryArticle(
        3,
        "Earthquake in Chile",
        "The magnitude 6.8 earthquake in Arica, Chile, damaged homes on Tuesday. "
        "Local football club Arica United cancelled its weekend match against visitors from Lima.",
        T0 + timedelta(hours=3),
        "Sports Desk",
    ),
]


def test_describe_story_fills_every_field() -> None:
    content = describe_story(ARTICLES)
    assert "6.8" in content.headline
    assert 1 <= len(content.summary) <= 3
    assert content.first_article_id == 1 and content.first_reporter == "Wire Service"
    assert content.first_published == T0
    assert [e.id for e in content.timeline] == [1, 2, 3]
    assert content.outlets == ("Wire Service", "Daily Planet", "Sports Desk")
    assert "Gabriel Boric" in content.people
    assert "Arica" in content.places


def test_headline_is_the_most_typical_title() -> None:
    assert choose_headline(ARTICLES) != "Earthquake in Chile"
    assert choose_headline([StoryArticle(1, "", "Only a body sentence here. And more.")]) == (
        "Only a body sentence here."
    )


def test_summary_avoids_repeating_itself() -> None:
    summary = summarise(ARTICLES, n=3)
    assert len(summary) == len(set(summary))
    assert sum("6.8 earthquake" in s for s in summary) <= 2


def test_distinctive_sentences_are_what_only_one_outlet_says() -> None:
    found = {c.source: c.sentences for c in distinctive_sentences(ARTICLES)}
    assert any("football" in s for s in found["Sports Desk"])
    assert any("tsunami" in s for s in found["Wire Service"])
    assert distinctive_sentences(ARTICLES[:1]) == []


def test_timeline_puts_undated_articles_last() -> None:
    undated = StoryArticle(9, "t", "x")
    assert [e.id for e in timeline([undated, *ARTICLES])] == [1, 2, 3, 9]


def test_related_stories_rank_by_centre_similarity() -> None:
    centre = story_vector(ARTICLES)
    near = story_vector([StoryArticle(7, "Chile earthquake aftershock", "Arica aftershock.")])
    far = story_vector([StoryArticle(8, "Budget vote", "Council budget delayed.")])
    assert related_stories(centre, [(5, far), (4, near)]) == [
        (4, related_stories(centre, [(4, near)])[0][1])
    ]
