"""The Fever API, as Fever apps call it: api_key = md5("email:token")."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.web.app import create_app
from tests.web.test_sync_miniflux import EMAIL, NOW, broadsheet

__all__ = ["broadsheet"]  # the fixture, shared with the Miniflux tests


def _key(broadsheet: Broadsheet) -> str:
    user, _ = broadsheet.store.get_user_by_email(EMAIL)
    _, token = broadsheet.store.api_tokens.create(user.id, "reeder", now=NOW)
    return hashlib.md5(f"{EMAIL}:{token}".encode()).hexdigest()


def test_fever_auth_items_and_marks(broadsheet: Broadsheet) -> None:
    key = _key(broadsheet)
    with TestClient(create_app(broadsheet)) as client:
        refused = client.post("/api/fever/?api", data={"api_key": "0" * 32}).json()
        assert refused == {"api_version": 3, "auth": 0}
        feeds = client.post("/api/fever/?api&feeds&groups", data={"api_key": key}).json()
        assert feeds["auth"] == 1 and [f["title"] for f in feeds["feeds"]] == [
            "Harbour Times",
            "Valley News",
        ]
        first = client.post("/api/fever/?api&items&since_id=0", data={"api_key": key}).json()
        assert first["total_items"] == 6 and [i["id"] for i in first["items"]] == [1, 2, 3, 4, 5, 6]
        assert "steal" not in first["items"][0]["html"]
        older = client.post("/api/fever/?api&items&max_id=3", data={"api_key": key}).json()
        assert [i["id"] for i in older["items"]] == [2, 1]
        client.post("/api/fever/?api&mark=item&as=read&id=2", data={"api_key": key})
        client.post("/api/fever/?api&mark=item&as=saved&id=5", data={"api_key": key})
        state = client.post(
            "/api/fever/?api&unread_item_ids&saved_item_ids", data={"api_key": key}
        ).json()
        assert state["unread_item_ids"] == "1,3,4,5,6" and state["saved_item_ids"] == "5"
        client.post("/api/fever/?api&mark=feed&as=read&id=1", data={"api_key": key})
        after = client.post("/api/fever/?api&unread_item_ids", data={"api_key": key}).json()
        assert after["unread_item_ids"] == "4,5,6"
