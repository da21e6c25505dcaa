"""The provider's webhook: HMAC-SHA256 over the timestamp and body, a timestamp tolerance, event
ids that cannot be replayed; the endpoint starts and ends memberships, with no CSRF token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.membership.policy import plan_status
from broadsheet.membership.webhook import (
    SIGNATURE_HEADER,
    WebhookError,
    parse_event,
    sign_payload,
    verify_signature,
)
from broadsheet.web.app import create_app
from tests.conftest import Clock
from tests.web.readerkit import make_app

SECRET = "whsec-test"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_signatures_are_checked() -> None:
    body = b'{"id": "evt_1"}'
    header = sign_payload(body, SECRET, timestamp=int(NOW.timestamp()))
    verify_signature(body, header, SECRET, now=NOW, tolerance=300)
    verify_signature(body, "v1=00," + header, SECRET, now=NOW, tolerance=300)  # rotation
    cases = {
        "does not match": (body + b" ", header, SECRET, NOW),
        "does not match ": (body, header, "other secret", NOW),
        "outside the tolerance": (body, header, SECRET, NOW + timedelta(seconds=301)),
        "malformed": (body, "v1=abc", SECRET, NOW),
        "missing": (body, None, SECRET, NOW),
    }
    for reason, (payload, sig, secret, now) in cases.items():
        with pytest.raises(WebhookError, match=reason.strip()) as caught:
            verify_signature(payload, sig, secret, now=now, tolerance=300)
        assert caught.value.status == 401


@pytest.mark.parametrize(
    "body", [b"not json", b"[1]", b'{"id": "e", "type": "other"}', b'{"type": "membership.ended"}',
             b'{"id": "e", "type": "membership.started", "data": {"ends_at": "soon"}}'],
)  # fmt: skip
def test_malformed_events_are_refused(body: bytes) -> None:
    with pytest.raises(WebhookError):
        parse_event(body)


@pytest.fixture
def site(tmp_path: Path, clock: Clock) -> Iterator[Broadsheet]:
    bs = make_app(tmp_path, clock, membership_enabled=True, webhook_secret=SECRET)
    bs.accounts.add_user("admin@example.org", "a long enough password")
    bs.accounts.add_user("ada@example.org", "a long enough password")
    yield bs
    bs.close()


def send(client: TestClient, event: dict[str, Any], now: datetime, secret: str = SECRET) -> Any:
    body = json.dumps(event).encode()
    header = sign_payload(body, secret, timestamp=int(now.timestamp()))
    return client.post("/membership/webhook", content=body,
                       headers={SIGNATURE_HEADER: header, "Content-Type": "application/json"})  # fmt: skip


def test_events_start_and_end_a_membership(site: Broadsheet, clock: Clock) -> None:
    ada = site.store.get_user_by_email("ada@example.org")[0]
    started = {"id": "evt_1", "type": "membership.started",
               "data": {"email": "ada@example.org", "customer": "cus_9", "subscription": "sub_9",
                        "ends_at": "2027-01-01T00:00:00Z"}}  # fmt: skip
    with TestClient(create_app(site), base_url="https://testserver") as client:
        answer = send(client, started, clock())
        assert answer.status_code == 200 and answer.json() == {"status": "ok", "event": "evt_1"}
        membership = site.store.membership.get(ada.id)
        assert membership is not None and membership.provider_subscription == "sub_9"
        assert plan_status(membership, now=clock()).plan == "member"
        assert membership.ends_at == datetime(2027, 1, 1, tzinfo=UTC)
        replay = send(client, started, clock())
        assert replay.status_code == 409 and "already received" in replay.json()["detail"]
        forged = send(client, {**started, "id": "evt_2"}, clock(), secret="guess")
        assert forged.status_code == 401
        stale = send(client, {**started, "id": "evt_3"}, clock() - timedelta(minutes=10))
        assert stale.status_code == 401
        ended = {"id": "evt_4", "type": "membership.ended", "data": {"subscription": "sub_9"}}
        clock.advance(days=1)
        assert send(client, ended, clock()).status_code == 200
        after = site.store.membership.get(ada.id)
        assert after is not None and plan_status(after, now=clock()).plan == "free"
        unknown = {"id": "evt_5", "type": "membership.started", "data": {"user_id": 999}}
        assert send(client, unknown, clock()).status_code == 422
        nobody = {"id": "evt_6", "type": "membership.ended", "data": {"subscription": "nope"}}
        assert send(client, nobody, clock()).status_code == 422
        by_id = {"id": "evt_7", "type": "membership.renewed", "data": {"user_id": ada.id}}
        assert send(client, by_id, clock()).status_code == 200
        assert site.store.membership.get(ada.id).ends_at is None  # type: ignore[union-attr]


def test_without_a_secret_the_webhook_is_off(tmp_path: Path, clock: Clock) -> None:
    bs = make_app(tmp_path, clock, membership_enabled=True)
    with TestClient(create_app(bs), base_url="https://testserver") as client:
        answer = send(client, {"id": "e", "type": "membership.ended"}, clock())
        assert answer.status_code == 404
        big = client.post("/membership/webhook", content=b"x" * 70_000)
        assert big.status_code == 413
    bs.close()
