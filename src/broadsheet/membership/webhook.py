"""The payment provider's webhook: signed events that start, renew or end a membership.

Payments stay with the provider; it tells us what happened. Each request carries
``Broadsheet-Signature: t=<unix seconds>,v1=<hex>``, where the hex is HMAC-SHA256 with the shared
``webhook_secret`` over ``b"<t>." + body`` (several ``v1`` entries are accepted, for rotating the
secret). A signature older or newer than the tolerance is refused, and so is an event id seen
before: a captured request cannot be played again.

The body is JSON::

    {"id": "evt_1", "type": "membership.started",   # or membership.renewed, membership.ended
     "data": {"user_id": 7, "email": "a@b.example",  # either names the account
              "customer": "cus_1", "subscription": "sub_1",
              "ends_at": "2026-12-23T00:00:00+00:00"}}  # optional: null is until ended
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from broadsheet.exceptions import BroadsheetError, NotFound
from broadsheet.membership.service import Memberships

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookError",
    "WebhookEvent",
    "handle_webhook",
    "parse_event",
    "sign_payload",
    "verify_signature",
]

SIGNATURE_HEADER = "Broadsheet-Signature"
EVENT_TYPES = ("membership.started", "membership.renewed", "membership.ended")


class WebhookError(BroadsheetError):
    """A webhook request that is refused; ``status`` is the HTTP answer, ``str()`` the reason."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    id: str
    type: str
    user_id: int | None = None
    email: str | None = None
    customer: str | None = None
    subscription: str | None = None
    ends_at: datetime | None = None


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign_payload(body: bytes, secret: str, *, timestamp: int) -> str:
    """The signature header value for ``body`` (what the provider sends; tests sign with it)."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify_signature(
    body: bytes, header: str | None, secret: str, *, now: datetime, tolerance: int
) -> None:
    """Raise ``WebhookError`` unless ``header`` signs ``body`` with ``secret``, recently."""
    parts = [p.partition("=") for p in (header or "").split(",")]
    stamps = [v.strip() for k, _, v in parts if k.strip() == "t"]
    signatures = [v.strip() for k, _, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not signatures:
        raise WebhookError("missing or malformed signature", 401)
    timestamp = int(stamps[0])
    if abs(now.timestamp() - timestamp) > tolerance:
        raise WebhookError("signature timestamp outside the tolerance", 401)
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in signatures):
        raise WebhookError("signature does not match", 401)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value)[:200] if isinstance(value, str | int) and str(value) else None


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as e:
        raise WebhookError("ends_at is not an ISO 8601 time", 422) from e
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_event(body: bytes) -> WebhookEvent:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise WebhookError("the body is not JSON", 400) from e
    if not isinstance(document, dict) or not isinstance(document.get("data", {}), dict):
        raise WebhookError("the body is not an event object", 422)
    data: dict[str, Any] = document.get("data", {})
    event_id, event_type = _text(document, "id"), document.get("type")
    if event_id is None or event_type not in EVENT_TYPES:
        raise WebhookError(f"an event needs an id and a type of {', '.join(EVENT_TYPES)}", 422)
    user_id = data.get("user_id")
    return WebhookEvent(
        event_id, str(event_type), user_id if isinstance(user_id, int) else None,
        _text(data, "email"), _text(data, "customer"), _text(data, "subscription"),
        _when(data.get("ends_at")),
    )  # fmt: skip


def _account(memberships: Memberships, event: WebhookEvent) -> int:
    store = memberships.store
    try:
        if event.user_id is not None:
            return store.accounts.get_user(event.user_id).id
        if event.email:
            return store.get_user_by_email(event.email)[0].id
    except NotFound as e:
        raise WebhookError("no such account", 422) from e
    found = store.membership.find_by_provider(subscription=event.subscription,
                                              customer=event.customer)  # fmt: skip
    if found is None:
        raise WebhookError("the event names no known account or subscription", 422)
    return found.user_id


def handle_webhook(memberships: Memberships, body: bytes, header: str | None) -> WebhookEvent:
    """Check, then apply one event; returns it. Raises ``WebhookError`` for a refusal."""
    secret = memberships.settings.webhook_secret
    if not secret:
        raise WebhookError("the membership webhook is not configured", 404)
    now = memberships.now()
    verify_signature(body, header, secret, now=now,
                     tolerance=memberships.settings.webhook_tolerance_seconds)  # fmt: skip
    event = parse_event(body)
    user_id = _account(memberships, event)
    if not memberships.store.membership.remember_event(event.id, event.type, now=now):
        raise WebhookError("event already received", 409)
    if event.type == "membership.ended":
        memberships.end(user_id)
    else:
        memberships.grant(user_id, until=event.ends_at, provider="webhook",
                          customer=event.customer, subscription=event.subscription)  # fmt: skip
    return event
