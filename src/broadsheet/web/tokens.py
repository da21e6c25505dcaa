"""A reader's tokens for apps, from Settings: make one (shown once, with the addresses that take
it: the JSON API, Fever and a private For you feed), see when each was last used, revoke it."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from broadsheet.web.auth import SignedIn, _bs
from broadsheet.web.pages import render

__all__ = ["router"]

router = APIRouter()


@router.get("/settings/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, user: SignedIn) -> Response:
    tokens = _bs(request).store.api_tokens.list_for(user.id)
    return render(request, "tokens.html", tokens=tokens, secret=None)


@router.post("/settings/tokens", response_class=HTMLResponse)
def create_token(request: Request, user: SignedIn, name: str = Form("")) -> Response:
    """A new token, shown on this page once (only its hash is kept)."""
    broadsheet = _bs(request)
    label = " ".join(name.split())[:80] or "app"
    token, secret = broadsheet.store.api_tokens.create(user.id, label, now=broadsheet.now())
    tokens = broadsheet.store.api_tokens.list_for(user.id)
    base = (broadsheet.settings.base_url or str(request.base_url)).rstrip("/")  # behind a proxy
    response = render(request, "tokens.html", tokens=tokens, secret=secret, new=token, base=base)
    response.headers["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, user: SignedIn) -> Response:
    _bs(request).store.api_tokens.revoke(token_id, user_id=user.id)  # 404 for another's
    return RedirectResponse("/settings/tokens", status_code=303)


@router.get("/feeds/for-you/{secret}.{fmt}")
def for_you_feed(request: Request, secret: str, fmt: str) -> Response:
    """The token's reader's For you page as a feed: the address is the secret, so keep it so."""
    from broadsheet.web.feeds import _respond
    from broadsheet.web.foryou import for_you_items

    broadsheet = _bs(request)
    user = broadsheet.store.api_tokens.user_for(secret, now=broadsheet.now())
    if user is None:
        raise HTTPException(404, "No such feed: the token was revoked or never existed")
    items = for_you_items(broadsheet, user)
    response = _respond(request, fmt, "Broadsheet — for you", [i.article for i in items])
    response.headers["Cache-Control"] = "private, no-store"
    return response
