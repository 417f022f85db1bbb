"""The entry the matcher answers a conversation's first message on straight away, for the families' tests."""

from __future__ import annotations

from functools import cache

from bot.engine.understanding import CONFIDENT, Understanding
from tests.support.shipped import shipped_content


@cache
def shipped_understanding() -> Understanding:
    return Understanding(shipped_content())


def answered(text: str) -> str | None:
    """The entry a single message opening a conversation is answered on straight away, or None (asked, fallback)."""
    u = shipped_understanding()
    matches = u.match(text)
    if not matches or matches[0].score < CONFIDENT or u.torn(matches):
        return None
    top = matches[0]
    return top.intent_id if u.names(text, top.intent_id, top.score) else None
