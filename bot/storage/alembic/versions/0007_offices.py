"""offices: which office a row belongs to, for a deployment of several offices (CONTENT_DIRS)

The query log, its daily counts, subscribers, handovers, FAQ drafts and staff logins gain an `office`
(a region code).
Existing rows keep none: they belong to the default office, the one that ran alone before. The
daily counts are keyed by office too, so the table is rebuilt with its rows ('' = no office).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("day", "channel", "intent", "total", "answered", "helpful_yes", "helpful_no")


def _counts_table(name: str, with_office: bool) -> None:
    op.create_table(
        name,
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=False),
        *([sa.Column("office", sa.String(length=8), nullable=False, server_default="")] if with_office else []),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("helpful_yes", sa.Integer(), nullable=False),
        sa.Column("helpful_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "channel", "intent", *(["office"] if with_office else [])),
    )


def upgrade() -> None:
    with op.batch_alter_table("query_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", sa.String(length=8), nullable=True))
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f("ix_subscribers_office"), ["office"], unique=False)
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", sa.String(length=8), nullable=True))
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f("ix_handovers_office"), ["office"], unique=False)
    with op.batch_alter_table("faq_drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office", sa.String(length=8), nullable=True))
    _counts_table("query_daily_counts_by_office", with_office=True)
    columns = ", ".join(COUNTS)
    op.execute(
        f"INSERT INTO query_daily_counts_by_office ({columns}, office) SELECT {columns}, '' FROM query_daily_counts"
    )
    op.drop_table("query_daily_counts")
    op.rename_table("query_daily_counts_by_office", "query_daily_counts")


def downgrade() -> None:
    _counts_table("query_daily_counts_one", with_office=False)
    sums = "day, channel, intent, SUM(total), SUM(answered), SUM(helpful_yes), SUM(helpful_no)"
    op.execute(
        f"INSERT INTO query_daily_counts_one ({', '.join(COUNTS)}) "
        f"SELECT {sums} FROM query_daily_counts GROUP BY day, channel, intent"
    )
    op.drop_table("query_daily_counts")
    op.rename_table("query_daily_counts_one", "query_daily_counts")
    with op.batch_alter_table("faq_drafts", schema=None) as batch_op:
        batch_op.drop_column("office")
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handovers_office"))
        batch_op.drop_column("office")
    with op.batch_alter_table("staff_accounts", schema=None) as batch_op:
        batch_op.drop_column("office")
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribers_office"))
        batch_op.drop_column("office")
    with op.batch_alter_table("query_log", schema=None) as batch_op:
        batch_op.drop_column("office")
