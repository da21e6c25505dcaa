"""Accounts on the web: sign up, sign in and out, password reset; who is signed in; role checks.

A session is a random token in an HttpOnly, SameSite=Lax cookie (Secure over HTTPS) that names a
row of the sessions table; signing out or changing the password ends it on the server too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from broadsheet.accounts import AccountError
from broadsheet.core import Broadsheet
from broadsheet.types import User
from broadsheet.web.pages import render

__all__ = [
    "SESSION_COOKIE",
    "Admin",
    "Editor",
    "Forbidden",
    "SignInRequired",
    "SignedIn",
    "install",
    "load_viewer",
    "require_admin",
    "require_editor",
    "require_user",
    "router",
    "safe_next",
    "viewer",
]

router = APIRouter()
SESSION_COOKIE = "bs_session"
RANK = {"reader": 0, "editor": 1, "admin": 2}


class SignInRequired(Exception):
    pass


class Forbidden(Exception):
    pass


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def viewer(request: Request) -> User | None:
    """The signed-in user of this request, or None (looked up once per request)."""
    if "viewer" not in request.scope:
        token = request.cookies.get(SESSION_COOKIE)
        request.scope["viewer"] = _bs(request).accounts.session_user(token) if token else None
    user: User | None = request.scope["viewer"]
    return user


async def load_viewer(request: Request) -> None:
    viewer(request)


def require_user(request: Request) -> User:
    user = viewer(request)
    if user is None:
        raise SignInRequired()
    return user


SignedIn = Annotated[User, Depends(require_user)]


def require_editor(user: SignedIn) -> User:
    if RANK.get(user.role, 0) < RANK["editor"]:
        raise Forbidden()
    return user


def require_admin(user: SignedIn) -> User:
    if user.role != "admin":
        raise Forbidden()
    return user


Editor = Annotated[User, Depends(require_editor)]
Admin = Annotated[User, Depends(require_admin)]


def base_url(request: Request) -> str:
    configured = _bs(request).settings.base_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (``//x`` or ``/\\x``)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _signed_in(request: Request, user: User, target: str) -> Response:
    token = _bs(request).accounts.start_session(user)
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=_bs(request).settings.session_days * 86400,
        httponly=True, samesite="lax", secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


# -- sign up -----------------------------------------------------------------------------------


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, invite: str | None = None) -> Response:
    allowed = _bs(request).accounts.can_sign_up(invite)
    return render(request, "signup.html", allowed=allowed, invite=invite or "")


@router.post("/signup")
def signup(
    request: Request, email: str = Form(""), password: str = Form(""), invite: str = Form("")
) -> Response:
    accounts = _bs(request).accounts
    try:
        user = accounts.sign_up(email, password, invitation=invite or None)
    except AccountError as e:
        allowed = accounts.can_sign_up(invite or None)
        return render(request, "signup.html", status_code=400, error=str(e), email=email,
                      allowed=allowed, invite=invite)  # fmt: skip
    return _signed_in(request, user, "/")


# -- sign in and out ---------------------------------------------------------------------------


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: str = "/", reset: bool = False) -> Response:
    return render(request, "signin.html", next=safe_next(next), reset=reset)


@router.post("/signin")
def signin(
    request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("/")
) -> Response:
    client = request.client.host if request.client else ""
    try:
        user = _bs(request).accounts.authenticate(email, password, client=client)
    except AccountError as e:
        status = 429 if "Too many" in str(e) else 400
        return render(request, "signin.html", status_code=status, error=str(e), email=email,
                      next=safe_next(next))  # fmt: skip
    return _signed_in(request, user, next)


@router.post("/signout")
def signout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        _bs(request).accounts.end_session(token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# -- password reset ----------------------------------------------------------------------------


@router.get("/reset", response_class=HTMLResponse)
def reset_request_page(request: Request) -> Response:
    return render(request, "reset_request.html", sent=False)


@router.post("/reset")
def reset_request(request: Request, email: str = Form("")) -> Response:
    broadsheet = _bs(request)
    broadsheet.accounts.request_reset(email, base_url=base_url(request))
    mailed = broadsheet.accounts.mailer is not None
    return render(request, "reset_request.html", sent=True, mailed=mailed)


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, token: str) -> Response:
    return render(request, "reset.html", token=token)


@router.post("/reset/{token}")
def reset(request: Request, token: str, password: str = Form("")) -> Response:
    try:
        _bs(request).accounts.reset_password(token, password)
    except AccountError as e:
        return render(request, "reset.html", status_code=400, token=token, error=str(e))
    return RedirectResponse("/signin?reset=1", status_code=303)


def install(app: FastAPI) -> None:
    """Sign-in redirects and refusals as pages."""

    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired) -> Response:
        if request.method == "GET":
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?next={_quote(path)}", status_code=303)
        return render(request, "error.html", status_code=401, message="Sign in first.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "error.html", status_code=403,
                      message="Your account may not do that.")  # fmt: skip


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
