"""The office's handover timeout: a chat an officer holds but nobody writes in goes back to the bot.

`handover_timeout_minutes` in content/office.yaml (default 120). Without it a forgotten chat would
keep the bot quiet for that resident. The close is recorded in the thread (no officer: the timeout),
and the resident is told through the delivery queue the worker sends from (retried like a reminder).
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.engine.features.handover import timed_out
from bot.knowledge.content import Content
from bot.storage import handover as store
from bot.storage import outbox as queue
from bot.storage.db import Database

log = logging.getLogger(__name__)


async def hand_back_idle(db: Database, content: Content, now: datetime) -> int:
    """Close every held handover idle for longer than the office's timeout; returns how many."""
    before = now - content.office.handover_timeout
    closed = 0
    for case in await store.idle(db, before):
        done = await store.time_out(db, case.id, before, now)  # skipped if someone wrote meanwhile
        if done is None:
            continue
        text = timed_out(done.lang)
        await queue.enqueue(db, f"handover:{done.id}:timeout", done.user_key, done.channel, done.lang, text, now)
        closed += 1
    if closed:
        log.info("%d conversation(s) with an officer went back to the bot after the office's timeout", closed)
    return closed
