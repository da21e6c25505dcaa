"""The reader's pages in-process: saved and history, search with highlights, picks on the home
page, source standing, follows and topics, theme, the installable app."""

from __future__ import annotations

import json
import re
import struct

from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from tests.conftest import Clock
from tests.web.readerkit import Reader, add_article, new_reader, put_in_story


def test_save_read_history_and_saved_pages(client: TestClient, broadsheet: Broadsheet) -> None:
    first = add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    second = add_article(broadsheet, 2, "Budget vote", "Parliament delayed the vote.")
    reader = Reader(client)
    reader.sign_up("ada@example.org")
    page = reader.get(f"/articles/{first}")
    assert "Save for later" in page.text and "data-saved" not in page.text
    saved = reader.post(f"/articles/{first}/save", {"next": f"/articles/{first}"})
    assert "Saved ✓" in saved.text and 'data-saved="1"' in saved.text
    reader.get(f"/articles/{second}")
    assert [m for m in re.findall(r'href="/articles/(\d+)"', reader.get("/saved").text)] == [
        str(first)
    ]
    history = reader.get("/history").text
    assert history.index("Budget vote") < history.index("Volcano erupts")
    reader.post("/history/clear")
    assert "Articles you read appear here" in reader.get("/history").text
    reader.post(f"/articles/{first}/unsave")
    assert "Nothing saved yet" in reader.get("/saved").text
    assert reader.post("/articles/999/save").status_code == 404


def test_signed_out_readers_see_articles_but_cannot_save(
    client: TestClient, broadsheet: Broadsheet
) -> None:
    first = add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    reader = Reader(client)
    assert "Sign in to save" in reader.get(f"/articles/{first}").text
    refused = reader.post(f"/articles/{first}/save")
    assert refused.status_code == 401


def test_search_highlights_escapes_and_filters(client: TestClient, broadsheet: Broadsheet) -> None:
    source, _ = broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="Tribune"
    )
    add_article(broadsheet, 1, "Volcano <b>erupts</b>", "Lava <script>alert(1)</script> reached the sea.",
                source_id=source.id, section="Science")  # fmt: skip
    add_article(broadsheet, 2, "Budget vote", "A volcano of protest.", section="Politics")
    page = client.get("/search", params={"q": "lava"})
    assert page.status_code == 200 and "1 result" in page.text
    assert "<mark>Lava</mark>" in page.text
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "&lt;b&gt;" in page.text  # a title's markup is text, never markup
    both = client.get("/search", params={"q": "volcano", "order": "date"})
    assert "2 results" in both.text
    assert both.text.index("Volcano") < both.text.index("Budget vote")
    politics = client.get("/search", params={"q": "volcano", "topic": "politics", "source": "",
                                             "since": "", "until": "", "lang": "en"})  # fmt: skip
    assert "1 result" in politics.text and "Budget vote" in politics.text
    by_source = client.get("/search", params={"q": "volcano", "source": str(source.id)})
    assert "1 result" in by_source.text
    dated = client.get("/search", params={"q": "volcano", "since": "2030-01-01"})
    assert "0 results" in dated.text
    assert client.get("/search", params={"q": '"AND OR (', "since": "garbage"}).status_code == 200
    assert "Filters" in client.get("/search").text


def test_editor_pins_a_pick_that_shows_on_home_until_it_ends(
    broadsheet: Broadsheet, clock: Clock
) -> None:
    article = add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    editor = new_reader(broadsheet)
    editor.sign_up("editor@example.org")
    form = editor.get(f"/admin?article={article}")
    assert f'value="{article}"' in form.text
    pinned = editor.post("/admin/picks", {"article_id": str(article), "note": "Our <best> read",
                                          "starts": "2026-11-23T11:00", "ends": "2026-11-23T14:00"})  # fmt: skip
    assert pinned.status_code == 200 and "(showing)" in pinned.text
    home = new_reader(broadsheet).get("/").text
    assert "Our picks" in home and "Our &lt;best&gt; read" in home
    clock.advance(hours=3)
    assert "Our picks" not in new_reader(broadsheet).get("/").text
    bad = editor.post("/admin/picks", {"article_id": str(article), "starts": "2026-11-23T11:00",
                                       "ends": "2026-11-23T10:00"})  # fmt: skip
    assert bad.status_code == 400 and "end after it starts" in bad.text
    assert editor.post("/admin/picks", {"note": "nothing"}).status_code == 400
    assert editor.post("/admin/picks", {"article_id": "9999"}).status_code == 404
    pick_id = broadsheet.store.curation.list_picks()[0].id
    editor.post(f"/admin/picks/{pick_id}/delete")
    assert broadsheet.store.curation.list_picks() == []


