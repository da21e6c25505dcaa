"""Admin pages: users and roles, invitations, password reset requests (admins); picks and source
standing (editors and admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from broadsheet.storage.accounts import ROLES
from broadsheet.web.auth import Admin, Editor, _bs, base_url
from broadsheet.web.pages import render

__all__ = ["router"]

router = APIRouter()


def _admin_page(request: Request, user: Any, status_code: int = 200, **extra: Any) -> Response:
    broadsheet = _bs(request)
    is_admin = user.role == "admin"
    context: dict[str, Any] = {
        "picks": broadsheet.store.curation.list_picks(),
        "sources": broadsheet.list_sources(),
        "standings": broadsheet.store.curation.standings(),
        "users": broadsheet.store.accounts.list_users() if is_admin else [],
        "requests": broadsheet.store.accounts.open_reset_requests() if is_admin else [],
        "roles": ROLES, "is_admin": is_admin, "now": broadsheet.now(),
        "registration": broadsheet.settings.registration,
    }  # fmt: skip
    context.update(extra)
    return render(request, "admin.html", status_code=status_code, **context)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, user: Editor, article: int | None = None) -> Response:
    return _admin_page(request, user, pick_article=article)


@router.post("/admin/users/{user_id}/role")
def set_role(request: Request, user_id: int, admin: Admin, role: str = Form("")) -> Response:
    if role not in ROLES or user_id == admin.id:
        message = (
            "Choose a known role." if role not in ROLES else "You cannot change your own role."
        )
        return _admin_page(request, admin, status_code=400, error=message)
    _bs(request).store.accounts.set_role(user_id, role)
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/invitations")
def invite(request: Request, admin: Admin, role: str = Form("reader")) -> Response:
    if role not in ROLES:
        return _admin_page(request, admin, status_code=400, error="Choose a known role.")
    link = _bs(request).accounts.make_invitation(
        role=role, created_by=admin.id, base_url=base_url(request)
    )
    return _admin_page(request, admin, invitation_link=link)


@router.post("/admin/resets/{user_id}")
def reset_link(request: Request, user_id: int, admin: Admin) -> Response:
    broadsheet = _bs(request)
    target = broadsheet.store.accounts.get_user(user_id)
    link = broadsheet.accounts.make_reset_link(target.id, base_url=base_url(request))
    return _admin_page(request, admin, reset_link=link, reset_for=target.email)


def _when(value: str) -> datetime | None:
    """A ``datetime-local`` field, read as UTC."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC) if value.strip() else None
    except ValueError:
        return None


@router.post("/admin/picks")
def add_pick(
    request: Request, editor: Editor, article_id: str = Form(""), story_id: str = Form(""),
    note: str = Form(""), starts: str = Form(""), ends: str = Form(""),
) -> Response:  # fmt: skip
    broadsheet = _bs(request)
    article = int(article_id) if article_id.strip().isdigit() else None
    story = int(story_id) if story_id.strip().isdigit() and article is None else None
    start, end = _when(starts) or broadsheet.now(), _when(ends)
    error = _pick_error(request, article, story, start, end)
    if error:
        return _admin_page(request, editor, status_code=400, error=error)
    broadsheet.store.curation.create_pick(
        article_id=article, story_id=story, note=note[:280], starts_at=start, ends_at=end,
        now=broadsheet.now(), created_by=editor.id,
    )  # fmt: skip
    return RedirectResponse("/admin#picks", status_code=303)


def _pick_error(
    request: Request, article: int | None, story: int | None, start: datetime, end: datetime | None
) -> str | None:
    broadsheet = _bs(request)
    if article is None and story is None:
        return "Give the number of an article or a story to pin."
    if end is not None and end <= start:
        return "A pick must end after it starts."
    if article is not None:
        broadsheet.get_article(article)  # an unknown one answers 404
    if story is not None:
        broadsheet.store.stories.get_story(story)
    return None


@router.post("/admin/picks/{pick_id}/delete")
def delete_pick(request: Request, pick_id: int, editor: Editor) -> Response:
    _bs(request).store.curation.delete_pick(pick_id)
    return RedirectResponse("/admin#picks", status_code=303)


@router.post("/admin/sources/{source_id}/standing")
def set_standing(
    request: Request, source_id: int, editor: Editor, weight: str = Form("1")
) -> Response:
    broadsheet = _bs(request)
    try:
        value = float(weight)
        broadsheet.store.curation.set_standing(source_id, value, now=broadsheet.now())
    except ValueError:
        return _admin_page(request, editor, status_code=400,
                           error="Standing is a number from 0 to 10.")  # fmt: skip
    return RedirectResponse("/admin#sources", status_code=303)
