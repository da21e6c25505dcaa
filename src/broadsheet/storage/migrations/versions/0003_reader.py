"""The reader: sessions, password resets, invitations, saved articles, reading history, follows,
picks, source standing, and the full-text search index with the triggers that keep it in step.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def _user_fk(
    table: str, column: str = "user_id", ondelete: str = "CASCADE"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete=ondelete
    )


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"], ["articles.id"], name=f"fk_{table}_article_id_articles", ondelete="CASCADE"
    )


def upgrade() -> None:
    _accounts()
    _reading()
    _curation()
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_SEARCH:
            op.execute(statement)
    else:
        for statement in SQLITE_SEARCH:
            op.execute(statement)


def _accounts() -> None:
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_sessions"),
        _user_fk("sessions"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime()),
        sa.Column("used_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name="pk_password_resets"),
        sa.UniqueConstraint("token_hash", name="uq_password_resets_token_hash"),
        _user_fk("password_resets"),
    )
    op.create_table(
        "invitations",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False, server_default="reader"),
        sa.Column("created_by", sa.Integer),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("token_hash", name="pk_invitations"),
        _user_fk("invitations", "created_by", "SET NULL"),
    )


def _reading() -> None:
    op.create_table(
        "saved_articles",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("saved_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_saved_articles"),
        _user_fk("saved_articles"),
        _article_fk("saved_articles"),
    )
    op.create_table(
        "reading_history",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_reading_history"),
        _user_fk("reading_history"),
        _article_fk("reading_history"),
    )
    op.create_index("ix_reading_history_read_at", "reading_history", ["read_at"])
    op.create_table(
        "follows",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "key", name="pk_follows"),
        _user_fk("follows"),
    )


def _curation() -> None:
    op.create_table(
        "picks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer),
        sa.Column("story_id", sa.Integer),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime()),
        sa.Column("created_by", sa.Integer),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_picks"),
        _article_fk("picks"),
        _user_fk("picks", "created_by", "SET NULL"),
    )
    op.create_index("ix_picks_starts_at", "picks", ["starts_at"])
    op.create_table(
        "source_standing",
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("weight", sa.Float, nullable=False, server_default="1.0"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name="pk_source_standing"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_source_standing_source_id_sources",
            ondelete="CASCADE",
        ),
    )


# SQLite: an FTS5 table whose rowid is the article id; triggers index each article as it is saved.
_SQLITE_ROW = """(new.id, coalesce(new.title, ''), new.text,
  coalesce((SELECT group_concat(json_extract(value, '$.name'), ' ')
            FROM json_each(new.authors)), ''),
  coalesce((SELECT title FROM sources WHERE id = new.source_id), ''))"""
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, author, source, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO article_fts(rowid, title, body, author, source)"
    " SELECT a.id, coalesce(a.title, ''), a.text,"
    " coalesce((SELECT group_concat(json_extract(value, '$.name'), ' ')"
    " FROM json_each(a.authors)), ''), coalesce(s.title, '')"
    " FROM articles a LEFT JOIN sources s ON s.id = a.source_id",
    "CREATE TRIGGER article_fts_insert AFTER INSERT ON articles BEGIN "
    f"INSERT INTO article_fts(rowid, title, body, author, source) VALUES {_SQLITE_ROW}; END",
    "CREATE TRIGGER article_fts_update AFTER UPDATE ON articles BEGIN "
    "DELETE FROM article_fts WHERE rowid = old.id; "
    f"INSERT INTO article_fts(rowid, title, body, author, source) VALUES {_SQLITE_ROW}; END",
    "CREATE TRIGGER article_fts_delete AFTER DELETE ON articles BEGIN "
    "DELETE FROM article_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER article_fts_source_title AFTER UPDATE OF title ON sources BEGIN "
    "UPDATE article_fts SET source = coalesce(new.title, '') WHERE rowid IN "
    "(SELECT id FROM articles WHERE source_id = new.id); END",
]

# PostgreSQL: a weighted tsvector per article (title A, author and source B, body C) in its own
# table, with a GIN index; a trigger function keeps it in step with the articles table.
POSTGRES_SEARCH = [
    """CREATE TABLE article_search (
        article_id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        document tsvector NOT NULL)""",
    "CREATE INDEX article_search_document ON article_search USING gin (document)",
    """CREATE FUNCTION article_search_document(a articles) RETURNS tsvector
       LANGUAGE sql STABLE AS $$
         SELECT setweight(to_tsvector('english', coalesce(a.title, '')), 'A')
             || setweight(to_tsvector('english', coalesce((SELECT string_agg(x->>'name', ' ')
                    FROM json_array_elements(a.authors) AS x), '')), 'B')
             || setweight(to_tsvector('english', coalesce((SELECT title FROM sources
                    WHERE id = a.source_id), '')), 'B')
             || setweight(to_tsvector('english', left(a.text, 500000)), 'C')
       $$""",
    """CREATE FUNCTION article_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO article_search (article_id, document)
         VALUES (NEW.id, article_search_document(NEW))
         ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER article_search_refresh AFTER INSERT OR UPDATE ON articles
       FOR EACH ROW EXECUTE FUNCTION article_search_refresh()""",
    """CREATE FUNCTION article_search_source_title() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE article_search s SET document = article_search_document(a)
         FROM articles a WHERE a.source_id = NEW.id AND s.article_id = a.id;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER article_search_source_title AFTER UPDATE OF title ON sources
       FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
       EXECUTE FUNCTION article_search_source_title()""",
    """INSERT INTO article_search (article_id, document)
       SELECT a.id, article_search_document(a) FROM articles a""",
]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE article_search")
        op.execute("DROP TRIGGER article_search_refresh ON articles")
        op.execute("DROP TRIGGER article_search_source_title ON sources")
        op.execute("DROP FUNCTION article_search_refresh(), article_search_source_title()")
        op.execute("DROP FUNCTION article_search_document(articles)")
    else:
        for trigger in ("insert", "update", "delete", "source_title"):
            op.execute(f"DROP TRIGGER article_fts_{trigger}")
        op.execute("DROP TABLE article_fts")
    for table in ("source_standing", "picks", "follows", "reading_history", "saved_articles",
                  "invitations", "password_resets", "sessions"):  # fmt: skip
        op.drop_table(table)
