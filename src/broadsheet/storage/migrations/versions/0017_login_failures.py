"""Failed sign-ins in the database, so every web process counts the same ones.

Revision ID: 0017
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0017"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_key_hash_at", "login_failures", ["key_hash", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_key_hash_at", "login_failures")
    op.drop_table("login_failures")
