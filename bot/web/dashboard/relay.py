"""Sending an officer's words to a resident by the channel's rules, and saying how it went.

Replies go through the channel's durable answering path (bot/channels/answering.py, the answer
outbox) like every answer of the bot: stored first, sent at once in the chat's order, retried
for a day; the officer's page follows the outbox row to delivered or failed (`settle`). Only a
process without that channel installed sends directly through the runtime's sender.

Telegram takes a message at any time. WhatsApp takes free text only inside the 24-hour window.
Outside it a resident who may be contacted (an active subscriber: the templates' rule) gets the
approved template `pesan_baru` (content/whatsapp_templates.yaml) inviting them to reply; anyone else
gets nothing, and the officer is told so. Either way the officer's words wait in the thread and go
out with the bot's next answer to that resident (bot/engine/features/handover.py).
What the officer reads about a failure is the platform's reason with ids and numbers taken out.
"""

from __future__ import annotations

import re

from aiohttp import web

from bot.channels.answering import AnswerPath
from bot.engine.features.handover import from_officer
from bot.engine.types import Reply
from bot.privacy import redact
from bot.runtime import Runtime
from bot.storage import answer_outbox, whatsapp_window
from bot.storage import handover as store

INVITE_TEMPLATE = "pesan_baru"  # "Ada pesan baru untuk Anda dari TanyaSehat. Balas pesan ini untuk membacanya."
_DIGITS = re.compile(r"\d{6,}")


def officer_text(case: store.Case, text: str) -> str:
    return from_officer(case.lang, text)


def answer_path(request: web.Request, channel: str) -> AnswerPath | None:
    """The channel's answering path in this process (installed by bot/web/server.py), if any."""
    if channel == "telegram":
        from bot.channels.telegram import CHANNEL_KEY

        telegram = request.config_dict.get(CHANNEL_KEY)
        return telegram.answers if telegram is not None else None
    if channel == "whatsapp":
        from bot.channels.whatsapp import WEBHOOK

        hook = request.config_dict.get(WEBHOOK)
        return hook.answers if hook is not None else None
    return None


def outbox_key(event_id: int) -> str:
    return f"handover:{event_id}"


async def send(
    runtime: Runtime, case: store.Case, text: str, event_id: int | None = None, path: AnswerPath | None = None
) -> tuple[str, str]:
    """Send `text` to the resident of `case`; (pending/delivered/template/window/failed, detail), recorded."""
    how, detail = await _send(runtime, case, text, event_id, path)
    detail = _clean(detail, case)
    if event_id is not None:
        await store.delivered(runtime.db, event_id, how, detail)
    return how, detail


async def _send(
    runtime: Runtime, case: store.Case, text: str, event_id: int | None, path: AnswerPath | None
) -> tuple[str, str]:
    if case.channel == "whatsapp" and not await whatsapp_window.window_open(runtime.db, case.user_key):
        if not await runtime.recipients.opted_in(case.user_key):
            return store.WINDOW, ""  # not to be contacted first: the words wait for the resident
        sender = await runtime.sender(case.channel)
        if sender is None:
            return store.WINDOW, f"no sender for the {case.channel} channel is configured"
        invited = await sender.send_template(case.user_key, INVITE_TEMPLATE, [], case.lang)
        return (store.TEMPLATE, "") if invited.ok else (store.WINDOW, invited.error or "")
    if path is not None:
        key = outbox_key(event_id) if event_id is not None else f"handover:{case.id}:closed"
        await path.deliver(key, case.user_key, (Reply(text),))
        return store.PENDING, ""  # the outbox sends and retries; `settle` reads how it went
    sender = await runtime.sender(case.channel)
    if sender is None:
        return store.FAILED, f"no sender for the {case.channel} channel is configured"
    result = await sender.send(case.user_key, Reply(text))
    return (store.DELIVERED, "") if result.ok else (store.FAILED, result.error or "not delivered")


async def settle(runtime: Runtime, case: store.Case, events: list[store.Event]) -> list[store.Event]:
    """Officer's words still on their way: how their outbox rows went. Final states are written back to
    the thread (the outbox forgets finished rows after a week); a retry in progress shows its reason."""
    waiting = {outbox_key(e.id): e for e in events if e.kind == store.OFFICER and e.delivery == store.PENDING}
    if not waiting:
        return events
    found = await answer_outbox.states(runtime.db, case.channel, list(waiting))
    changed: dict[int, store.Event] = {}
    for key, (status, error) in found.items():
        event = waiting[key]
        if status == answer_outbox.SENT:
            changed[event.id] = _with(event, store.DELIVERED, "")
        elif status == answer_outbox.FAILED:
            changed[event.id] = _with(event, store.FAILED, _clean(error, case))
        elif error:  # answered, waiting for its next try
            changed[event.id] = _with(event, store.PENDING, _clean(error, case))
            continue
        else:
            continue
        await store.delivered(runtime.db, event.id, changed[event.id].delivery, changed[event.id].detail)
    return [changed.get(e.id, e) for e in events]


def _with(event: store.Event, delivery: str, detail: str) -> store.Event:
    return store.Event(event.id, event.kind, event.text, event.officer, event.at, delivery, detail)


def _clean(detail: str, case: store.Case) -> str:
    """A platform's reason without the resident's platform id or any phone number."""
    bare = case.user_key.split(":", 1)[-1]
    detail = detail.replace(case.user_key, "[id]").replace(bare, "[id]") if bare else detail
    return _DIGITS.sub("[id]", redact(detail).text)
