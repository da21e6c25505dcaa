"""Article labels: sections and named entities, for topic pages.

Revision ID: 0015
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0015"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_labels",
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "key", name="pk_article_labels"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_labels_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_labels_key_at", "article_labels", ["key", "at"])


def downgrade() -> None:
    op.drop_index("ix_article_labels_key_at", "article_labels")
    op.drop_table("article_labels")
