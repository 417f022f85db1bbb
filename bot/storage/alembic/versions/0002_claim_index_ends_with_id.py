"""claim index ends with id

The queue claims pending rows ORDER BY next_attempt_at, id: with id in the index the database
reads the first N rows in order instead of sorting every row of a broadcast sent at one time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 02:02:22.146166
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_claim"))
        batch_op.create_index("ix_deliveries_claim", ["status", "channel", "next_attempt_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_claim")
        batch_op.create_index(batch_op.f("ix_deliveries_claim"), ["status", "channel", "next_attempt_at"], unique=False)
