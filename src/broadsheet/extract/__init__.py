"""Page → article: ``extract(html, url=…)`` returns an ``ExtractedArticle`` or raises ``ExtractionError``."""

from __future__ import annotations

from broadsheet.extract.core import extract

__all__ = ["extract"]
