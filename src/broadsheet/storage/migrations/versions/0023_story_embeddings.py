"""Each story member keeps the sentence embedding the clusterer gave it (float16 bytes), so a
restart rebuilds the window without encoding it again (100,000 articles took minutes of the
encoder). (0024 then named the encoder of each vector, so that a later change of encoder
needs no migration emptying this column.)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.add_column(sa.Column("embedding", sa.LargeBinary, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("story_articles") as batch:
        batch.drop_column("embedding")
