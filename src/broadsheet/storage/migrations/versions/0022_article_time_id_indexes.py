"""Articles' time indexes carry the id too, in the order lists read them (newest first, then by
id): with the time alone, thousands of articles of one moment (an archive whose pages give no
date take their capture time) were all read and sorted to find the first thirty, four seconds
of the home page on PostgreSQL.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_articles_published", table_name="articles")
    op.drop_index("ix_articles_created_at", table_name="articles")
    op.create_index("ix_articles_published_id", "articles", ["published", "id"])
    op.create_index("ix_articles_created_at_id", "articles", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_articles_published_id", table_name="articles")
    op.drop_index("ix_articles_created_at_id", table_name="articles")
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_created_at", "articles", ["created_at"])
