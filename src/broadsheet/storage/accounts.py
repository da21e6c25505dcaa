"""Accounts in the database: users and roles, sign-in sessions, password resets, invitations.

Secrets (session, reset and invitation tokens) are stored only as SHA-256 hashes: a copy of the
database lets nobody sign in as anyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from broadsheet.exceptions import NotFound, StorageError
from broadsheet.storage.engine import reading
from broadsheet.storage.errors import storage_errors
from broadsheet.storage.schema import (
    invitations,
    login_failures,
    password_resets,
    sessions,
    users,
)
from broadsheet.types import User

__all__ = ["ROLES", "AccountStore", "ResetRequest", "token_hash"]

ROLES = ("reader", "editor", "admin")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ResetRequest:
    """A reader asked for a new password and no mail could be sent: an admin makes the link."""

    __slots__ = ("id", "requested_at", "user")

    def __init__(self, id: int, user: User, requested_at: datetime) -> None:
        self.id = id
        self.user = user
        self.requested_at = requested_at


class AccountStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- users ---------------------------------------------------------------------------------

    @storage_errors("creating a user")
    def create_user(
        self, email: str, password_hash: str, *, now: datetime, role: str | None = None
    ) -> User:
        """Create a user; without a ``role`` the first user becomes admin, later ones readers."""
        email = email.strip().lower()
        with self.engine.begin() as conn:
            if role is None:
                count = conn.execute(select(func.count()).select_from(users)).scalar_one()
                role = "admin" if count == 0 else "reader"
            try:
                result = conn.execute(
                    users.insert().values(
                        email=email, password_hash=password_hash, role=role, created_at=now
                    )
                )
            except IntegrityError as e:
                raise StorageError(f"an account for {email} exists already") from e
            key = result.inserted_primary_key
            assert key is not None
        return User(int(key[0]), email, role, now)

    @storage_errors("reading a user")
    def get_user(self, user_id: int) -> User:
        with reading(self.engine) as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"no user {user_id}")
        return _user(row)

    @storage_errors("listing users")
    def list_users(self) -> list[User]:
        with reading(self.engine) as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]

    @storage_errors("changing a role")
    def set_role(self, user_id: int, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self.engine.begin() as conn:
            if not conn.execute(
                users.update().where(users.c.id == user_id).values(role=role)
            ).rowcount:
                raise NotFound(f"no user {user_id}")

    @storage_errors("changing a password")
    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace the password and end every session of the user."""
        with self.engine.begin() as conn:
            conn.execute(
                users.update().where(users.c.id == user_id).values(password_hash=password_hash)
            )
            conn.execute(sessions.delete().where(sessions.c.user_id == user_id))

    # -- sessions ------------------------------------------------------------------------------

    @storage_errors("starting a session")
    def create_session(self, user_id: int, token: str, *, now: datetime, expires: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                sessions.insert().values(
                    token_hash=token_hash(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires,
                )
            )

    @storage_errors("reading a session")
    def session_user(self, token: str, *, now: datetime) -> User | None:
        """The user signed in with ``token``, or None when it is unknown or expired."""
        query = (
            select(users)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_hash == token_hash(token), sessions.c.expires_at > now)
        )
        with reading(self.engine) as conn:
            row = conn.execute(query).first()
        return None if row is None else _user(row)

    @storage_errors("ending a session")
    def delete_session(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash(token)))

    # -- password resets -----------------------------------------------------------------------

    @storage_errors("recording a password reset request")
    def request_reset(self, user_id: int, *, now: datetime) -> int:
        """Note that a user asked for a reset (no token yet: an admin will make one)."""
        with self.engine.begin() as conn:
            key = conn.execute(
                password_resets.insert().values(user_id=user_id, requested_at=now)
            ).inserted_primary_key
        assert key is not None
        return int(key[0])

    @storage_errors("making a password reset token")
    def create_reset(
        self,
        user_id: int,
        token: str,
        *,
        now: datetime,
        expires: datetime,
    ) -> None:
        """A usable reset token; it answers every open request of the user."""
        with self.engine.begin() as conn:
            _close_requests(conn, user_id, now)
            conn.execute(
                password_resets.insert().values(
                    user_id=user_id,
                    token_hash=token_hash(token),
                    requested_at=now,
                    expires_at=expires,
                )
            )

    @storage_errors("listing password reset requests")
    def open_reset_requests(self) -> list[ResetRequest]:
        query = (
            select(password_resets.c.id, password_resets.c.requested_at, users)
            .join(users, users.c.id == password_resets.c.user_id)
            .where(password_resets.c.token_hash.is_(None), password_resets.c.used_at.is_(None))
            .order_by(password_resets.c.requested_at)
        )
        with reading(self.engine) as conn:
            rows = conn.execute(query).all()
        return [ResetRequest(r[0], _user(r), r.requested_at) for r in rows]

    @storage_errors("using a password reset token")
    def use_reset(self, token: str, password_hash: str, *, now: datetime) -> User | None:
        """Set a new password with a valid, unused token (then spent); None if the token is bad."""
        where = (
            (password_resets.c.token_hash == token_hash(token))
            & password_resets.c.used_at.is_(None)
            & (password_resets.c.expires_at > now)
        )
        with self.engine.begin() as conn:
            row = conn.execute(select(password_resets.c.user_id).where(where)).first()
            if row is None:
                return None
            conn.execute(password_resets.update().where(where).values(used_at=now))
            conn.execute(
                users.update().where(users.c.id == row.user_id).values(password_hash=password_hash)
            )
            conn.execute(sessions.delete().where(sessions.c.user_id == row.user_id))
            user = conn.execute(select(users).where(users.c.id == row.user_id)).one()
        return _user(user)

    # -- invitations ---------------------------------------------------------------------------

    @storage_errors("making an invitation")
    def create_invitation(
        self, token: str, *, role: str, created_by: int | None, now: datetime, expires: datetime
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                invitations.insert().values(
                    token_hash=token_hash(token),
                    role=role,
                    created_by=created_by,
                    created_at=now,
                    expires_at=expires,
                )
            )

    @storage_errors("reading an invitation")
    def invitation_role(self, token: str, *, now: datetime) -> str | None:
        """The role an unused, unexpired invitation grants, or None."""
        with reading(self.engine) as conn:
            row = conn.execute(
                select(invitations.c.role).where(_open_invitation(token, now))
            ).first()
        return None if row is None else str(row.role)

    @storage_errors("using an invitation")
    def spend_invitation(self, token: str, *, now: datetime) -> bool:
        with self.engine.begin() as conn:
            spent = conn.execute(
                invitations.update().where(_open_invitation(token, now)).values(used_at=now)
            ).rowcount
        return bool(spent)

    # -- failed sign-ins -----------------------------------------------------------------------

    @storage_errors("counting failed sign-ins")
    def count_login_failures(self, keys: Sequence[str], *, since: datetime) -> int:
        """The most failures any one of ``keys`` had since ``since``."""
        counts = [0]
        with reading(self.engine) as conn:
            for key in keys:
                query = select(func.count()).where(
                    login_failures.c.key_hash == token_hash(key), login_failures.c.at > since
                )
                counts.append(int(conn.execute(query).scalar() or 0))
        return max(counts)

    @storage_errors("recording a failed sign-in")
    def record_login_failure(self, keys: Sequence[str], *, now: datetime, forget: datetime) -> None:
        """One failure for each key; failures older than ``forget`` are dropped meanwhile."""
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.at <= forget))
            conn.execute(login_failures.insert(),
                         [{"key_hash": token_hash(k), "at": now} for k in keys])  # fmt: skip

    @storage_errors("clearing failed sign-ins")
    def clear_login_failures(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                login_failures.delete().where(login_failures.c.key_hash == token_hash(key))
            )


def _open_invitation(token: str, now: datetime) -> Any:
    return (
        (invitations.c.token_hash == token_hash(token))
        & invitations.c.used_at.is_(None)
        & (invitations.c.expires_at > now)
    )


def _close_requests(conn: Any, user_id: int, now: datetime) -> None:
    conn.execute(
        password_resets.update()
        .where(
            password_resets.c.user_id == user_id,
            password_resets.c.token_hash.is_(None),
            password_resets.c.used_at.is_(None),
        )
        .values(used_at=now)
    )


def _user(row: Any) -> User:
    return User(row.id, row.email, row.role, row.created_at)
