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
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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
    # ingestion (0002): health, pausing, and the lease a worker holds while fetching the source
    Column("items_per_day", Float),
    Column("paused_reason", Text),
    Column("lease_owner", Text),
    Column("lease_expires_at", UTCDateTime()),
    Column("retention_days", Integer),  # (0018) None: the site-wide setting
    Index("ix_sources_next_fetch_at", "next_fetch_at"),
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
    # ingestion (0002): an entry is recognised by GUID, then link, then content hash
    Column("content_hash", String(64)),
    Column("updated", UTCDateTime()),
    UniqueConstraint("source_id", "key", name="uq_entries_source_key"),
    Index("ix_entries_source_guid", "source_id", "guid"),
    Index("ix_entries_source_link", "source_id", "link"),
    Index("ix_entries_source_content_hash", "source_id", "content_hash"),
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
    Column("enclosures", JSON),  # (0016) the feed entry's files: [{url, type, length}]
    Column("attribution", Text),
    Column("html", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("word_count", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_articles_published_id", "published", "id"),  # (0022)
    Index("ix_articles_created_at_id", "created_at", "id"),
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
    Index("ix_stories_updated_at", "updated_at"),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("syndication_group", Integer),
    Column("assigned_at", UTCDateTime(), nullable=False),
    # The clusterer's sentence embedding of the article (float16), read back after a restart,
    # and what made it (a vector from another encoder is not reused).
    Column("embedding", LargeBinary),
    Column("embedding_model", String(200)),
    Index("ix_story_articles_story_id", "story_id"),
    Index("ix_story_articles_syndication_group", "syndication_group"),
)

# A story's text analysis as of one state of the story (``version``), made once for every process.
story_texts = Table(
    "story_texts",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Text, nullable=False),
    Column("analysis", JSON, nullable=False),
    Column("computed_at", UTCDateTime(), nullable=False),
)

# -- the reader: sessions, password resets, invitations, saved, history, follows, picks, standing --

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index("ix_sessions_user_id", "user_id"),
)

password_resets = Table(
    "password_resets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime()),
    Column("used_at", UTCDateTime()),
)

invitations = Table(
    "invitations",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("role", String(16), nullable=False, server_default="reader"),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

saved_articles = Table(
    "saved_articles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("saved_at", UTCDateTime(), nullable=False),
)

reading_history = Table(
    "reading_history",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("read_at", UTCDateTime(), nullable=False),
    Index("ix_reading_history_read_at", "read_at"),
)

follows = Table(
    "follows",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("label", Text),
    Column("created_at", UTCDateTime(), nullable=False),
)

picks = Table(
    "picks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE")),
    Column("story_id", Integer),
    Column("note", Text, nullable=False, server_default=""),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime()),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_picks_starts_at", "starts_at"),
)

source_standing = Table(
    "source_standing",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("weight", Float, nullable=False, server_default="1.0"),
    Column("updated_at", UTCDateTime(), nullable=False),
)

# Full-text search tables (an FTS5 virtual table on SQLite, a tsvector table on PostgreSQL) are made
# by migration 0003 in each dialect's own terms and kept up by triggers, so they stay out of this
# metadata; schema comparisons skip them by name.
SEARCH_TABLE_PREFIXES = ("article_fts", "article_search")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: everything but the search index tables (and their indexes)."""
    table = obj.table.name if type_ == "index" else name
    return not (table or "").startswith(SEARCH_TABLE_PREFIXES)


# -- JSON API: per-user tokens, stored as hashes ------------------------------------------------

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime()),
    # md5("email:token"), what Fever apps send: the protocol's own weak scheme, kept to it alone.
    Column("fever_key", String(32)),
    Index("ix_api_tokens_fever_key", "fever_key"),
)

# -- sync APIs: which articles each reader has read ---------------------------------------------

read_marks = Table(
    "read_marks",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("read_at", UTCDateTime(), nullable=False),
)

# -- membership (0005): memberships, free reads, the reading ledger, webhook events, keys -------

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("plan", String(32), nullable=False, server_default="member"),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("trial_ends_at", UTCDateTime()),
    Column("ends_at", UTCDateTime()),
    Column("provider", String(64)),
    Column("provider_customer", String(200)),
    Column("provider_subscription", String(200)),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_memberships_provider_subscription", "provider_subscription"),
    Index("ix_memberships_provider_customer", "provider_customer"),
)

# Articles a free reader (``u:<user id>`` or ``a:<anonymous cookie id>``) read in full, per month.
free_reads = Table(
    "free_reads",
    metadata,
    Column("reader_key", String(80), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("read_at", UTCDateTime(), nullable=False),
)

# Full reads by trial readers and members, once per reader, article and day, with the publisher
# as it was named then: the basis on which a revenue pool is split.
read_ledger = Table(
    "read_ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    Column("publisher", Text, nullable=False),
    Column("plan", String(16), nullable=False),
    Column("day", Date, nullable=False),
    Column("read_at", UTCDateTime(), nullable=False),
    UniqueConstraint("user_id", "article_id", "day", name="uq_read_ledger_reader_article_day"),
    Index("ix_read_ledger_day", "day"),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("received_at", UTCDateTime(), nullable=False),
)

membership_keys = Table(
    "membership_keys",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(128), nullable=False),
)

# -- For you: what each reader did or said, the only thing the recommender learns from ----------

reader_signals = Table(
    "reader_signals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("target_kind", String(16), nullable=False),
    Column("target", Text, nullable=False),
    Column("weight", Float, nullable=False, server_default="1"),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_reader_signals_user_id", "user_id"),
    Index("ix_reader_signals_at", "at"),
)

# -- Topics: each article's sections and named entities, for topic pages and follows -----------

article_labels = Table(
    "article_labels",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    # a section ("politics") or an entity's lower-cased name; "" marks an article with none
    Column("key", Text, primary_key=True),
    Column("kind", String(16), nullable=False),  # section, person, organisation, place, none
    Column("name", Text, nullable=False),  # as shown
    Column("at", UTCDateTime(), nullable=False),  # the article's published (or stored) time
    Index("ix_article_labels_key_at", "key", "at"),
)

# -- Sign-in throttle (0017): failed sign-ins per key, shared by every web process --------------

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False),  # sha256 of "email:…" or "client:…"
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_login_failures_key_hash_at", "key_hash", "at"),
)
