"""Loading and saving one user's conversation state."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.engine.state import ConversationState
from bot.storage.db import Database
from bot.storage.models import Conversation

# Every message reads and writes one row: plain Core statements, no ORM unit of work on the hot path.


async def load_state(db: Database, user_key: str) -> ConversationState:
    async with db.engine.connect() as conn:
        raw = await conn.scalar(select(Conversation.state).where(Conversation.user_key == user_key))
    return ConversationState.from_json(raw)


async def save_state(db: Database, user_key: str, channel: str, state: ConversationState) -> None:
    """Insert or replace the user's state in one statement."""
    stmt = db.insert(Conversation).values(
        user_key=user_key, channel=channel, state=state.to_json(), updated_at=datetime.now(UTC)
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Conversation.user_key],
        set_={"state": stmt.excluded.state, "updated_at": stmt.excluded.updated_at},
    )
    async with db.engine.begin() as conn:
        await conn.execute(stmt)


async def delete_state(db: Database, user_key: str) -> None:
    async with db.session() as session:
        await session.execute(delete(Conversation).where(Conversation.user_key == user_key))
