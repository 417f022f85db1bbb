"""Loading and saving one user's conversation state."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.engine.state import ConversationState
from bot.storage.db import Database
from bot.storage.models import Conversation


async def load_state(db: Database, user_key: str) -> ConversationState:
    async with db.session() as session:
        raw = await session.scalar(select(Conversation.state).where(Conversation.user_key == user_key))
    return ConversationState.from_json(raw)


async def save_state(db: Database, user_key: str, channel: str, state: ConversationState) -> None:
    async with db.session() as session:
        row = await session.get(Conversation, user_key)
        now = datetime.now(UTC)
        if row is None:
            session.add(Conversation(user_key=user_key, channel=channel, state=state.to_json(), updated_at=now))
        else:
            row.state, row.updated_at = state.to_json(), now


async def delete_state(db: Database, user_key: str) -> None:
    async with db.session() as session:
        await session.execute(delete(Conversation).where(Conversation.user_key == user_key))
