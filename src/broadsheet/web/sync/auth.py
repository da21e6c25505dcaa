"""Who is calling a sync API: an email and password (HTTP Basic, or Google's ClientLogin), or one
of the reader's API tokens.

Apps send the password with every request; hashing it with argon2 each time would make a refresh
of a hundred feeds take seconds, so a successful check is remembered for a few minutes under a
hash of the credentials (never the password itself).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import HTTPException, Request

from broadsheet.core import Broadsheet
from broadsheet.exceptions import BroadsheetError
from broadsheet.types import User

__all__ = ["CredentialCache", "basic_credentials", "sign_in"]


@dataclass
class CredentialCache:
    ttl: timedelta = timedelta(minutes=5)
    _seen: dict[str, tuple[User, datetime]] = field(default_factory=dict)

    @staticmethod
    def key(email: str, password: str) -> str:
        return hashlib.sha256(f"{email.lower()}\0{password}".encode()).hexdigest()

    def get(self, key: str, now: datetime) -> User | None:
        hit = self._seen.get(key)
        if hit is None or now - hit[1] > self.ttl:
            self._seen.pop(key, None)
            return None
        return hit[0]

    def put(self, key: str, user: User, now: datetime) -> None:
        if len(self._seen) > 10_000:
            self._seen.clear()
        self._seen[key] = (user, now)


def _cache(request: Request) -> CredentialCache:
    state = request.app.state
    if not hasattr(state, "sync_credentials"):
        state.sync_credentials = CredentialCache()
    cache: CredentialCache = state.sync_credentials
    return cache


def sign_in(request: Request, email: str, password: str) -> User:
    """The user with these credentials, or 401."""
    broadsheet: Broadsheet = request.app.state.broadsheet
    cache, key, now = _cache(request), CredentialCache.key(email, password), broadsheet.now()
    user = cache.get(key, now)
    if user is not None:
        return user
    client = request.client.host if request.client else ""
    try:
        user = broadsheet.accounts.authenticate(email, password, client=client)
    except BroadsheetError as e:
        raise HTTPException(401, str(e), {"WWW-Authenticate": 'Basic realm="Broadsheet"'}) from e
    cache.put(key, user, now)
    return user


def basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        email, _, password = base64.b64decode(value).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return email, password
