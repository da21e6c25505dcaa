"""Retention per source: how many days a source's articles are kept.

Revision ID: 0018
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("retention_days", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("retention_days")