def test_editor_sets_source_standing(broadsheet: Broadsheet) -> None:
    source, _ = broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="T"
    )
    editor = new_reader(broadsheet)
    editor.sign_up("editor@example.org")
    editor.get("/admin")
    editor.post(f"/admin/sources/{source.id}/standing", {"weight": "2.5"})
    assert broadsheet.store.curation.standings() == {source.id: 2.5}
    for bad in ("-1", "11", "nan", "many"):
        response = editor.post(f"/admin/sources/{source.id}/standing", {"weight": bad})
        assert response.status_code == 400, bad
    reader = new_reader(broadsheet)
    reader.sign_up("reader@example.org")
    assert reader.post(f"/admin/sources/{source.id}/standing", {"weight": "3"}).status_code == 403


def test_follow_topics_and_sources_fill_the_following_section(broadsheet: Broadsheet) -> None:
    source, _ = broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="Tribune"
    )
    add_article(broadsheet, 1, "Volcano erupts", "Lava.", section="Science")
    add_article(broadsheet, 2, "From the Tribune", "News.", source_id=source.id)
    broadsheet.label_articles()
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    assert "Following" not in reader.get("/").text.split("<main", 1)[1].split("Latest")[0]
    topic = reader.get("/topics/science")
    assert "Volcano erupts" in topic.text and "Follow Science" in topic.text
    reader.post("/follow", {"kind": "topic", "key": "science", "next": "/topics/science"})
    assert "Following ✓" in reader.get("/topics/science").text
    reader.post("/follow", {"kind": "source", "key": str(source.id), "label": "Tribune"})
    home = reader.get("/").text
    following = home.split('id="following-h"')[1].split('id="latest-h"')[0]
    assert "Volcano erupts" in following and "From the Tribune" in following
    settings = reader.get("/settings").text
    assert "Tribune" in settings and "Unfollow" in settings
    reader.post("/follow", {"kind": "entity", "key": "Hortensia Quill"})
    add_article(broadsheet, 3, "Quill wins the vote", "Hortensia Quill was elected.")
    following = reader.get("/").text.split('id="following-h"')[1].split('id="latest-h"')[0]
    assert "Quill wins the vote" in following
    reader.post("/unfollow", {"kind": "topic", "key": "science"})
    assert "Follow Science" in reader.get("/topics/science").text
    assert reader.post("/follow", {"kind": "planet", "key": "x"}).status_code == 400


def test_theme_choice_renders_without_javascript(client: TestClient) -> None:
    reader = Reader(client)
    assert 'data-theme="auto"' in reader.get("/").text
    reader.post("/settings/theme", {"theme": "dark", "next": "/"})
    page = reader.get("/")
    assert 'data-theme="dark"' in page.text and "Light mode" in page.text
    reader.post("/settings/theme", {"theme": "<x>", "next": "/"})
    assert 'data-theme="dark"' in reader.get("/").text


def test_installable_app_manifest_icons_and_service_worker(client: TestClient) -> None:
    home = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    assert '<script src="/static/app.js" defer></script>' in home
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = json.loads(manifest.text)
    assert body["display"] == "standalone" and body["start_url"] == "/"
    for icon in body["icons"]:
        png = client.get(icon["src"])
        assert png.headers["content-type"] == "image/png"
        width, height = struct.unpack(">II", png.content[16:24])
        assert png.content.startswith(b"\x89PNG") and f"{width}x{height}" == icon["sizes"]
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and "javascript" in sw.headers["content-type"]
    assert "broadsheet-saved" in client.get("/static/app.js").text
    assert client.get("/offline").status_code == 200
    assert client.get("/icons/7.png").status_code == 404


