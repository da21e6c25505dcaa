"""Page → article: ``extract(html, url=…)`` gives an ``ExtractedArticle`` or ``ExtractionError``.

Modules, one concern each: ``dom`` (parsing and limits), ``boilerplate`` (furniture by tag and
name), ``blocks`` (text blocks and their features), ``teasers`` (cards of other stories),
``candidates`` (choosing the body container), ``body`` (which of its blocks are text), ``scope``
(several-article pages), ``jsonld`` and ``metadata`` (everything but the body), ``attribution``
(wire agency, first publisher), ``render`` (body HTML), ``sanitize`` (the allow-list),
``clean_text`` (text without chrome), ``formats`` (JSON, Markdown, text), ``evaluation`` (the
benchmark metric), ``core`` (the pipeline).
"""

from __future__ import annotations

import sys
import types

from broadsheet.extract.clean_text import clean_text
from broadsheet.extract.core import extract
from broadsheet.types import ExtractedArticle

__all__ = ["clean_text", "extract"]


class _CallableModule(types.ModuleType):
    """``broadsheet.extract`` is both this package and the library function: importing the
    package replaces the function on ``broadsheet``, so the package answers calls itself."""

    def __call__(self, html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
        return extract(html, url=url)


sys.modules[__name__].__class__ = _CallableModule
