"""Small talk: greetings, thanks, acknowledgements, goodbyes, "who are you", and their short answers.

Every resident says these; a bot that answers "I cannot answer that" to a thank-you looks broken.
The phrases and the answers are content, so staff can add "makaseh" or "tabik" without a programmer.
Families are listed in priority order: when a message holds two ("baik, makasih"), the first
listed wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.source import Document, Fields, Localized, Problems

FILES = ("smalltalk.yaml",)

_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PLACEHOLDERS = ("office", "emergency")  # filled from office.yaml when answering
INTENTS = ("smalltalk", "greeting")  # the reserved intents a family may answer as


@dataclass(frozen=True, slots=True)
class Family:
    id: str  # e.g. "thanks"
    phrases: tuple[str, ...]  # as residents type them; the matcher normalises them like any message
    answer: Localized  # may hold {office} and {emergency}
    intent: str  # "smalltalk", or "greeting": the answer comes with the main menu
    menu: bool  # a smalltalk answer that shows the topic buttons too ("what can you do")
    announces: bool = False  # the phrase announces a question ("mau tanya"): the words after it are that question
    closes: bool = False  # the resident backs out or leaves ("ga jadi", "nanti aja", a goodbye): ends an open flow
    asks: bool = False  # the phrases ask about the bot ("ini siapa?"): told words beside them ask nothing more
    emoji: bool = False  # answers a message of emoji alone that no family lists, and a sticker
    alone: tuple[str, ...] = ()  # phrases of this family only as the whole message ("dah": done, ok)


@dataclass(frozen=True, slots=True)
class SmallTalkBook:
    families: tuple[Family, ...] = ()
    filler: tuple[str, ...] = ()  # words that never make a message more than small talk ("kak", "banyak")
    # A person asked for in everyday words ("agent please", "ado urang yg boleh tolong"), beside small talk only:
    # features/handover.py opens a handover for them as for its own patterns.
    handover: tuple[str, ...] = ()

    def get(self, family_id: str) -> Family | None:
        return next((f for f in self.families if f.id == family_id), None)

    @property
    def emoji(self) -> Family | None:
        """The family answering emoji no family lists, and stickers."""
        return next((f for f in self.families if f.emoji), None)


EMPTY = SmallTalkBook()


def parse(docs: list[Document], problems: Problems) -> SmallTalkBook:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "smalltalk")
    filler = tuple(w.lower() for w in top.texts("filler", required=False))
    handover = tuple(p.strip().lower() for p in top.texts("handover", required=False) if p.strip())
    families: list[Family] = []
    seen_ids: dict[str, int] = {}
    seen_phrases: dict[str, str] = {}
    for line, raw in top.items("families"):
        f = Fields(raw, doc.name, problems, "family", line)
        if not f.ok:
            continue
        family_id = f.identifier(_ID, "family", "2-40 lowercase letters, digits or _ and start with a letter")
        if family_id in seen_ids:
            f.error("id", f"duplicate id '{family_id}' (first on line {seen_ids[family_id]})")
        seen_ids.setdefault(family_id, f.line)
        phrases = tuple(p.strip().lower() for p in f.texts("phrases") if p.strip())
        alone = tuple(p.strip().lower() for p in f.texts("alone", required=False) if p.strip())
        for phrase in (*phrases, *alone):
            other = seen_phrases.setdefault(phrase, family_id)
            if other != family_id:
                f.error("phrases", f"'{phrase}' is already a phrase of family '{other}'")
        answer = f.localized("answer")
        for _lang, text in answer.texts if answer is not None else ():
            for name in _PLACEHOLDER.findall(text):
                if name not in PLACEHOLDERS:
                    f.error("answer", f"unknown placeholder {{{name}}}; use {', '.join(PLACEHOLDERS)}")
        intent = f.text("intent", required=False, default="smalltalk")
        if intent not in INTENTS:
            f.error("intent", f"intent must be one of {', '.join(INTENTS)}")
        menu = f.boolean("menu")
        announces = f.boolean("announces")
        closes = f.boolean("closes")
        asks = f.boolean("asks")
        emoji = f.boolean("emoji")
        f.done()
        if answer is not None and phrases:
            families.append(Family(family_id, phrases, answer, intent, menu, announces, closes, asks, emoji, alone))
    if sum(f.emoji for f in families) > 1:
        top.error("families", "only one family may answer emoji (emoji: true)")
    top.done()
    return SmallTalkBook(tuple(families), filler, handover)