def test_pages_stay_light_and_script_free_inline(
    client: TestClient, broadsheet: Broadsheet
) -> None:
    for n in range(40):
        add_article(broadsheet, n, f"Story number {n}", "Words " * 400)
    reader = Reader(client)
    reader.sign_up("ada@example.org")
    for path in ("/", "/articles/1", "/search?q=words", "/saved", "/history", "/settings", "/admin",
                 "/topics/science", "/signin", "/signup", "/reset"):  # fmt: skip
        page = reader.get(path)
        assert page.status_code == 200, path
        assert len(page.content) < 200_000, path
        assert not re.search(r"<script(?![^>]*\ssrc=)", page.text), path  # no inline script
        assert " style=" not in page.text and "<style" not in page.text, path
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", page.text), path  # no inline handlers


def test_reading_view_shows_the_story_copies_and_related(broadsheet: Broadsheet) -> None:
    now = broadsheet.now()
    ids = []
    for n, outlet in enumerate(("Tribune", "Post")):
        source, _ = broadsheet.store.add_source(f"https://{n}.example/f", now=now, title=outlet)
        ids.append(
            add_article(broadsheet, n, f"Volcano {outlet}", f"Lava {n}.", source_id=source.id)
        )
    story = broadsheet.store.stories.create_story(now)
    for article_id in ids:
        broadsheet.store.stories.record_assignment(
            article_id, story, now=now, syndication_group=1, headline="Volcano erupts"
        )
    page = new_reader(broadsheet).get(f"/articles/{ids[0]}").text
    assert f'href="/stories/{story}">Full coverage' in page
    assert "also in 1 outlet" in page and f'href="/articles/{ids[1]}">Post' in page


def test_top_stories_on_home_follow_new_coverage_and_standing(
    broadsheet: Broadsheet, clock: Clock
) -> None:
    now = broadsheet.now()
    sources = [
        broadsheet.store.add_source(f"https://{n}.example/f", now=now, title=f"Outlet {n}")[0].id
        for n in range(3)
    ]

    def cover(story: int, n: int, source: int, headline: str) -> None:
        article = add_article(broadsheet, n, f"{headline} {n}", f"Text {n}.", source_id=source)
        broadsheet.store.stories.record_assignment(article, story, now=now, headline=headline)

    quake, flood = (broadsheet.store.stories.create_story(now) for _ in range(2))
    cover(quake, 1, sources[0], "Quake")
    cover(flood, 2, sources[1], "Flood")

    reader = new_reader(broadsheet)

    def order() -> list[str]:
        home = reader.get("/").text
        top = home.split('id="top-h"')[1].split("</section>")[0]
        return sorted((h for h in ("Quake", "Flood") if h in top), key=top.index)

    assert set(order()) == {"Quake", "Flood"}
    cover(flood, 3, sources[2], "Flood")  # a second outlet: the flood leads at once
    assert order() == ["Flood", "Quake"]
    broadsheet.store.curation.set_standing(sources[0], 10.0, now=now)
    assert order()[0] == "Quake"
    calls: list[int] = []
    rank = broadsheet.top_stories
    broadsheet.top_stories = lambda **kw: calls.append(1) or rank(**kw)  # type: ignore[method-assign]
    order()
    assert calls == []  # nothing changed: the ranked list is reused
    clock.advance(minutes=1)
    order()
    assert calls == [1]  # a minute on, recency moved: ranked again


def test_sources_export_as_opml_from_the_web(client: TestClient, broadsheet: Broadsheet) -> None:
    broadsheet.store.add_source(
        "https://t.example/feed", now=broadsheet.now(), title="Tribune & Co"
    )
    assert 'href="/sources.opml"' in client.get("/sources").text
    exported = client.get("/sources.opml")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(
        "text/x-opml"
    )
    assert "attachment" in exported.headers["content-disposition"]
    assert (
        'xmlUrl="https://t.example/feed"' in exported.text and "Tribune &amp; Co" in exported.text
    )


def test_search_shows_a_syndicated_story_once(broadsheet: Broadsheet) -> None:
    original = add_article(broadsheet, 2, "Lava reaches the sea", "Lava reached the sea at dawn.")
    copy = add_article(broadsheet, 1, "Lava at the sea (wire)", "Lava reached the sea at dawn!")
    add_article(broadsheet, 3, "Lava tour", "A guided lava walk opens.")
    put_in_story(broadsheet, [original, copy], syndication_group=original)
    page = new_reader(broadsheet).get("/search", params={"q": "lava", "order": "date"}).text
    titles = re.findall(r'<h2><a href="/articles/(\d+)">', page)
    assert titles.count(str(original)) + titles.count(str(copy)) == 1 and len(titles) == 2
    assert "also in 1 outlet" in page
