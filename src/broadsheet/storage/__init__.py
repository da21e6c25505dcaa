"""Storage: one interface (``Store``) over SQLite and PostgreSQL."""

from broadsheet.storage.store import SavedArticle, Store

__all__ = ["SavedArticle", "Store"]
