"""With membership on, every path that shows an article walked as an anonymous reader, a free
reader over the limit, a trial reader and a member, in-process, on the test clock: the reading view,
search snippets, the JSON API, the Miniflux, Google Reader and Fever APIs, outgoing feeds, background fetches (the service
worker's offline copies), then the publisher report that counts the reads."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.types import ExtractedArticle
from broadsheet.web.app import create_app
from tests.conftest import Clock
from tests.web.readerkit import Reader, make_app

SECRET_WORD = "zeppelin"  # only in the second paragraph of every article: the gated part
BACKGROUND = {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors"}


def _body(n: int) -> tuple[str, str]:
    text = f"Opening line {n} for everyone.\nDeep-{n} paragraph with the {SECRET_WORD} inside."
    return text, "".join(f"<p>{p}</p>" for p in text.split("\n"))


@pytest.fixture
def site(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    bs = make_app(tmp_path, clock, membership_enabled=True, webhook_secret="whsec-test")
    daily, _ = bs.store.add_source("https://daily.example/feed", now=clock(), title="Daily News")
    weekly, _ = bs.store.add_source("https://weekly.example/feed", now=clock(), title="Weekly")
    for n in range(1, 7):
        text, html = _body(n)
        article = ExtractedArticle(title=f"Story {n}", text=text, html=html,
                                   standfirst=f"Standfirst {n}" if n != 6 else None)  # fmt: skip
        source = daily.id if n <= 4 else weekly.id
        bs.store.save_article(article, url=f"https://x.example/{n}", source_id=source, now=clock())
    yield bs
    bs.close()


def browser(bs: Broadsheet) -> Reader:
    return Reader(TestClient(create_app(bs), base_url="https://testserver"))


def full(reader: Reader, n: int) -> bool:
    page = reader.get(f"/articles/{n}")
    assert page.status_code == 200 and f"Opening line {n}" in page.text
    if f"Deep-{n}" in page.text:
        assert "Sign up to read this article" not in page.text
        return True
    assert "Sign up to read this article" in page.text or "Become a member" in page.text
    assert page.headers["cache-control"] == "no-store, private"
    assert "data-saved" not in page.text
    return False


def token(bs: Broadsheet, email: str) -> dict[str, str]:
    user = bs.store.get_user_by_email(email)[0]
    return {"Authorization": f"Bearer {bs.store.api_tokens.create(user.id, 't', now=bs.now())[1]}"}


def api_full(reader: Reader, headers: dict[str, str], n: int) -> bool:
    body = reader.client.get(f"/api/v1/articles/{n}", headers=headers).json()
    assert body["text"].startswith(f"Opening line {n}")
    assert body["paywall"] == (f"Deep-{n}" not in body["text"] + body["html"])
    return not body["paywall"]


def miniflux_full(reader: Reader, headers: dict[str, str]) -> set[int]:
    auth = {"X-Auth-Token": headers["Authorization"].split()[1]}
    entries = reader.client.get("/api/miniflux/v1/entries", headers=auth).json()["entries"]
    one = reader.client.get("/api/miniflux/v1/entries/6", headers=auth).json()
    assert ("Deep-6" in one["content"]) == any(
        e["id"] == 6 and "Deep-6" in e["content"] for e in entries
    )
    return {e["id"] for e in entries if f"Deep-{e['id']}" in e["content"]}


def greader_full(reader: Reader) -> set[int]:
    auth = {"Authorization": f"GoogleLogin auth={reader.client.cookies['bs_session']}"}
    path = "/api/greader/reader/api/0/stream/contents/user/-/state/com.google/reading-list"
    items = reader.client.get(path, headers=auth).json()["items"]
    return {n for n in range(1, 7) for i in items if f"Deep-{n}" in i["summary"]["content"]}


def fever_full(reader: Reader, headers: dict[str, str], email: str) -> set[int]:
    key = hashlib.md5(f"{email}:{headers['Authorization'].split()[1]}".encode()).hexdigest()
    found = reader.client.post("/api/fever/?api&items&since_id=0", data={"api_key": key}).json()
    return {i["id"] for i in found["items"] if f"Deep-{i['id']}" in i["html"]}


def search_full(reader: Reader) -> set[int]:
    page = reader.get(f"/search?q={SECRET_WORD}")
    assert page.status_code == 200
    return {n for n in range(1, 7) if f"Deep-{n}" in page.text}


def test_anonymous_reader_hits_the_paywall_on_every_path(site: Broadsheet, clock: Clock) -> None:
    anon = browser(site)
    assert search_full(anon) == set()  # snippets never spend or leak a free read
    assert [full(anon, n) for n in (1, 2, 3, 4, 5)] == [True, True, True, False, False]
    assert "bs_reader" in anon.client.cookies
    assert full(anon, 2)  # read already this month: costs nothing
    assert search_full(anon) == {1, 2, 3}
    page = anon.get("/articles/4")
    assert "Already a member?" in page.text and 'href="/signin?next=/articles/4"' in page.text
    assert "0 of 3 free articles left" in anon.get("/membership").text
    for fmt in ("json", "atom", "rss"):
        feed = anon.client.get(f"/feeds/latest.{fmt}").text
        assert "Opening line 1" in feed or "Standfirst 1" in feed
        assert "Deep-" not in feed and SECRET_WORD not in feed
    assert anon.client.get("/api/v1/articles/1").status_code == 401
    for path in ("/", "/sources/1", "/sources/2"):  # lists show no more than the preview
        assert "Deep-" not in anon.get(path).text, path
    kept = dict(anon.client.cookies)
    anon.client.cookies.clear()
    anon.client.cookies.set("bs_reader", "forged.0000")
    assert full(anon, 6)  # a forged cookie is a new reader, as one without cookies is
    clock.advance(days=40)  # a new calendar month: three free articles again
    fresh = browser(site)
    fresh.client.cookies.set("bs_reader", kept["bs_reader"])
    assert [full(fresh, n) for n in (4, 5, 6, 1)] == [True, True, True, False]


def test_background_fetches_are_not_reads(site: Broadsheet) -> None:
    anon = browser(site)
    first = anon.get("/articles/1")
    assert "2 free articles left this month" in first.text
    assert first.headers["cache-control"] == "private"
    fetched = anon.client.get("/articles/2", headers=BACKGROUND)  # e.g. cache.addAll offline
    assert "Deep-2" not in fetched.text and fetched.headers["cache-control"] == "no-store, private"
    again = anon.client.get("/articles/1", headers=BACKGROUND)
    assert "Deep-1" in again.text  # read already: the offline copy may keep it
    assert [full(anon, n) for n in (2, 3, 4)] == [True, True, False]  # the fetch spent nothing


def _sign_up(site: Broadsheet, email: str) -> Reader:
    reader = browser(site)
    assert reader.sign_up(email).status_code == 303
    return reader


def test_free_trial_member_and_the_publisher_report(site: Broadsheet, clock: Clock) -> None:
    admin = _sign_up(site, "admin@example.org")  # the first account is the admin
    free = _sign_up(site, "free@example.org")
    clock.advance(days=15)  # free@'s trial is over
    trial = _sign_up(site, "trial@example.org")
    member = _sign_up(site, "member@example.org")
    member_id = site.store.get_user_by_email("member@example.org")[0].id
    admin.get("/admin/membership")
    assert admin.post(f"/admin/membership/{member_id}/grant", {"until": ""}).status_code == 200

    # a free reader over the limit
    assert "3 of 3 free articles left" in free.get("/settings").text
    assert [full(free, n) for n in (1, 2, 3, 4)] == [True, True, True, False]
    assert "0 of 3 free articles left" in free.get("/settings").text
    free_api = token(site, "free@example.org")
    assert api_full(free, free_api, 1) and not api_full(free, free_api, 5)
    assert miniflux_full(free, free_api) == {1, 2, 3}
    assert greader_full(free) == {1, 2, 3}
    assert fever_full(free, free_api, "free@example.org") == {1, 2, 3}
    assert search_full(free) == {1, 2, 3}
    assert not full(free, 5)

    # a trial reader reads everything, and each read goes into the ledger once a day
    assert "free trial" in trial.get("/settings").text and "14 more days" in trial.get(
        "/settings").text  # fmt: skip
    assert all(full(trial, n) for n in range(1, 7)) and full(trial, 1)
    trial_api = token(site, "trial@example.org")
    assert api_full(trial, trial_api, 5) and miniflux_full(trial, trial_api) == set(range(1, 7))
    assert greader_full(trial) == set(range(1, 7))
    assert fever_full(trial, trial_api, "trial@example.org") == set(range(1, 7))
    assert search_full(trial) == set(range(1, 7))

    # a member
    assert "You are a <strong>member</strong>" in member.get("/settings").text
    assert full(member, 1) and full(member, 5)
    assert member.client.get("/articles/6", headers=BACKGROUND).text.count("Deep-6") == 1

    assert 'href="/admin/membership"' in admin.get("/admin").text
    report = admin.get("/admin/membership")
    assert report.status_code == 200 and "<svg" in report.text and "Daily News" in report.text
    rows = list(csv.reader(io.StringIO(admin.get("/admin/membership/report.csv").text)))
    assert rows == [
        ["month", "publisher", "reads", "unique_readers", "share"],
        ["2026-12", "Daily News", "5", "2", "0.625000"],
        ["2026-12", "Weekly", "3", "2", "0.375000"],
        ["2026-12", "All publishers", "8", "2", "1.000000"],
    ]

    signed_out = member.post("/signout", follow_redirects=False)
    assert signed_out.headers["clear-site-data"] == '"cache", "storage"'
    member.sign_in("member@example.org")

    # the trial ends: back to the free limit, in the same month
    clock.advance(days=14)
    assert "3 of 3 free articles left" in trial.get("/settings").text
    assert [full(trial, n) for n in (1, 2, 3, 4)] == [True, True, True, False]
    assert full(member, 4)


def test_reader_pages_need_the_right_role(site: Broadsheet) -> None:
    _sign_up(site, "admin@example.org")
    reader = _sign_up(site, "reader@example.org")
    assert reader.get("/admin/membership").status_code == 403
    assert reader.get("/admin/membership/report.csv").status_code == 403
    assert reader.post("/admin/membership/1/grant", {"until": ""}).status_code == 403
    anonymous = browser(site)
    assert anonymous.get("/admin/membership", follow_redirects=False).status_code == 303


def test_membership_off_shows_everything(tmp_path: Path, clock: Clock) -> None:
    bs = make_app(tmp_path, clock)
    for n in range(1, 6):
        text, html = _body(n)
        bs.store.save_article(ExtractedArticle(title=f"S{n}", text=text, html=html),
                              url=f"https://x.example/{n}", source_id=None, now=clock())  # fmt: skip
    anon = browser(bs)
    assert all(full(anon, n) for n in range(1, 6))
    assert "Everything here is free to read" in anon.get("/membership").text
    assert "bs_reader" not in anon.client.cookies
    reader = browser(bs)
    reader.sign_up("ada@example.org")
    assert "clear-site-data" not in reader.post("/signout", follow_redirects=False).headers
    bs.close()


def test_admin_extends_and_ends(site: Broadsheet, clock: Clock) -> None:
    admin = _sign_up(site, "admin@example.org")
    reader = _sign_up(site, "reader@example.org")
    user_id = site.store.get_user_by_email("reader@example.org")[0].id
    admin.get("/admin/membership")
    assert admin.post(f"/admin/membership/{user_id}/extend", {"days": "7"}).status_code == 200
    clock.advance(days=20)  # 14 + 7 days of trial
    assert "1 more day" in reader.get("/settings").text
    bad = admin.post(f"/admin/membership/{user_id}/grant", {"until": "2000-01-01"})
    assert bad.status_code == 400 and "in the future" in bad.text
    assert admin.post(f"/admin/membership/{user_id}/grant", {"until": "2027-06-01"})
    assert "until Tuesday 01 June 2027" in reader.get("/settings").text
    admin.post(f"/admin/membership/{user_id}/end")
    assert "3 of 3 free articles left" in reader.get("/settings").text
    assert admin.post(f"/admin/membership/{user_id}/extend", {"days": "x"}).status_code == 400
    assert admin.post("/admin/membership/999/end").status_code == 404
    clock.advance(seconds=1)
    assert timedelta(0) < clock() - site.store.membership.get(user_id).updated_at  # type: ignore[union-attr]
