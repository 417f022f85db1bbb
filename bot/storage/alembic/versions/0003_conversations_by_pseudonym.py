"""conversations keyed by pseudonym, with a version and the user's language

The conversation table held the raw platform id ("telegram:12345"). Now its key is the same
keyed pseudonym the query log uses, `version` lets two processes answering one user detect each
other (optimistic concurrency), and `lang` lets senders find the user's language without
reading the engine's JSON.

Existing rows are converted when the pseudonym key is at hand (the bot passes it to
`bot.storage.migrations.upgrade`); without it they are dropped: conversation state is short-lived
(an open step, the last buttons, the language choice) and a user simply starts afresh.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 04:45:00
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pseudonym(user_key: str, secret: bytes) -> str:
    # Frozen copy of bot.privacy.pseudonym as it was at this revision: a migration must not change later.
    return hmac.new(secret, user_key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _lang(state: str | None) -> str:
    try:
        value = json.loads(state or "{}").get("lang")
    except (ValueError, AttributeError):
        return "id"
    return value if isinstance(value, str) and 0 < len(value) <= 8 else "id"


def upgrade() -> None:
    config = op.get_context().config
    secret = config.attributes.get("pseudonym_secret") if config is not None else None
    new = op.create_table(
        "conversations_v3",
        sa.Column("user_pseudonym", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_pseudonym", name="pk_conversations"),
    )
    if secret:
        old = sa.table(
            "conversations",
            sa.column("user_key", sa.String),
            sa.column("channel", sa.String),
            sa.column("state", sa.Text),
            sa.column("updated_at", sa.DateTime(timezone=True)),
        )
        rows = [
            {
                "user_pseudonym": _pseudonym(row.user_key, secret),
                "channel": row.channel,
                "state": row.state,
                "lang": _lang(row.state),
                "version": 1,
                "updated_at": row.updated_at or datetime.now(UTC),
            }
            for row in op.get_bind().execute(sa.select(old))
        ]
        if rows:
            op.bulk_insert(new, rows)
    op.drop_table("conversations")
    op.rename_table("conversations_v3", "conversations")


def downgrade() -> None:
    # Pseudonyms cannot be turned back into platform ids: the old table comes back empty.
    op.drop_table("conversations")
    op.create_table(
        "conversations",
        sa.Column("user_key", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_key"),
    )
