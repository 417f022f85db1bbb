"""Health information: the list of FAQ topics, and answering one FAQ entry."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.turn import Turn, reply
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
    buttons = []
    for rel in intent.related[:3]:
        other = turn.content.intents.get(rel)
        if other is not None:
            buttons.append(Button(f"intent:{other.id}", other.title.get(turn.lang)))
    buttons.append(Button("menu", turn.t("Menu utama")))
    return reply("\n\n".join(lines), buttons)


async def topics(turn: Turn) -> Outcome:
    """List the health-information entries as buttons, grouped under the menu's 'Info kesehatan'."""
    entries = [i for i in turn.content.intents.intents if i.answer is not None and i.topic not in OWN_MENU_TOPICS]
    buttons = [Button(f"intent:{i.id}", i.title.get(turn.lang)) for i in entries[:10]]
    buttons.append(Button("menu", turn.t("Menu utama")))
    text = turn.t("Pilih topik yang ingin Anda ketahui, atau ketik pertanyaan Anda langsung.")
    return turn.outcome("info_kesehatan", reply(text, buttons))


FEATURE = Feature(name="health_info", handlers={"faq.topics": topics}, commands={"/info": topics})
