"""Response hardening (CSP and friends) and CSRF protection for forms.

CSRF uses the double-submit pattern: a random token in a SameSite cookie, repeated in each form; a
state-changing request whose form token does not match the cookie is refused.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "CSRF_COOKIE", "SecurityHeaders", "csrf_token", "csrf_valid", "verify_csrf"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

CSRF_COOKIE = "bs_csrf"
CSP = (
    "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
    "style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'"
)
_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "interest-cohort=()",
}


class SecurityHeaders:
    """Adds the security headers, and the CSRF cookie when the browser has none yet.

    Plain ASGI rather than ``BaseHTTPMiddleware``: that one runs every response through an extra
    task and a memory stream, which cost more than the page itself under concurrent readers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _harden(scope, MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _harden(scope: Scope, headers: MutableHeaders) -> None:
    for name, value in _HEADERS.items():
        headers.setdefault(name, value)
    if scope.get("viewer") is not None:  # a signed-in page is for that reader only
        headers.setdefault("Cache-Control", "private, no-cache")
    token = scope.get("state", {}).get("csrf_token")
    if token:
        request = Request(scope)
        if request.cookies.get(CSRF_COOKIE) != token:
            cookie = Response()
            cookie.set_cookie(
                CSRF_COOKIE, token, httponly=True, samesite="strict",
                secure=request.url.scheme == "https",
            )  # fmt: skip
            headers.append("set-cookie", cookie.headers["set-cookie"])


def csrf_token(request: Request) -> str:
    """The request's CSRF token (the cookie's, or a new one that the response will set)."""
    if not hasattr(request.state, "csrf_token"):
        request.state.csrf_token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    token: str = request.state.csrf_token
    return token


def csrf_valid(request: Request, submitted: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted and hmac.compare_digest(cookie, submitted))


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request whose token (form field ``csrf`` or header
    ``X-CSRF-Token``) does not match the cookie. The JSON API under ``/api/`` authenticates by
    token, never by cookie, so a forged cross-site request gains nothing there and it is exempt."""
    if request.method in SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    submitted = request.headers.get("x-csrf-token")
    if submitted is None and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get("csrf")
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise HTTPException(403, "The form expired: reload the page and try again.")
