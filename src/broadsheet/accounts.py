"""Accounts: sign-up rules, argon2id passwords, sessions, login throttling, password resets and
invitations, over the store's ``AccountStore``. The web app and the CLI both go through here.

Tokens handed to people (sessions, reset links, invitations) are random and stored only as hashes.
"""

from __future__ import annotations

import functools
import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from broadsheet.config import Settings
from broadsheet.exceptions import BroadsheetError, ConfigError, NotFound
from broadsheet.storage import Store
from broadsheet.types import User

__all__ = [
    "REGISTRATION_MODES",
    "AccountError",
    "Accounts",
    "LoginThrottle",
    "Mailer",
    "SmtpMailer",
    "TooManyAttempts",
]

log = logging.getLogger(__name__)
REGISTRATION_MODES = ("open", "closed", "invite")
MIN_PASSWORD = 10
RESET_LIFETIME = timedelta(hours=2)
INVITATION_LIFETIME = timedelta(days=14)
# Verifying against this keeps sign-in of an unknown address as slow as that of a known one.
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has")


class AccountError(BroadsheetError):
    """A sign-up, sign-in or reset that cannot go ahead; ``str()`` says why, fit to show."""


class TooManyAttempts(AccountError):
    pass


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass
class SmtpMailer:
    """Sends mail through the SMTP server of the settings."""

    settings: Settings

    def send(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"] = s.smtp_from or f"broadsheet@{s.smtp_host}"
        message["To"], message["Subject"] = to, subject
        message.set_content(body)
        assert s.smtp_host is not None
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=20) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password or "")
            smtp.send_message(message)


@dataclass
class LoginThrottle:
    """At most ``limit`` failed sign-ins per key (an address, a client) in a sliding window,
    counted in the database so that every web process sees the same failures."""

    store: Store
    now: Callable[[], datetime]
    limit: int = 5
    window: timedelta = timedelta(minutes=15)

    def blocked(self, *keys: str) -> bool:
        since = self.now() - self.window
        return self.store.accounts.count_login_failures(keys, since=since) >= self.limit

    def fail(self, *keys: str) -> None:
        now = self.now()
        self.store.accounts.record_login_failure(keys, now=now, forget=now - self.window)

    def clear(self, key: str) -> None:
        self.store.accounts.clear_login_failures(key)


@dataclass
class Accounts:
    store: Store
    settings: Settings
    now: Callable[[], datetime]
    mailer: Mailer | None = None
    throttle: LoginThrottle = field(init=False)

    def __post_init__(self) -> None:
        if self.settings.registration not in REGISTRATION_MODES:
            raise ConfigError(
                f"registration must be one of {', '.join(REGISTRATION_MODES)}, "
                f"not {self.settings.registration!r}"
            )
        window = timedelta(seconds=self.settings.login_window_seconds)
        self.throttle = LoginThrottle(self.store, self.now, self.settings.login_attempts, window)

    # -- sign-up -------------------------------------------------------------------------------

    def can_sign_up(self, invitation: str | None = None) -> bool:
        """Whether a new account may be made now (the very first one always may)."""
        mode = self.settings.registration
        if mode == "open" or self.store.count_users() == 0:
            return True
        if mode == "invite" and invitation:
            return self.store.accounts.invitation_role(invitation, now=self.now()) is not None
        return False

    def sign_up(self, email: str, password: str, *, invitation: str | None = None) -> User:
        email = _check_email(email)
        _check_password(password)
        if not self.can_sign_up(invitation):
            raise AccountError("Sign-up is by invitation only here.")
        role = None
        if invitation and self.settings.registration == "invite" and self.store.count_users():
            role = self.store.accounts.invitation_role(invitation, now=self.now())
            if role is None or not self.store.accounts.spend_invitation(invitation, now=self.now()):
                raise AccountError("This invitation has expired or was used already.")
        if self._exists(email):
            raise AccountError("An account with this address exists already: sign in instead.")
        return self.store.accounts.create_user(
            email, _hasher.hash(password), now=self.now(), role=role
        )

    def add_user(self, email: str, password: str, *, role: str | None = None) -> User:
        """An operator's way in (the CLI): no registration rules, any role."""
        email = _check_email(email)
        _check_password(password)
        if self._exists(email):
            raise AccountError(f"an account for {email} exists already")
        return self.store.accounts.create_user(
            email, _hasher.hash(password), now=self.now(), role=role
        )

    def _exists(self, email: str) -> bool:
        try:
            self.store.get_user_by_email(email)
        except NotFound:
            return False
        return True

    # -- sign-in -------------------------------------------------------------------------------

    def authenticate(self, email: str, password: str, *, client: str = "") -> User:
        """The user with this address and password; refuses after too many failures."""
        email = email.strip().lower()
        keys = (f"email:{email}", f"client:{client}")
        if self.throttle.blocked(*keys):
            raise TooManyAttempts("Too many failed attempts: wait a few minutes and try again.")
        try:
            user, stored = self.store.get_user_by_email(email)
        except NotFound:
            user, stored = None, _dummy_hash()
        if not _verify(stored, password) or user is None:
            self.throttle.fail(*keys)
            raise AccountError("Wrong email address or password.")
        self.throttle.clear(keys[0])
        if _hasher.check_needs_rehash(stored):
            self.store.accounts.set_password_hash(user.id, _hasher.hash(password))
        return user

    def start_session(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        now = self.now()
        expires = now + timedelta(days=self.settings.session_days)
        self.store.accounts.create_session(user.id, token, now=now, expires=expires)
        return token

    def session_user(self, token: str | None) -> User | None:
        if not token or len(token) > 200:
            return None
        return self.store.accounts.session_user(token, now=self.now())

    def end_session(self, token: str) -> None:
        self.store.accounts.delete_session(token)

    # -- password resets -----------------------------------------------------------------------

    def request_reset(self, email: str, *, base_url: str) -> None:
        """Mail a reset link when mail is set up; otherwise leave a request for an admin. Says
        nothing about whether the address has an account."""
        try:
            user, _ = self.store.get_user_by_email(email.strip().lower())
        except NotFound:
            return
        if self.mailer is None:
            self.store.accounts.request_reset(user.id, now=self.now())
            return
        link = self.make_reset_link(user.id, base_url=base_url)
        body = (
            "Someone asked to reset your Broadsheet password. To choose a new one, open"
            f"\n\n{link}\n"
        )
        try:
            self.mailer.send(user.email, "Reset your Broadsheet password", body)
        except (OSError, smtplib.SMTPException) as e:
            log.warning("reset mail failed", extra={"error": str(e)})
            self.store.accounts.request_reset(user.id, now=self.now())

    def make_reset_link(self, user_id: int, *, base_url: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.now()
        self.store.accounts.create_reset(user_id, token, now=now, expires=now + RESET_LIFETIME)
        return f"{base_url.rstrip('/')}/reset/{token}"

    def reset_password(self, token: str, password: str) -> User:
        _check_password(password)
        user = self.store.accounts.use_reset(token, _hasher.hash(password), now=self.now())
        if user is None:
            raise AccountError("This reset link has expired or was used already.")
        return user

    def make_invitation(self, *, role: str, created_by: int | None, base_url: str) -> str:
        token = secrets.token_urlsafe(24)
        now = self.now()
        self.store.accounts.create_invitation(
            token, role=role, created_by=created_by, now=now, expires=now + INVITATION_LIFETIME
        )
        return f"{base_url.rstrip('/')}/signup?invite={token}"


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("Give a valid email address.")
    return email


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > 1024:
        raise AccountError("That password is too long.")
