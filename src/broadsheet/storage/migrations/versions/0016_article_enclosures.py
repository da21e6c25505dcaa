"""Enclosures on articles: the files a feed entry carries (podcast audio, photos).

Revision ID: 0016
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: SQLite adds it in place, without copying the table.
    op.add_column("articles", sa.Column("enclosures", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("enclosures")
