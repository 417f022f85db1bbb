"""deliveries at least once: uncertain_sends

A row whose request had started when its worker died is now sent again (the queue is at least
once, see bot.storage.outbox); `uncertain_sends` counts such requests so the author and the
dashboard see how many recipients may have the message twice. Rows already 'uncertain' (the
at-most-once queue before this revision) stay as they are: an old message resent late would
confuse more than help.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uncertain_sends", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("uncertain_sends")
