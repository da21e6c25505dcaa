"""Ingestion: source health and leases, entry identity by GUID, link and content hash.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from broadsheet.storage.schema import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("items_per_day", sa.Float))
    op.add_column("sources", sa.Column("paused_reason", sa.Text))
    op.add_column("sources", sa.Column("lease_owner", sa.Text))
    op.add_column("sources", sa.Column("lease_expires_at", UTCDateTime()))
    op.create_index("ix_sources_next_fetch_at", "sources", ["next_fetch_at"])
    op.add_column("entries", sa.Column("content_hash", sa.String(64)))
    op.add_column("entries", sa.Column("updated", UTCDateTime()))
    op.create_index("ix_entries_source_guid", "entries", ["source_id", "guid"])
    op.create_index("ix_entries_source_link", "entries", ["source_id", "link"])
    op.create_index("ix_entries_source_content_hash", "entries", ["source_id", "content_hash"])


def downgrade() -> None:
    op.drop_index("ix_entries_source_content_hash", "entries")
    op.drop_index("ix_entries_source_link", "entries")
    op.drop_index("ix_entries_source_guid", "entries")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("updated")
        batch.drop_column("content_hash")
    op.drop_index("ix_sources_next_fetch_at", "sources")
    with op.batch_alter_table("sources") as batch:
        for column in ("lease_expires_at", "lease_owner", "paused_reason", "items_per_day"):
            batch.drop_column(column)
