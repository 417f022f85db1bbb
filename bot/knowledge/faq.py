"""Intents: what residents ask, with question variants, and either an answer or a handler.

An entry with `answer` is a plain FAQ answer (with source and review date). An entry
with `handler` hands the question to a topic in code (e.g. `immunization.schedule`),
so the matcher sees every intent in one place and staff can add phrasings to both.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.knowledge.source import Document, Fields, Localized, Problems

FILES = ("faq/*.yaml",)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")
RESERVED = {"fallback", "clarify", "emergency", "greeting", "menu", "unsubscribe"}


@dataclass(frozen=True, slots=True)
class Intent:
    id: str
    title: Localized  # short label for a button ("Cek Kesehatan Gratis")
    questions: tuple[str, ...]  # typical phrasings, Indonesian
    questions_en: tuple[str, ...]  # typical phrasings, English (optional)
    keywords: tuple[str, ...]  # words that point strongly to this intent
    topic: str  # group for reports and the "Info kesehatan" menu, e.g. "imunisasi"
    answer: Localized | None
    handler: str | None
    source: str
    reviewed: dt.date | None
    related: tuple[str, ...]
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class IntentBook:
    intents: tuple[Intent, ...]
    _by_id: dict[str, Intent] = field(init=False, repr=False, compare=False)  # asked several times a turn

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {i.id: i for i in self.intents})

    def get(self, intent_id: str) -> Intent | None:
        return self._by_id.get(intent_id)

    def topics(self) -> list[str]:
        seen: dict[str, None] = {}
        for intent in self.intents:
            seen.setdefault(intent.topic, None)
        return list(seen)


def parse(docs: list[Document], problems: Problems) -> IntentBook:
    intents: list[Intent] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for doc in docs:
        top = Fields(doc.data, doc.name, problems, "file")
        for line, raw in top.items("entries"):
            intent = _parse_entry(raw, doc.name, line, problems)
            if intent is None:
                continue
            if intent.id in first_seen:
                other_file, other_line = first_seen[intent.id]
                problems.error(
                    doc.name, intent.line, f"duplicate id '{intent.id}' (first at {other_file}:{other_line})"
                )
                continue
            first_seen[intent.id] = (doc.name, intent.line)
            intents.append(intent)
        top.done()
    for intent in intents:
        for rel in intent.related:
            if rel not in first_seen:
                problems.error(intent.file, intent.line, f"entry '{intent.id}': related '{rel}' is not a known id")
    return IntentBook(tuple(intents))


def _parse_entry(raw: object, file: str, line: int, problems: Problems) -> Intent | None:
    f = Fields(raw, file, problems, "entry", line)
    if not f.ok:
        return None
    intent_id = f.identifier(
        ID_PATTERN, "entry", "2-40 lowercase letters, digits or _ and start with a letter or digit"
    )
    if intent_id in RESERVED:
        f.error("id", f"id '{intent_id}' is reserved by the engine")
    answer = f.localized("answer", required=False)
    handler = f.text("handler", required=False) or None
    if (answer is None) == (handler is None):
        f.error(None, "needs exactly one of 'answer' (a FAQ answer) or 'handler' (a topic in code)")
    source = f.text("source", required=answer is not None)
    reviewed = f.date("reviewed", required=answer is not None)
    intent = Intent(
        id=intent_id,
        title=f.localized("title") or Localized.plain(intent_id),
        questions=f.texts("questions"),
        questions_en=f.texts("questions_en", required=False),
        keywords=tuple(k.lower() for k in f.texts("keywords", required=False)),
        topic=f.text("topic", required=False, default="umum"),
        answer=answer,
        handler=handler,
        source=source,
        reviewed=reviewed,
        related=f.texts("related", required=False),
        file=file,
        line=f.line,
    )
    f.done()
    return intent
