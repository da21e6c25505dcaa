"""Each story's text analysis (summary, entities, what each outlet adds), kept with the state of
the story it was made from, so a story page reads it instead of redoing it per process.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_texts",
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("analysis", sa.JSON, nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("story_id", name="pk_story_texts"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_story_texts_story_id_stories",
            ondelete="CASCADE",
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("story_texts")
