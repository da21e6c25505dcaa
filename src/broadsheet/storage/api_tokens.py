"""Per-user API tokens. Only a SHA-256 hash of each token is kept; the token is shown once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from broadsheet.exceptions import NotFound
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import api_tokens, users
from broadsheet.types import User

__all__ = ["ApiToken", "ApiTokenStore"]

PREFIX = "bs_"


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @storage_errors("creating an API token")
    def create(self, user_id: int, name: str, *, now: datetime) -> tuple[ApiToken, str]:
        """A new token for the user: the record, and the secret (never stored, shown once)."""
        secret = PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            email = conn.execute(select(users.c.email).where(users.c.id == user_id)).scalar_one()
            fever = hashlib.md5(f"{email}:{secret}".encode(), usedforsecurity=False).hexdigest()
            result = conn.execute(
                api_tokens.insert().values(
                    user_id=user_id,
                    name=name,
                    token_hash=_hash(secret),
                    created_at=now,
                    fever_key=fever,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
        return ApiToken(int(key[0]), user_id, name, now, None), secret

    @storage_errors("checking an API token")
    def user_for(self, secret: str, *, now: datetime) -> User | None:
        """The token's user (and the token marked used), or None for an unknown token."""
        return self._user_where(api_tokens.c.token_hash == _hash(secret), now)

    @storage_errors("checking a Fever key")
    def user_for_fever_key(self, key: str, *, now: datetime) -> User | None:
        """The user whose token gives this Fever key, md5("email:token")."""
        return self._user_where(api_tokens.c.fever_key == key.strip().lower(), now)

    def _user_where(self, condition: Any, now: datetime) -> User | None:
        query = (
            select(api_tokens.c.id, users.c.id.label("uid"), users.c.email, users.c.role,
                   users.c.created_at)
            .join(users, users.c.id == api_tokens.c.user_id)
            .where(condition)
        )  # fmt: skip
        with self.engine.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            conn.execute(
                api_tokens.update().where(api_tokens.c.id == row.id).values(last_used_at=now)
            )
        return User(row.uid, row.email, row.role, row.created_at)

    @storage_errors("listing API tokens")
    def list_for(self, user_id: int) -> list[ApiToken]:
        query = select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
        with reading(self.engine) as conn:
            return [
                ApiToken(r.id, r.user_id, r.name, r.created_at, r.last_used_at)
                for r in conn.execute(query)
            ]

    @storage_errors("revoking an API token")
    def revoke(self, token_id: int, *, user_id: int) -> None:
        with self.engine.begin() as conn:
            deleted = conn.execute(
                api_tokens.delete().where(
                    api_tokens.c.id == token_id, api_tokens.c.user_id == user_id
                )
            ).rowcount
        if not deleted:
            raise NotFound(f"no API token {token_id}")
