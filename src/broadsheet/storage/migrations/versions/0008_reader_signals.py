"""Reader signals for For you.

Revision ID: 0008
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reader_signals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("weight", sa.Float, nullable=False, server_default="1"),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reader_signals"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_reader_signals_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_reader_signals_user_id", "reader_signals", ["user_id"])
    op.create_index("ix_reader_signals_at", "reader_signals", ["at"])


def downgrade() -> None:
    op.drop_table("reader_signals")
