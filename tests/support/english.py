"""Finding Indonesian in a text meant to be English: the English walk and the static scans of issue 21.

A word is Indonesian when Sastrawi's Indonesian root list has it or its root ("diberikan" -> "beri"),
unless it is also a plain English word (ENGLISH_TOO, reviewed by hand: "data", "status", "open"),
an Indonesian institution English texts keep as its name (TERMS), or a word of a proper name the
caller passes (puskesmas, kelurahan, the office). Left out as names: words in brackets ("Measles-Rubella
(MR)", "(poli gigi)"), acronyms in capitals (KTP, BPJS), links, and cited source lines ("Source: ...").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from bot.engine.stemmer import roots, stem
from bot.knowledge.content import Content
from bot.knowledge.source import Localized

# English words (and international terms) that Sastrawi's root list also holds. A new word flagged by the
# walk goes here only if it is real English as used in the reply; an Indonesian word gets translated instead.
ENGLISH_TOO = frozenset({
    "are", "area", "aspirin", "bot", "caring", "cut", "data", "dengue", "dental", "diabetes", "diet", "digital",
    "don", "drop", "email", "fatwa", "final", "fit", "flu", "gain", "gap", "gum", "had", "halal", "hang", "has",
    "hepatitis", "hospital", "influenza", "info", "larva", "level", "limit", "log", "long", "lot", "main", "map",
    "mark", "mental", "menu", "minute", "monitor", "nausea", "non", "normal", "not", "notes", "november", "once",
    "open", "oral", "over", "partner", "pending", "per", "person", "personal", "plan", "plus", "pneumonia", "polio",
    "premium", "preview", "problem", "protein", "pus", "rabies", "region", "register", "sender", "sending",
    "september", "set", "sit", "sore", "sputum", "start", "status", "step", "stop", "sugar", "tablet", "talk", "target",
    "testing", "tetanus", "toilet", "top", "transfer", "until", "urine", "virus", "vitamin", "were", "won"
})  # fmt: skip
# Indonesian institutions and programmes an English text names as they are (and explains at first use):
# residents meet them on signs and forms. Programme names in brackets need no entry here.
TERMS = frozenset(["puskesmas", "posyandu", "pustu", "posbindu", "kader", "kelurahan", "kecamatan"])
# Greetings answered in kind ("Wa alaikum salam", "Om swastiastu"), the language's own name on the /bahasa
# button ("Bahasa Indonesia") and a child's name in an example ("yes, little Budi"): names, not sentences.
NAMES = frozenset(["wa", "alaikum", "salam", "om", "swastiastu", "bahasa", "indonesia", "budi"])
SOURCE_LINE = re.compile(r"^\s*(?:sources?|sumber)\s*:", re.IGNORECASE)
_LEFT_OUT = re.compile(r"\([^()]*\)|https?://\S+|\b[\w.-]+\.(?:go\.id|com|id|org)\b")
_WORD = re.compile(r"[^\W\d_]+")


def name_words(content: Content) -> frozenset[str]:
    """The words of proper names: puskesmas, hospitals, their addresses, areas, the office, provinces."""
    office, directory = content.office, content.puskesmas
    names = [office.name, office.city, office.address, office.mental_health_line]
    names += [p.name for v in content.immunization.vaccines for p in v.provinces]
    for place in (*directory.puskesmas, *directory.hospitals):
        names += [place.name, place.address]
    for kecamatan in directory.kecamatan:
        names += [kecamatan.name, *kecamatan.formerly, *(k.name for k in kecamatan.kelurahan)]
    return frozenset(w.lower() for name in names for w in _WORD.findall(name or ""))


def indonesian_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The Indonesian words of a text meant to be English, sorted, each once (empty: it is English)."""
    allowed = ENGLISH_TOO | TERMS | NAMES | frozenset(names)
    dictionary = roots()
    found: set[str] = set()
    for line in text.splitlines():
        if SOURCE_LINE.match(line):
            continue  # a cited title stays as published
        while (shorter := _LEFT_OUT.sub(" ", line)) != line:  # "(a (b))": inner brackets first
            line = shorter
        for word in _WORD.findall(line):
            lower = word.lower()
            if (len(word) > 1 and word.isupper()) or lower in allowed:
                continue
            if lower in dictionary or (len(lower) > 4 and stem(lower) != lower and stem(lower) in dictionary):
                found.add(lower)
    return sorted(found)


def localized_texts(node: object, seen: set[int] | None = None) -> Iterator[Localized]:
    """Every Localized text anywhere in the content (or any part of it)."""
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Localized):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from localized_texts(getattr(node, f.name), seen)
    elif isinstance(node, tuple | list | set | frozenset):
        for item in node:
            yield from localized_texts(item, seen)
    elif isinstance(node, dict):
        for item in node.values():
            yield from localized_texts(item, seen)
