"""Each stored story embedding names what made it (encoder, settings, what of the article it
read), so a restart after a change of encoder re-encodes those members instead of comparing
vectors of two models. The embeddings stored before this were all made by the one encoder
there was then, and are named after it.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# What broadsheet.understand.story_meaning.made_by gave for the packaged encoder at 0023.
_ENCODER_AT_0023 = "all-MiniLM-L6-v2 int8 64 word pieces; title + 600 characters"


def upgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.add_column(sa.Column("embedding_model", sa.String(200), nullable=True))
    story_articles = sa.table(
        "story_articles", sa.column("embedding", sa.LargeBinary), sa.column("embedding_model")
    )
    op.execute(
        story_articles.update()
        .where(story_articles.c.embedding.is_not(None))
        .values(embedding_model=_ENCODER_AT_0023)
    )


def downgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.drop_column("embedding_model")
