"""Sending an officer's words to a resident by the channel's rules, and saying how it went.

Telegram takes a message at any time. WhatsApp takes free text only inside the 24-hour window;
outside it the approved template `pesan_baru` (content/whatsapp_templates.yaml) invites the
resident to reply, and the officer is told their message itself did not go out.
"""

from __future__ import annotations

from bot.engine.types import Reply
from bot.i18n import translations
from bot.runtime import Runtime
from bot.storage import handover as store
from bot.storage import whatsapp_window

INVITE_TEMPLATE = "pesan_baru"  # "Ada pesan baru untuk Anda dari TanyaSehat. Balas pesan ini untuk membacanya."


def from_officer(case: store.Case, text: str) -> str:
    """What the resident reads: marked as a person's words, in their language."""
    return f"👤 {translations(case.lang).gettext('Petugas')}: {text}"


def handed_back(case: store.Case) -> str:
    return translations(case.lang).gettext(
        "Percakapan dengan petugas sudah selesai. TanyaSehat akan menjawab lagi; ketik menu untuk melihat topik."
    )


async def send(runtime: Runtime, case: store.Case, text: str, event_id: int | None = None) -> tuple[str, str]:
    """Send `text` to the resident of `case`; returns (delivered/template/failed, detail) and records it."""
    how, detail = await _send(runtime, case, text)
    if event_id is not None:
        await store.delivered(runtime.db, event_id, how, detail)
    return how, detail


async def _send(runtime: Runtime, case: store.Case, text: str) -> tuple[str, str]:
    sender = await runtime.sender(case.channel)
    if sender is None:
        return store.FAILED, f"no sender for the {case.channel} channel is configured"
    if case.channel == "whatsapp" and not await whatsapp_window.window_open(runtime.db, case.user_key):
        result = await sender.send_template(case.user_key, INVITE_TEMPLATE, [], case.lang)
        if result.ok:
            return store.TEMPLATE, "the 24-hour window is closed: the resident was invited to reply"
        return store.FAILED, f"the 24-hour window is closed and the invitation failed: {result.error}"
    result = await sender.send(case.user_key, Reply(text))
    return (store.DELIVERED, "") if result.ok else (store.FAILED, result.error or "not delivered")
