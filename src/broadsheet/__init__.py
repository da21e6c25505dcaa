"""Broadsheet: all your news in one place.

The package root stays light (``broadsheet --help`` must start fast): the library calls load their
modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broadsheet.types import ExtractedArticle

__all__ = ["__version__", "clean_text", "extract"]
__version__ = "0.1.0"


def extract(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Extract the article from a page's HTML. See ``broadsheet.extract``."""
    from broadsheet.extract import extract as _extract

    return _extract(html, url=url)


def clean_text(text: str) -> str:
    """Remove aggregator chrome, repeated caption lines and stray logo text from pasted or feed
    text. See ``broadsheet.extract.clean_text``."""
    from broadsheet.extract.clean_text import clean_text as _clean_text

    return _clean_text(text)
