"""Sending an officer's words to a resident by the channel's rules, and saying how it went.

Telegram takes a message at any time. WhatsApp takes free text only inside the 24-hour window.
Outside it a resident who may be contacted (an active subscriber: the templates' rule) gets the
approved template `pesan_baru` (content/whatsapp_templates.yaml) inviting them to reply; anyone else
gets nothing, and the officer is told so. Either way the officer's words wait in the thread and go
out with the bot's next answer to that resident (bot/engine/features/handover.py).
What the officer reads about a failure is the platform's reason with ids and numbers taken out.
"""

from __future__ import annotations

import re

from bot.engine.features.handover import from_officer
from bot.engine.types import Reply
from bot.privacy import redact
from bot.runtime import Runtime
from bot.storage import handover as store
from bot.storage import whatsapp_window

INVITE_TEMPLATE = "pesan_baru"  # "Ada pesan baru untuk Anda dari TanyaSehat. Balas pesan ini untuk membacanya."
_DIGITS = re.compile(r"\d{6,}")


def officer_text(case: store.Case, text: str) -> str:
    return from_officer(case.lang, text)


async def send(runtime: Runtime, case: store.Case, text: str, event_id: int | None = None) -> tuple[str, str]:
    """Send `text` to the resident of `case`; returns (delivered/template/window/failed, detail) and records it."""
    how, detail = await _send(runtime, case, text)
    detail = _clean(detail, case)
    if event_id is not None:
        await store.delivered(runtime.db, event_id, how, detail)
    return how, detail


async def _send(runtime: Runtime, case: store.Case, text: str) -> tuple[str, str]:
    sender = await runtime.sender(case.channel)
    if sender is None:
        return store.FAILED, f"no sender for the {case.channel} channel is configured"
    if case.channel == "whatsapp" and not await whatsapp_window.window_open(runtime.db, case.user_key):
        if not await runtime.recipients.opted_in(case.user_key):
            return store.WINDOW, ""  # not to be contacted first: the words wait for the resident
        invited = await sender.send_template(case.user_key, INVITE_TEMPLATE, [], case.lang)
        return (store.TEMPLATE, "") if invited.ok else (store.WINDOW, invited.error or "")
    result = await sender.send(case.user_key, Reply(text))
    return (store.DELIVERED, "") if result.ok else (store.FAILED, result.error or "not delivered")


def _clean(detail: str, case: store.Case) -> str:
    """A platform's reason without the resident's platform id or any phone number."""
    bare = case.user_key.split(":", 1)[-1]
    detail = detail.replace(case.user_key, "[id]").replace(bare, "[id]") if bare else detail
    return _DIGITS.sub("[id]", redact(detail).text)
