"""Answers to htmx: the forms that change a reader's state (save, follow, more or less like this)
carry ``hx-post``, and their handlers answer an htmx request with the changed part of the page
instead of a redirect, so the reader keeps their place. Without JavaScript the same forms post and
redirect as before."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from broadsheet.web.pages import render

__all__ = ["fragment", "wants_fragment"]


def wants_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def fragment(request: Request, template: str, **context: Any) -> Response:
    """A partial template, marked so that no cache serves it for the whole page."""
    response = render(request, template, **context)
    response.headers["Vary"] = "HX-Request"
    response.headers["Cache-Control"] = "no-store"
    return response
