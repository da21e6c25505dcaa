"""Membership: memberships, free reads, the reading ledger, webhook events, signing keys.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("plan", sa.String(32), nullable=False, server_default="member"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("trial_ends_at", UTCDateTime()),
        sa.Column("ends_at", UTCDateTime()),
        sa.Column("provider", sa.String(64)),
        sa.Column("provider_customer", sa.String(200)),
        sa.Column("provider_subscription", sa.String(200)),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_memberships"),
        _fk("memberships", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_memberships_provider_subscription", "memberships",
                    ["provider_subscription"])  # fmt: skip
    op.create_index("ix_memberships_provider_customer", "memberships", ["provider_customer"])
    op.create_table(
        "free_reads",
        sa.Column("reader_key", sa.String(80), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("article_id", sa.Integer, nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("reader_key", "month", "article_id", name="pk_free_reads"),
        _fk("free_reads", "article_id", "articles", "CASCADE"),
    )
    _ledger()
    op.create_table(
        "webhook_events",
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_webhook_events"),
    )
    op.create_table(
        "membership_keys",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_membership_keys"),
    )


def _ledger() -> None:
    op.create_table(
        "read_ledger",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("article_id", sa.Integer),
        sa.Column("source_id", sa.Integer),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("plan", sa.String(16), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_read_ledger"),
        sa.UniqueConstraint(
            "user_id", "article_id", "day", name="uq_read_ledger_reader_article_day"
        ),
        _fk("read_ledger", "user_id", "users", "SET NULL"),
        _fk("read_ledger", "article_id", "articles", "SET NULL"),
        _fk("read_ledger", "source_id", "sources", "SET NULL"),
    )
    op.create_index("ix_read_ledger_day", "read_ledger", ["day"])


def downgrade() -> None:
    for table in ("membership_keys", "webhook_events", "read_ledger", "free_reads", "memberships"):
        op.drop_table(table)
