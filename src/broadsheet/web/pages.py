"""The HTML pages: latest articles, the reading view, sources (with the add form)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from broadsheet.core import Broadsheet
from broadsheet.exceptions import NotFound
from broadsheet.web.security import csrf_token, csrf_valid

__all__ = ["install_error_pages", "router"]

router = APIRouter()
PAGE_SIZE = 30


def _bs(request: Request) -> Broadsheet:
    broadsheet: Broadsheet = request.app.state.broadsheet
    return broadsheet


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("csrf_token", csrf_token(request))
    response: Response = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: int = 1) -> Response:
    page = max(1, page)
    broadsheet = _bs(request)
    articles = broadsheet.list_articles(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    from broadsheet.web.library import home_sections

    return render(
        request, "home.html", articles=articles[:PAGE_SIZE], page=page,
        has_next=len(articles) > PAGE_SIZE, has_sources=bool(broadsheet.list_sources()),
        **home_sections(request, page),
    )  # fmt: skip


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int) -> Response:
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


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source_page(request: Request, source_id: int) -> Response:
    broadsheet = _bs(request)
    source = broadsheet.get_source(source_id)
    articles = broadsheet.list_articles(limit=PAGE_SIZE, source_id=source_id)
    return render(request, "source.html", source=source, articles=articles)


@router.post("/sources")
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
