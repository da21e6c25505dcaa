"""The HTML pages: latest articles, the reading view, sources (with the add form)."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from broadsheet.core import Broadsheet
from broadsheet.exceptions import BroadsheetError, NotFound
from broadsheet.ingest.opml import MAX_OPML_BYTES, ImportResult, parse_opml
from broadsheet.storage.ingestion import SourceSettings
from broadsheet.storage.retention import MIN_RETENTION_DAYS
from broadsheet.web.security import csrf_token, csrf_valid

__all__ = ["install_error_pages", "router"]

router = APIRouter()
PAGE_SIZE = 30


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("csrf_token", csrf_token(request))
    if template in ("sources.html", "source.html"):
        context.setdefault("manages_sources", may_manage_sources(request))
        context.setdefault("site_retention", _bs(request).settings.retention_days)
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response


def may_manage_sources(request: Request) -> bool:
    """Editors and admins add and change sources; until the first account exists, whoever set
    the install up does (a fresh install must be usable before anyone signs up)."""
    from broadsheet.web.auth import RANK, viewer

    if _bs(request).store.count_users() == 0:
        return True
    user = viewer(request)
    return user is not None and RANK.get(user.role, 0) >= RANK["editor"]


def require_source_manager(request: Request) -> None:
    from broadsheet.web.auth import Forbidden, SignInRequired, viewer

    if not may_manage_sources(request):
        raise SignInRequired() if viewer(request) is None else Forbidden()


MANAGES_SOURCES = [Depends(require_source_manager)]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, page: int = 1) -> Response:
    # Async on purpose: the page is a few cheap reads, and a trip through the thread pool would
    # cost more than they do.
    from broadsheet.web.home import home_page

    return home_page(request, max(1, page))


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: int) -> Response:
    # Async, like the home page: a handful of index look-ups cost less than a thread hop.
    from broadsheet.web.library import article_extras
    from broadsheet.web.membership import article_gate

    article = _bs(request).get_article(article_id)
    gate = article_gate(request, article)  # the paywall: the preview when reads are used up
    extras = article_extras(request, article)
    page = render(request, "article.html", **{**extras, **gate.context, "article": gate.article})
    return gate.finish(request, page)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, added: str | None = None, error: str | None = None) -> Response:
    sources = _bs(request).list_sources()
    return render(request, "sources.html", sources=sources, added=added, error=error)


@router.get("/sources.opml")
def export_opml(request: Request) -> Response:
    """Every source as OPML, one folder per category, to take to another reader."""
    attachment = {"Content-Disposition": 'attachment; filename="broadsheet.opml"'}
    return Response(
        _bs(request).export_opml(), media_type="text/x-opml; charset=utf-8", headers=attachment
    )


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(
    request: Request, source_id: int, saved: str | None = None, retried: str | None = None
) -> Response:
    broadsheet = _bs(request)
    source = broadsheet.get_source(source_id)
    articles = broadsheet.list_articles(limit=PAGE_SIZE, source_id=source_id)
    from broadsheet.web.auth import viewer

    user = viewer(request)
    reading = broadsheet.store.reading
    following = user is not None and reading.is_following(user.id, "source", str(source_id))
    return render(request, "source.html", source=source, articles=articles, saved=saved,
                  retried=retried, following=following)  # fmt: skip


@router.post("/sources", dependencies=MANAGES_SOURCES)
async def add_source(request: Request, url: str = Form(""), csrf: str = Form("")) -> Response:
    if not csrf_valid(request, csrf):
        return render(request, "error.html", status_code=403, message="The form expired: reload "
                      "the page and try again.")  # fmt: skip
    if not url.strip():
        return render(
            request,
            "sources.html",
            status_code=400,
            sources=_bs(request).list_sources(),
            error="Give a feed or site address.",
        )
    result = await _bs(request).add_source(url)
    if result.source is None:
        return render(
            request,
            "sources.html",
            status_code=422,
            sources=_bs(request).list_sources(),
            error=result.error,
            url=url,
        )
    return RedirectResponse(f"/sources?added={result.source.id}", status_code=303)


# -- source health, settings and OPML import (ingestion) -------------------------------------------

FORM_EXPIRED = "The form expired: reload the page and try again."


@dataclass
class ImportJob:
    """An OPML import running in the background; the sources page shows its progress."""

    total: int
    done: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    task: asyncio.Task[Any] | None = None

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    def advance(self, result: ImportResult) -> None:
        self.done += 1
        if not result.ok:
            self.failures.append((result.entry.label, result.error or "failed"))


def _import_jobs(request: Request) -> dict[str, ImportJob]:
    jobs: dict[str, ImportJob] | None = getattr(request.app.state, "import_jobs", None)
    if jobs is None:
        jobs = request.app.state.import_jobs = {}
    return jobs


@router.post("/sources/import", dependencies=MANAGES_SOURCES)
async def import_opml(
    request: Request, file: Annotated[UploadFile, File()], csrf: str = Form("")
) -> Response:
    if not csrf_valid(request, csrf):
        return render(request, "error.html", status_code=403, message=FORM_EXPIRED)
    document = await file.read(MAX_OPML_BYTES + 1)
    try:
        entries = parse_opml(document)
    except BroadsheetError as e:
        sources = _bs(request).list_sources()
        return render(request, "sources.html", status_code=422, sources=sources, error=str(e))
    jobs = _import_jobs(request)
    for old_id in [key for key, old in jobs.items() if old.finished][:-10]:
        del jobs[old_id]  # the last ten finished imports stay readable
    job_id = secrets.token_urlsafe(8)
    job = jobs[job_id] = ImportJob(total=len(entries))
    job.task = asyncio.create_task(_bs(request).import_opml(document, progress=job.advance))
    return RedirectResponse(f"/sources/import/{job_id}", status_code=303)


@router.get("/sources/import/{job_id}", response_class=HTMLResponse)
def import_progress(request: Request, job_id: str) -> Response:
    job = _import_jobs(request).get(job_id)
    if job is None:
        raise NotFound(f"no import {job_id}")
    sources = _bs(request).list_sources()
    return render(request, "sources.html", sources=sources, job=job, job_id=job_id)


@router.post("/sources/{source_id}/settings", dependencies=MANAGES_SOURCES)
def source_settings(
    request: Request, source_id: int, csrf: str = Form(""), title: str = Form(""),
    category: str = Form(""), interval_minutes: str = Form(""), full_text: str = Form(""),
    paused: str = Form(""), retention_days: str = Form(""),
) -> Response:  # fmt: skip
    if not csrf_valid(request, csrf):
        return render(request, "error.html", status_code=403, message=FORM_EXPIRED)
    minutes, days = interval_minutes.strip(), retention_days.strip()
    error = None
    if minutes and not (minutes.isdigit() and 5 <= int(minutes) <= 10080):
        error = "The interval is a number of minutes from 5 to 10080 (a week)."
    elif days and not (days.isdigit() and (int(days) == 0 or int(days) >= MIN_RETENTION_DAYS)):
        error = f"Articles are kept for {MIN_RETENTION_DAYS} days or more (0: for ever)."
    if error:
        source = _bs(request).get_source(source_id)
        return render(request, "source.html", status_code=400, source=source, articles=[],
                      error=error)  # fmt: skip
    settings = SourceSettings(
        title=title.strip() or None, category=category.strip() or None,
        interval_seconds=int(minutes) * 60 if minutes else None,
        full_text=bool(full_text), paused=bool(paused),
        retention_days=int(days) if days else None,
    )  # fmt: skip
    _bs(request).update_source(source_id, settings)
    return RedirectResponse(f"/sources/{source_id}?saved=1", status_code=303)


@router.post("/sources/{source_id}/retry", dependencies=MANAGES_SOURCES)
def retry_source(request: Request, source_id: int, csrf: str = Form("")) -> Response:
    if not csrf_valid(request, csrf):
        return render(request, "error.html", status_code=403, message=FORM_EXPIRED)
    _bs(request).retry_source(source_id)
    return RedirectResponse(f"/sources/{source_id}?retried=1", status_code=303)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    _bs(request).store.count_users()
    return JSONResponse({"status": "ok"})


def install_error_pages(app: FastAPI) -> None:
    """Readable error pages for people; JSON errors for API clients."""

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc) or "Not found"}, status_code=404)
        return render(request, "error.html", status_code=404, message="Not found.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        message = "Not found." if exc.status_code == 404 else str(exc.detail)
        return render(request, "error.html", status_code=exc.status_code, message=message)
