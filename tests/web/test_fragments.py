"""htmx answers in-process: with ``HX-Request`` the save, follow and signal forms get back the
changed part of the page (never a redirect, never cached); without it they redirect as before."""

from __future__ import annotations

from broadsheet.core import Broadsheet
from tests.web.readerkit import add_article, new_reader

HX = {"HX-Request": "true"}


def test_saving_in_place_returns_the_new_button(broadsheet: Broadsheet) -> None:
    article = add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    page = reader.get(f"/articles/{article}").text
    assert f'hx-post="/articles/{article}/save"' in page
    saved = reader.post(f"/articles/{article}/save", headers=HX, follow_redirects=False)
    assert saved.status_code == 200 and saved.headers["cache-control"] == "no-store"
    assert "<html" not in saved.text and 'data-saved="1"' in saved.text
    assert f'hx-post="/articles/{article}/unsave"' in saved.text and "Saved ✓" in saved.text
    assert broadsheet.store.reading.is_saved(1, article)
    removed = reader.post(f"/articles/{article}/unsave", headers=HX, follow_redirects=False)
    assert "Save for later" in removed.text and "data-saved" not in removed.text
    plain = reader.post(f"/articles/{article}/save", follow_redirects=False)
    assert plain.status_code == 303  # without JavaScript: the redirect, as before


def test_following_in_place_and_signals_noted(broadsheet: Broadsheet) -> None:
    article = add_article(broadsheet, 1, "Cup final", "The team won.", section="Sport")
    broadsheet.label_articles()
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    reader.get("/topics/sport")
    form = {"kind": "topic", "key": "sport", "label": "Sport", "next": "/topics/sport"}
    followed = reader.post("/follow", form, headers=HX, follow_redirects=False)
    assert followed.status_code == 200 and "Following ✓" in followed.text
    assert 'hx-post="/unfollow"' in followed.text and "<html" not in followed.text
    unfollowed = reader.post("/unfollow", form, headers=HX, follow_redirects=False)
    assert "Follow Sport" in unfollowed.text and 'hx-post="/follow"' in unfollowed.text
    noted = reader.post("/signals", {"kind": "hide", "target": str(article), "next": "/for-you"},
                        headers=HX, follow_redirects=False)  # fmt: skip
    assert noted.status_code == 200 and 'role="status"' in noted.text
    assert "Hidden from For you." in noted.text
    assert broadsheet.store.signals.count_for(1) >= 1


def test_a_source_page_has_a_follow_button(broadsheet: Broadsheet) -> None:
    source, _ = broadsheet.store.add_source("https://t.example/feed", now=broadsheet.now(),
                                            title="Tribune")  # fmt: skip
    reader = new_reader(broadsheet)
    assert "Follow Tribune" not in reader.get(f"/sources/{source.id}").text  # signed out
    reader.sign_up("ada@example.org")
    assert "Follow Tribune" in reader.get(f"/sources/{source.id}").text
    form = {"kind": "source", "key": str(source.id), "label": "Tribune",
            "next": f"/sources/{source.id}"}  # fmt: skip
    assert "Following ✓" in reader.post("/follow", form, headers=HX).text
    assert "Following ✓" in reader.get(f"/sources/{source.id}").text


def test_a_search_can_be_followed_and_fills_following(broadsheet: Broadsheet) -> None:
    add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    add_article(broadsheet, 2, "Budget vote", "Parliament delayed the vote.")
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    page = reader.get("/search", params={"q": "lava"}).text
    assert "Follow “lava”" in page and 'name="kind" value="search"' in page
    form = {"kind": "search", "key": "lava", "label": "“lava”", "next": "/search?q=lava"}
    assert "Following ✓" in reader.post("/follow", form, headers=HX).text
    assert "Following ✓" in reader.get("/search", params={"q": "lava"}).text
    following = reader.get("/").text.split('id="following-h"')[1].split('id="latest-h"')[0]
    assert "Volcano erupts" in following and "Budget vote" not in following
    assert 'href="/feeds/search.atom?q=lava"' in reader.get("/settings").text
