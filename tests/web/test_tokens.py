"""Tokens from Settings in-process: made and shown once, usable by the JSON API and the private
For you feed, listed with their last use, revoked; nobody revokes another's token."""

from __future__ import annotations

import re

from broadsheet.core import Broadsheet
from broadsheet.ingest.feeds import parse_feed
from tests.web.readerkit import add_article, new_reader


def test_a_token_made_in_settings_works_until_revoked(broadsheet: Broadsheet) -> None:
    add_article(broadsheet, 1, "Volcano erupts", "Lava reached the sea.")
    reader = new_reader(broadsheet)
    reader.sign_up("ada@example.org")
    assert 'href="/settings/tokens"' in reader.get("/settings").text
    made = reader.post("/settings/tokens", {"name": "  my   phone "})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = re.search(r'<code class="secret">([^<]+)</code>', made.text)
    assert secret is not None and "my phone" in made.text
    token = secret.group(1)
    assert f"/feeds/for-you/{token}.atom" in made.text
    api = reader.client.get("/api/v1/articles", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    feed = reader.client.get(f"/feeds/for-you/{token}.atom")
    assert feed.status_code == 200 and feed.headers["cache-control"] == "private, no-store"
    assert [e.title for e in parse_feed(feed.content, url="http://t/f.atom").entries] == [
        "Volcano erupts"
    ]
    listed = reader.get("/settings/tokens").text
    assert token not in listed and "my phone" in listed and "never" not in listed  # used just now
    token_id = re.search(r"/settings/tokens/(\d+)/revoke", listed)
    assert token_id is not None

    other = new_reader(broadsheet)
    other.sign_up("bob@example.org")
    assert other.post(f"/settings/tokens/{token_id.group(1)}/revoke").status_code == 404

    reader.post(f"/settings/tokens/{token_id.group(1)}/revoke")
    assert reader.client.get(f"/feeds/for-you/{token}.atom").status_code == 404
    assert "No tokens yet" in reader.get("/settings/tokens").text
    assert new_reader(broadsheet).get("/settings/tokens", follow_redirects=False).status_code in (
        303, 401,
    )  # fmt: skip
