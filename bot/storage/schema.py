"""Every table the bot has: importing this registers them all on `Base.metadata`."""

from __future__ import annotations

from bot.storage import (
    answer_outbox,
    broadcasts,
    drafts,
    handover,
    inbox,
    models,
    querylog,
    roles,
    staff,
    subscriptions,
    whatsapp_status,
    whatsapp_window,
)

metadata = models.Base.metadata

__all__ = [
    "answer_outbox",
    "broadcasts",
    "drafts",
    "handover",
    "inbox",
    "metadata",
    "querylog",
    "roles",
    "staff",
    "subscriptions",
    "whatsapp_status",
    "whatsapp_window",
]
