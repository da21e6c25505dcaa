"""Fever keys on API tokens.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("fever_key", sa.String(32)))
        batch.create_index("ix_api_tokens_fever_key", ["fever_key"])


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_index("ix_api_tokens_fever_key")
        batch.drop_column("fever_key")
