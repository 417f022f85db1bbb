"""Health information: the list of FAQ topics, and answering one FAQ entry."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.turn import Turn, intent_button, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome, Reply
from bot.i18n import format_date
from bot.knowledge.faq import Intent

# Topics that have their own menu button; "Info kesehatan" lists the rest.
OWN_MENU_TOPICS = {"imunisasi", "puskesmas", "uhc", "pengingat", "kantor"}


def answer_reply(turn: Turn, intent: Intent) -> Reply:
    """A FAQ answer with its source and review date, and buttons to related entries."""
    assert intent.answer is not None
    lines = [intent.answer.get(turn.lang).strip()]
    if intent.source:
        reviewed = format_date(intent.reviewed, turn.lang, weekday=False) if intent.reviewed else "-"
        lines.append(turn.t("Sumber: {source} (diperiksa {reviewed})", source=intent.source, reviewed=reviewed))
    buttons = [*intent_buttons(turn, *intent.related[:3]), menu_button(turn)]
    return reply("\n\n".join(lines), buttons)


PAGE_SIZE = 8  # with "Lainnya" and "Menu utama" a page fits WhatsApp's ten-row list


async def topics(turn: Turn) -> Outcome:
    """List the health-information entries as buttons, a page at a time ("Lainnya" shows the next)."""
    entries = [i for i in turn.content.intents.intents if i.answer is not None and i.topic not in OWN_MENU_TOPICS]
    payload = turn.inbound.payload or ""
    page = int(payload.removeprefix("info:")) if payload.removeprefix("info:").isdigit() else 0
    start = page * PAGE_SIZE if page * PAGE_SIZE < len(entries) else 0
    shown = entries[start : start + PAGE_SIZE]
    buttons = [intent_button(turn, i) for i in shown]
    if start + PAGE_SIZE < len(entries):
        buttons.append(Button(f"info:{start // PAGE_SIZE + 1}", turn.t("Topik lainnya")))
    buttons.append(menu_button(turn))
    text = turn.t("Pilih topik yang ingin Anda ketahui, atau ketik pertanyaan Anda langsung.")
    return turn.outcome("info_kesehatan", reply(text, buttons))


FEATURE = Feature(
    name="health_info",
    handlers={"faq.topics": topics},
    payload_prefix="info",
    on_payload=topics,
    commands={"/info": topics},
)
