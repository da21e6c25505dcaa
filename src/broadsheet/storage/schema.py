"""The database schema, in SQLAlchemy Core.

Migrations under ``migrations/`` must produce exactly this (a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UTCDateTime", "articles", "entries", "metadata", "sources", "users"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so we add UTC back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("site_url", Text),
    Column("title", Text),
    Column("category", Text),
    Column("status", String(16), nullable=False, server_default="ok"),
    Column("last_error", Text),
    Column("error_count", Integer, nullable=False, server_default="0"),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("full_text", Boolean, nullable=False, server_default="1"),
    Column("interval_seconds", Integer),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_fetched_at", UTCDateTime()),
    Column("last_success_at", UTCDateTime()),
    Column("next_fetch_at", UTCDateTime()),
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("guid", Text),
    Column("link", Text),
    Column("title", Text),
    Column("summary", Text),
    Column("published", UTCDateTime()),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("error", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("source_id", "key", name="uq_entries_source_key"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("canonical_url", Text),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("title", Text),
    Column("standfirst", Text),
    Column("authors", JSON, nullable=False),
    Column("publisher", Text),
    Column("section", Text),
    Column("published", UTCDateTime()),
    Column("modified", UTCDateTime()),
    Column("language", String(16)),
    Column("lead_image", JSON),
    Column("attribution", Text),
    Column("html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("word_count", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_articles_published", "published"),
    Index("ix_articles_created_at", "created_at"),
    Index("ix_articles_text_hash", "text_hash"),
    Index("ix_articles_canonical_url", "canonical_url"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False, server_default="reader"),
    Column("created_at", UTCDateTime(), nullable=False),
)

# -- stories: which story each article belongs to; merged stories point to their successor ------

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("merged_into", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("headline", Text),
    Column("article_count", Integer, nullable=False, server_default="0"),
    Column("outlet_count", Integer, nullable=False, server_default="0"),
    Column("first_published", UTCDateTime()),
    Column("last_published", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_stories_last_published", "last_published"),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("syndication_group", Integer),
    Column("assigned_at", UTCDateTime(), nullable=False),
    Index("ix_story_articles_story_id", "story_id"),
    Index("ix_story_articles_syndication_group", "syndication_group"),
)
