"""Residents' own phrasings: messages residents wrote, each labelled with the entry that answers it.

The matcher reads them as extra question variants of their entry, at a discount (the entry's own
questions, which staff wrote for it, count fully). Every phrasing says where it came from: a `source`
(a blind set, the dashboard's unanswered questions) with how it was written and when, and a `ref`
inside it, so staff can review, remove or add them like any other content. `tools/resident_phrasings.py`
writes the file from the blind tuning sets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Fields, Problems

FILES = ("phrasings.yaml",)

_ID = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")


@dataclass(frozen=True, slots=True)
class Source:
    id: str  # "blind_g"
    written: str  # how: "blind" (by someone who never saw the content), "dashboard" (a resident's real message)
    date: dt.date | None  # when it was written
    note: str


@dataclass(frozen=True, slots=True)
class Phrasing:
    say: str  # exactly as the resident typed it
    intent: str  # the entry that answers it
    source: str  # a Source id
    ref: str  # where in the source ("g001.1": conversation g001, turn 1)
    line: int


@dataclass(frozen=True, slots=True)
class PhrasingBook:
    sources: tuple[Source, ...] = ()
    phrasings: tuple[Phrasing, ...] = ()


EMPTY = PhrasingBook()


def parse(docs: list[Document], problems: Problems) -> PhrasingBook:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "phrasings")
    sources: dict[str, Source] = {}
    for line, raw in top.items("sources"):
        f = Fields(raw, doc.name, problems, "source", line)
        if not f.ok:
            continue
        source_id = f.identifier(_ID, "source", "2-40 lowercase letters, digits or _")
        if source_id in sources:
            f.error("id", f"duplicate source '{source_id}'")
        sources[source_id] = Source(source_id, f.text("written"), f.date("date"), f.text("note", required=False))
        f.done()
    phrasings: list[Phrasing] = []
    seen: dict[str, int] = {}
    for line, raw in top.items("phrasings", required=False):
        f = Fields(raw, doc.name, problems, "phrasing", line)
        if not f.ok:
            continue
        say, intent, source = f.text("say"), f.text("intent"), f.text("source")
        ref = f.text("ref", required=False)
        f.done()
        if source and source not in sources:
            f.error("source", f"unknown source '{source}' (list it under 'sources')")
        key = " ".join(say.lower().split())
        if key in seen:
            f.error("say", f"the same phrasing is on line {seen[key]}: a phrasing has one entry")
            continue
        seen[key] = f.line
        if say and intent:
            phrasings.append(Phrasing(say, intent, source, ref, f.line))
    top.done()
    return PhrasingBook(tuple(sources.values()), tuple(phrasings))


def check(content: Any, problems: Problems) -> None:
    """Cross-section: every phrasing names an entry of the content (a renamed or removed entry is an error)."""
    book: PhrasingBook = content.phrasings
    for p in book.phrasings:
        if content.intents.get(p.intent) is None:
            problems.error(FILES[0], p.line, f"phrasing: unknown entry '{p.intent}'")
