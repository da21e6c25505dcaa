"""Read marks, for the sync APIs that apps speak.

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "read_marks",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "article_id", name="pk_read_marks"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_read_marks_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_read_marks_article_id_articles",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("read_marks")
