"""Membership on the web: the paywall on every path that shows an article's body, the reader's
plan, the admin's memberships and publisher report, and the payment provider's webhook.

Paths gated here: the reading view (``article_gate``), search snippets (``gate_search``), the JSON
API's article (``api_article``), sync API entries (``gate_sync``; Fever calls ``listable``).
Outgoing feeds carry no body while membership is on (feeds.py).
A background fetch (a service worker or ``cache.addAll`` filling the offline copy, a prefetch) is
never counted as a read and gets the full body only when reading would cost nothing; a gated page
is sent ``Cache-Control: no-store``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from broadsheet.core import Broadsheet
from broadsheet.membership.chart import publisher_chart_svg
from broadsheet.membership.policy import AccessDecision, PlanStatus, ReaderState, month_of
from broadsheet.membership.service import AccountSummary, Memberships, first_paragraph, preview_of
from broadsheet.membership.webhook import SIGNATURE_HEADER, WebhookError, handle_webhook
from broadsheet.serialize import article_json
from broadsheet.storage.search import MARK_END, MARK_START, SearchHit, SearchResults
from broadsheet.types import Article, User
from broadsheet.web.auth import Admin, _bs, viewer
from broadsheet.web.pages import render

__all__ = [
    "ANON_COOKIE", "ArticleGate", "api_article", "article_gate", "gate_search", "gate_sync",
    "install",
]  # fmt: skip

router = APIRouter()
ANON_COOKIE = "bs_reader"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def memberships(request: Request) -> Memberships:
    found: Memberships | None = getattr(request.app.state, "memberships", None)
    if found is None:
        found = request.app.state.memberships = _bs(request).membership
    return found


def _anonymous_id(request: Request) -> str | None:
    """The signed anonymous id of this browser; a new one (set on the response) when it has none."""
    service = memberships(request)
    found = service.anonymous_id(request.cookies.get(ANON_COOKIE))
    if found is None:
        cookie = service.new_anonymous_cookie()
        request.state.new_reader_cookie = cookie
        found = service.anonymous_id(cookie)
    return found


def reader_state(request: Request, user: User | None = None) -> ReaderState:
    """Who reads: the signed-in user (or ``user``, for the API), else the anonymous browser."""
    user = user or viewer(request)
    anonymous = None if user is not None else _anonymous_id(request)
    return memberships(request).reader_state(user, anonymous)


def _background(request: Request) -> bool:
    """A fetch no person asked to read: a service worker's, ``cache.addAll``'s, a prefetch."""
    dest = request.headers.get("sec-fetch-dest")
    purpose = (request.headers.get("sec-purpose") or request.headers.get("purpose") or "").lower()
    return (dest is not None and dest != "document") or "prefetch" in purpose


# -- the reading view --------------------------------------------------------------------------


@dataclass
class ArticleGate:
    """The article as this reader may see it, what the template needs, and the response's last
    touches (no caching of a gated page; the anonymous reader's cookie)."""

    article: Article
    paywall: bool = False
    decision: AccessDecision | None = None
    context: dict[str, Any] = field(default_factory=dict)

    def finish(self, request: Request, response: Response) -> Response:
        if self.paywall:
            response.headers["Cache-Control"] = "no-store, private"
            response.headers["X-Broadsheet-Paywall"] = "1"
        elif self.context:  # membership is on: the page depends on who reads it
            response.headers["Cache-Control"] = "private"
        return with_reader_cookie(request, response)


def with_reader_cookie(request: Request, response: Response) -> Response:
    """Give a browser seen for the first time its signed anonymous reader id."""
    cookie = getattr(request.state, "new_reader_cookie", None)
    if cookie:
        response.set_cookie(ANON_COOKIE, cookie, max_age=400 * 86400, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")  # fmt: skip
    return response


def article_gate(request: Request, article: Article) -> ArticleGate:
    """Decide (and record) this reader's read of ``article``."""
    service = memberships(request)
    if not service.enabled:
        return ArticleGate(article)
    state = reader_state(request)
    if _background(request):
        full = service.peek(state, article)
        decision = None
    else:
        decision = service.open(state, article)
        full = decision.full
    shown = article if full else preview_of(article)
    context = {"paywall": not full, "reads_left": decision.reads_left if decision else None,
               "membership_reason": decision.reason if decision else None}  # fmt: skip
    return ArticleGate(shown, not full, decision, context)


# -- search snippets ---------------------------------------------------------------------------


def _highlight(text: str, words: list[str]) -> str:
    if not words:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text)


def _preview_snippet(hit: SearchHit, words: list[str]) -> str:
    text = hit.article.standfirst or first_paragraph(hit.article)
    return _highlight(text[:300], words)


def gate_search(request: Request, results: SearchResults, words: list[str]) -> SearchResults:
    """Snippets from the body only for articles the reader may read without it costing a read;
    the others show their standfirst or first paragraph, as the paywall does."""
    service = memberships(request)
    if not service.enabled:
        return results
    state = reader_state(request)
    hits = [
        hit if service.peek(state, hit.article)
        else replace(hit, snippet=_preview_snippet(hit, words), article=preview_of(hit.article))
        for hit in results.hits
    ]  # fmt: skip
    return replace(results, hits=hits)


# -- the JSON API ------------------------------------------------------------------------------


def api_article(request: Request, user: User, article: Article) -> dict[str, Any]:
    """``GET /api/v1/articles/{id}``: a full read for the token's user, or the preview with
    ``paywall: true`` (and ``text``/``html`` cut to the first paragraph)."""
    service = memberships(request)
    if not service.enabled:
        return article_json(article)
    decision = service.open(reader_state(request, user), article)
    if decision.full:
        return {**article_json(article), "paywall": False, "reads_left": decision.reads_left}
    return {
        **article_json(preview_of(article)),
        "paywall": True,
        "reads_left": 0,
        "detail": "Free articles for this month are read: become a member to read on.",
    }


def gate_sync(request: Request, user: User, found: list[Article]) -> list[Article]:
    """Articles for a sync API (Miniflux, Google Reader): entries are listed, not read, so they
    carry the whole body only when reading it would cost the reader nothing, else the preview."""
    return memberships(request).listable(user, found)


# -- the reader's plan -------------------------------------------------------------------------


def membership_summary(request: Request) -> AccountSummary:
    """For templates: the viewer's plan, trial days left and free reads left this month."""
    service = memberships(request)
    if not service.enabled:
        return AccountSummary(False, PlanStatus("free"), None, 0)
    return service.summary(reader_state(request))


@router.get("/membership", response_class=HTMLResponse)
def membership_page(request: Request) -> Response:
    response = render(request, "membership_account.html", summary=membership_summary(request))
    return with_reader_cookie(request, response)


# -- admin: memberships and the publisher report -----------------------------------------------


def _month(request: Request, month: str | None) -> str:
    return month if month and _MONTH.match(month) else month_of(_bs(request).now())


def _admin_page(request: Request, month: str, status_code: int = 200, **extra: Any) -> Response:
    store = _bs(request).store
    report = store.membership.publisher_report(month)
    months = sorted({month, *store.membership.ledger_months()}, reverse=True)
    by_user = {m.user_id: m for m in store.membership.list_all()}
    service = memberships(request)
    members = [(u, service.summary(service.reader_state(u, None)), by_user.get(u.id))
               for u in store.accounts.list_users()]  # fmt: skip
    return render(
        request, "membership_admin.html", status_code=status_code, report=report, month=month,
        months=months, chart=Markup(publisher_chart_svg(report)), members=members,
        enabled=service.enabled, **extra,
    )  # fmt: skip


@router.get("/admin/membership", response_class=HTMLResponse)
def admin_membership(request: Request, admin: Admin, month: str | None = None) -> Response:
    return _admin_page(request, _month(request, month))


@router.get("/admin/membership/report.csv")
def report_csv(request: Request, admin: Admin, month: str | None = None) -> Response:
    chosen = _month(request, month)
    report = _bs(request).store.membership.publisher_report(chosen)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "publisher", "reads", "unique_readers", "share"])
    for row in report.rows:
        writer.writerow([chosen, _csv_safe(row.publisher), row.reads, row.readers,
                         f"{row.share:.6f}"])  # fmt: skip
    writer.writerow([chosen, "All publishers", report.reads, report.readers,
                     "1.000000" if report.reads else "0"])  # fmt: skip
    name = f"publisher-report-{chosen}.csv"
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _csv_safe(value: str) -> str:
    """A spreadsheet must not run a publisher's name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _until(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value), time(), UTC) if value.strip() else None
    except ValueError:
        return None


@router.post("/admin/membership/{user_id}/grant")
def grant(request: Request, user_id: int, admin: Admin, until: str = Form("")) -> Response:
    _bs(request).store.accounts.get_user(user_id)  # 404 for an unknown account
    ends = _until(until)
    if until.strip() and (ends is None or ends <= _bs(request).now()):
        return _admin_page(request, _month(request, None), status_code=400,
                           error="Give an end date in the future, or none.")  # fmt: skip
    memberships(request).grant(user_id, until=ends, provider="admin")
    return RedirectResponse("/admin/membership#members", status_code=303)


@router.post("/admin/membership/{user_id}/extend")
def extend(request: Request, user_id: int, admin: Admin, days: str = Form("")) -> Response:
    _bs(request).store.accounts.get_user(user_id)
    if not days.strip().isdigit() or not 0 < int(days) <= 3660:
        return _admin_page(request, _month(request, None), status_code=400,
                           error="Extend by a number of days from 1 to 3660.")  # fmt: skip
    memberships(request).extend(user_id, int(days))
    return RedirectResponse("/admin/membership#members", status_code=303)


@router.post("/admin/membership/{user_id}/end")
def end(request: Request, user_id: int, admin: Admin) -> Response:
    _bs(request).store.accounts.get_user(user_id)
    memberships(request).end(user_id)
    return RedirectResponse("/admin/membership#members", status_code=303)


# -- the payment provider's webhook ------------------------------------------------------------


async def webhook(request: Request) -> Response:
    """``POST /membership/webhook``: server to server, so no CSRF token and no session: the
    signature is the authentication."""
    body = await request.body()
    if len(body) > 64 * 1024:
        return JSONResponse({"detail": "event too large"}, status_code=413)
    try:
        event = handle_webhook(memberships(request), body, request.headers.get(SIGNATURE_HEADER))
    except WebhookError as e:
        return JSONResponse({"detail": str(e)}, status_code=e.status)
    return JSONResponse({"status": "ok", "event": event.id})


class ForgetOfflineCopies:
    """Signing out wipes the browser's offline copies (Cache Storage, the service worker): a
    member's full articles must not stay readable, offline, to whoever uses the device next.
    (Plain ASGI: it looks at one path, and every other request passes straight through.)"""

    def __init__(self, app: ASGIApp, broadsheet: Broadsheet) -> None:
        self.app, self.broadsheet = app, broadsheet

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        signout = scope["type"] == "http" and scope["method"] == "POST"
        signout = signout and scope["path"] == "/signout"
        if not (signout and self.broadsheet.settings.membership_enabled):
            await self.app(scope, receive, send)
            return

        async def send_clearing(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Clear-Site-Data"] = '"cache", "storage"'
            await send(message)

        await self.app(scope, receive, send_clearing)


def install(app: FastAPI) -> None:
    """The routes, the account summary for templates, and the webhook. The webhook is a plain
    route, outside the router whose dependencies check CSRF and load the viewer."""
    app.add_route("/membership/webhook", webhook, methods=["POST"])
    app.add_middleware(ForgetOfflineCopies, broadsheet=app.state.broadsheet)
    app.state.templates.env.globals["membership_summary"] = membership_summary
    app.include_router(router)
