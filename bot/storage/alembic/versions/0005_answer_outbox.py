"""answer outbox: every accepted update and its answer until sent

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 05:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "answer_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("update_id", sa.String(length=128), nullable=False),
        sa.Column("chat", sa.String(length=128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("replies", sa.Text(), nullable=True),
        sa.Column("sent_parts", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "update_id", name="uq_answer_outbox_update"),
    )
    with op.batch_alter_table("answer_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_answer_outbox_due", ["channel", "status", "due_at"], unique=False)
        batch_op.create_index("ix_answer_outbox_chat", ["chat", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_outbox_received_at"), ["received_at"], unique=False)


def downgrade() -> None:
    op.drop_table("answer_outbox")
