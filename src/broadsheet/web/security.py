"""Response hardening (CSP and friends) and CSRF protection for forms.

CSRF uses the double-submit pattern: a random token in a SameSite cookie, repeated in each form; a
state-changing request whose form token does not match the cookie is refused.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["CSP", "CSRF_COOKIE", "SecurityHeaders", "csrf_token", "csrf_valid", "verify_csrf"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

CSRF_COOKIE = "bs_csrf"
CSP = (
    "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
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


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the security headers, and the CSRF cookie when the browser has none yet."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if request.scope.get("viewer") is not None:  # a signed-in page is for that reader only
            response.headers.setdefault("Cache-Control", "private, no-cache")
        token = request.state.csrf_token if hasattr(request.state, "csrf_token") else None
        if token and request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(
                CSRF_COOKIE, token, httponly=True, samesite="strict",
                secure=request.url.scheme == "https",
            )  # fmt: skip
        return response


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
