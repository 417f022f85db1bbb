"""Subscriptions: reminders for the user's kelurahan (/pengingat), and stopping everything (berhenti)."""

from __future__ import annotations

from bot.engine.features.reminders.area_choice import choose_area
from bot.engine.features.reminders.steps import AREA, FLOW
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Outcome
from bot.engine.understanding import CONFIDENT
from bot.storage import outbox, subscriptions
from bot.topics.areas import Area, find_areas


async def start(turn: Turn) -> Outcome:
    """/pengingat: ask for the kelurahan whose posyandu and health reminders the user wants."""
    turn.state.enter(FLOW, AREA)
    text = turn.t(
        "Saya bisa mengirimkan pengingat jadwal posyandu, imunisasi, dan program kesehatan di wilayah Anda.\n"
        "Ketik nama kelurahan tempat tinggal Anda, misalnya: Kampung Melayu."
    )
    return turn.outcome("pengingat", reply(text, [menu_button(turn)]))


async def unsubscribe(turn: Turn) -> Outcome:
    """berhenti / stop / unsubscribe: everything we send on our own to this user ends now, on every channel."""
    turn.state.leave()
    await subscriptions.unsubscribe(turn.db, turn.inbound.user_key, turn.inbound.channel)
    await outbox.cancel_pending_for(turn.db, turn.inbound.user_key)
    text = turn.t(
        "Baik, Anda tidak akan menerima pengingat atau pesan siaran lagi dari kami.\n"
        "Anda tetap bisa bertanya kapan saja. Untuk berlangganan lagi, ketik /pengingat."
    )
    return turn.outcome("unsubscribe", reply(text, [menu_button(turn)]))


async def typed_area(turn: Turn) -> Outcome | None:
    """Step "area": the typed kelurahan, or a choice when several match; another question is let through."""
    found = find_areas(turn.content, turn.text, kind="kelurahan")
    if not found:
        matches = turn.understanding.match(turn.text, turn.lang, limit=1)
        if matches and matches[0].score >= CONFIDENT and matches[0].intent_id != "pengingat":
            turn.state.leave()
            return None  # "tgl lahirnya 14 okt 2026": the child's own schedule, which offers its reminders
    return await _subscribe(turn, found[0]) if len(found) == 1 else choose_area(turn, found, AREA)


async def chosen_area(turn: Turn, code: str) -> Outcome | None:
    """Step "area": the kelurahan picked from the choice."""
    found = find_areas(turn.content, code, kind="kelurahan")
    return await _subscribe(turn, found[0]) if found else None


async def _subscribe(turn: Turn, area: Area) -> Outcome:
    turn.state.leave()
    inbound = turn.inbound
    await subscriptions.subscribe_area(turn.db, inbound.user_key, inbound.channel, turn.lang, area.code)
    turn.state.profile["kelurahan_code"] = area.code
    text = turn.t(
        "Terima kasih! Anda akan menerima pengingat untuk Kelurahan {name}.\n"
        "Ketik berhenti kapan saja bila tidak ingin menerima pesan lagi.",
        name=area.name,
    )
    return turn.outcome("pengingat", reply(text, [menu_button(turn)]))
