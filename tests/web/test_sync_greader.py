"""The Google Reader API: ClientLogin, subscriptions, JSON and Atom streams, edit-tag; and
newsboat's FeedHQ backend as a real client (skipped with a reason where it is not installed)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.web.app import create_app
from tests.liveserver import serve_app
from tests.web.newsboat import Newsboat, needs_newsboat
from tests.web.test_sync_miniflux import EMAIL, NOW, PASSWORD, broadsheet

__all__ = ["broadsheet"]  # the fixture, shared with the Miniflux tests
BASE = "/api/greader"


def _login(client: TestClient) -> dict[str, str]:
    response = client.post(
        f"{BASE}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": PASSWORD}
    )
    assert response.status_code == 200
    auth = dict(line.split("=", 1) for line in response.text.strip().splitlines())["Auth"]
    return {"Authorization": f"GoogleLogin auth={auth}"}


def test_client_login_and_streams(broadsheet: Broadsheet) -> None:
    with TestClient(create_app(broadsheet)) as client:
        refused = client.post(f"{BASE}/accounts/ClientLogin", data={"Email": EMAIL, "Passwd": "no"})
        assert refused.status_code == 401
        assert client.get(f"{BASE}/reader/api/0/subscription/list").status_code == 401
        auth = _login(client)
        subs = client.get(f"{BASE}/reader/api/0/subscription/list?output=json", headers=auth).json()
        assert [s["title"] for s in subs["subscriptions"]] == ["Harbour Times", "Valley News"]
        feed = subs["subscriptions"][0]["id"]
        stream = client.get(f"{BASE}/reader/api/0/stream/contents/{feed}?n=2", headers=auth).json()
        assert [i["title"] for i in stream["items"]] == [
            "Harbour Times story 0",
            "Harbour Times story 1",
        ]
        assert stream["continuation"] == "2"
        first = stream["items"][0]
        assert first["id"].startswith("tag:google.com,2005:reader/item/")
        assert "steal" not in first["summary"]["content"]
        token = client.get(f"{BASE}/reader/api/0/token", headers=auth).text
        edited = client.post(
            f"{BASE}/reader/api/0/edit-tag", headers=auth,
            data={"i": [first["id"], "2"], "a": "user/-/state/com.google/read", "T": token},
        )  # fmt: skip
        assert edited.text == "OK"
        unread = client.get(
            f"{BASE}/reader/api/0/stream/items/ids?s=user/-/state/com.google/reading-list"
            "&xt=user/-/state/com.google/read", headers=auth,
        ).json()  # fmt: skip
        assert len(unread["itemRefs"]) == 4
        client.post(f"{BASE}/reader/api/0/edit-tag", headers=auth,
                    data={"i": "3", "a": "user/-/state/com.google/starred"})  # fmt: skip
        starred = client.get(
            f"{BASE}/reader/api/0/stream/contents/user/-/state/com.google/starred", headers=auth
        ).json()
        assert [i["title"] for i in starred["items"]] == ["Harbour Times story 2"]
        counts = client.get(f"{BASE}/reader/api/0/unread-count", headers=auth).json()
        assert [c["count"] for c in counts["unreadcounts"]] == [1, 3]
        atom = client.get(f"{BASE}/reader/atom/{feed}?n=5", headers=auth)
        assert atom.headers["content-type"].startswith("application/atom+xml")
        assert atom.text.count("<entry") == 3 and 'term="user/-/state/com.google/read"' in atom.text
        assert (
            client.get(f"{BASE}/reader/api/0/stream/contents/feed/999", headers=auth).status_code
            == 404
        )


@needs_newsboat
def test_newsboat_feedhq_backend(broadsheet: Broadsheet, tmp_path: Path) -> None:
    with serve_app(create_app(broadsheet)) as base:
        newsboat = Newsboat(
            tmp_path,
            f'urls-source "feedhq"\nfeedhq-show-special-feeds no\nfeedhq-url "{base}/api/greader"\n'
            f'feedhq-login "{EMAIL}"\nfeedhq-password "{PASSWORD}"\n',
        )
        printed, titles = newsboat.refresh()
        assert "6 unread articles" in printed, printed
        assert "Valley News story 2" in titles and len(titles) == 6
        reader, _ = broadsheet.store.get_user_by_email(EMAIL)
        broadsheet.store.read_marks.mark(reader.id, [1, 2, 3], read=True, now=NOW)
        newsboat.forget()
        printed, _ = newsboat.refresh()
        assert "3 unread articles" in printed, printed
