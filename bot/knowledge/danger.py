"""Danger signs as data: word groups (concepts), the rules that combine them per sign, and the guards.

Staff and doctors extend `content/danger_signs.yaml`; this module reads and checks it.
The matching itself lives in `bot/engine/danger.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.source import Document, Fields, LineList, LineMap, Localized, Problems

FILES = ("danger_signs.yaml",)
KINDS = ("medical", "mental", "help", "net")  # help: the resident asks for the emergency number itself
# net: no sign, a safety net: someone in trouble now in words no sign reads; the normal answer, led by its advice
GUARDS = (
    "negation", "between", "resolved", "past", "past_after", "scope", "mild", "mild_after", "info", "asking", "personal", "urgent",
    "unless", "all_clear", "figurative", "story", "joke", "filler", "again", "info_always", "reassure", "calm",
    "this_time", "conditional", "future", "unless_first", "opener", "unsure", "in_care", "risk", "thing", "papers", "nobody",
    "escalate", "numbered", "turn", "own", "what_to_do", "service", "present", "kin", "about", "pet", "people",
    "long_for", "remedy", "asks_normal", "calm_now", "supposed", "names", "simile", "status", "heads", "spelt_right",
    "crowded", "crowd", "not_crowded", "everyday_cause",
)  # fmt: skip
CONCEPT_GUARDS = ("negation", "resolved", "past", "mild", "info")  # the guards that drop a concept's words
WORD_GUARDS = (
    "negation",
    "between",
    "scope",
    "mild",
    "mild_after",
    "personal",
    "urgent",
    "filler",
    "conditional",
    "opener",
    "thing",
    "papers",
    "nobody",
    "numbered",
    "turn",
    "own",
    "present",
    "kin",
    "about",
    "pet",
    "people",
    "long_for",
    "supposed",
    "simile",
    "status",
    "heads",
    "spelt_right",
    "crowded",
    "crowd",
    "not_crowded",
)  # one word per entry
_AGE_UNITS = {"hari": 1, "minggu": 7, "bulan": 30, "tahun": 365}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Age:
    """An age written as a number and a unit ("2 minggu", "10 days") next to one of `near`, or
    anywhere when `near` is empty and the unit is one of `units` ("32 minggu" is a pregnancy)."""

    low_days: int
    high_days: int
    near: tuple[str, ...]
    units: tuple[str, ...] = ()  # the written units it counts in; empty: any


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    phrases: tuple[str, ...]  # lower case; the words of a phrase in order, one stray word allowed between
    includes: tuple[str, ...] = ()  # other concepts whose phrases count as this one's
    age: Age | None = None
    guarded: bool = True  # False: who or when ("hamil", "habis melahirkan"), not dropped by the guards
    line: int = 1
    unguarded: tuple[str, ...] = ()  # guards that never drop this concept ("mild": "muntah darah sedikit")
    together: tuple[str, ...] = ()  # a concept made of others found close together ("gerakan ... tidak terasa")
    within: int = 0  # words: how close the concepts of `together` must be
    things: bool = False  # it may happen to a thing ("HP saya tenggelam"): the `thing` guard drops it
    likened: bool = False  # also a figure of comparison ("galak kayak anjing"): dropped right after a `simile` word


@dataclass(frozen=True, slots=True)
class Rule:
    """Concepts that must all occur within `window` words ("pregnant + fetal_move + absent @6")."""

    concepts: tuple[str, ...]
    window: int | None = None  # None: the file's window

    def __len__(self) -> int:
        return len(self.concepts)


@dataclass(frozen=True, slots=True)
class DangerSign:
    id: str
    kind: str  # "medical": 119 and the nearest IGD; "mental": also the mental-health line; "help": the number
    phrases: tuple[str, ...]  # any one of these alone is the sign
    advice: Localized  # first-aid-level advice while help is on the way (no diagnosis)
    unless: tuple[str, ...] = ()  # everyday phrases that only look like the sign ("saya tidak sadar kalau...")
    rules: tuple[Rule, ...] = ()  # each: concept names that must all appear close together
    source: str = ""
    skip_guards: tuple[str, ...] = ()  # guards that do not apply to this sign ("mild" for a baby's fever)
    not_if: tuple[str, ...] = ()  # in the same sentence, these say it is not this sign ("kucingnya sudah vaksin")
    not_if_anywhere: bool = False  # not_if reaches the whole message (questions about a service)
    line: int = 1
    hospitals_first: bool = False  # a question the hospital topic answers ("IGD RSUD Madani di mana?") gets that
    # concepts: when only the safety net reads a message (its rules or the learned model) and one of these is found
    # in it, the net's 119 line is followed by this sign's own line too (a "mental" sign: the mental-health line)
    net_hints: tuple[str, ...] = ()
    # the sign answered when no sign reads a message but the learned safety net is sure it tells an emergency now
    # (bot/engine/danger_net.SURE): one sign at most, a general one ("Ini bisa keadaan darurat ...")
    model_sure: bool = False


@dataclass(frozen=True, slots=True)
class DangerSigns:
    signs: tuple[DangerSign, ...]
    source: str
    reviewed: object
    concepts: tuple[Concept, ...] = ()
    guards: tuple[tuple[str, tuple[str, ...]], ...] = ()  # guard name -> its phrases
    same: tuple[tuple[str, str], ...] = ()  # regional word -> the word the concepts use ("sedar" -> "sadar")
    window: int = 20  # words: how close the concepts of one rule must be

    def guard(self, name: str) -> tuple[str, ...]:
        return dict(self.guards).get(name, ())


def parse(docs: list[Document], problems: Problems) -> DangerSigns:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "danger_signs")
    concepts = _concepts(top, doc.name, problems)
    known = {c.name for c in concepts}
    signs: list[DangerSign] = []
    seen: set[str] = set()
    for line, raw in top.items("signs"):
        f = Fields(raw, doc.name, problems, "sign", line)
        sign_id = f.text("id")
        f.where = f"sign '{sign_id}'"
        if sign_id in seen:
            f.error("id", f"duplicate id '{sign_id}'")
        seen.add(sign_id)
        kind = f.text("kind", required=False, default="medical")
        if kind not in KINDS:
            f.error("kind", f"kind must be one of {', '.join(KINDS)}")
        phrases = tuple(p.lower() for p in f.texts("phrases", required=False))
        rules = _rules(f, known)
        if f.ok and not phrases and not rules:
            f.error(None, "needs 'phrases' or 'when' (rules of concepts), or both")
        skip = f.texts("skip_guards", required=False)
        for name in skip:
            if name not in GUARDS:
                f.error("skip_guards", f"unknown guard '{name}' (known: {', '.join(GUARDS)})")
        net_hints = tuple(f.texts("net_hints", required=False))
        for name in net_hints:
            if name not in known:
                f.error("net_hints", f"unknown concept '{name}'")
        if net_hints and kind != "mental":
            f.error("net_hints", "only a 'mental' sign has a line of its own to add to the safety net's")
        advice = f.localized("advice")
        if advice is not None and not advice.has("en"):
            f.error("advice", "advice needs an English text under 'en:' too")
        signs.append(
            DangerSign(
                id=sign_id,
                kind=kind,
                phrases=phrases,
                advice=advice or Localized.plain(""),
                unless=tuple(p.lower() for p in f.texts("unless", required=False)),
                rules=rules,
                source=f.text("source"),
                skip_guards=skip,
                not_if=tuple(p.lower() for p in f.texts("not_if", required=False)),
                not_if_anywhere=f.boolean("not_if_anywhere", default=False),
                line=line,
                hospitals_first=f.boolean("hospitals_first", default=False),
                net_hints=net_hints,
                model_sure=f.boolean("model_sure", default=False),
            )
        )
        f.done()
    sure = [s.id for s in signs if s.model_sure]
    if len(sure) > 1:
        top.error("signs", f"'model_sure' on more than one sign ({', '.join(sure)}): the learned net answers with one")
    if any(s.model_sure and s.kind != "medical" for s in signs):
        top.error("signs", "'model_sure' only on a 'medical' sign (its answer is 119 and the nearest IGD)")
    guards = _guards(top)
    same = _same(top, doc.name, problems)
    window = top.integer("window", required=False, default=20) or 20
    if not 3 <= window <= 60:
        top.error("window", "window must be a whole number of words between 3 and 60")
    result = DangerSigns(tuple(signs), top.text("source"), top.date("reviewed"), concepts, guards, same, window)
    top.done()
    return result


def _concepts(top: Fields, file: str, problems: Problems) -> tuple[Concept, ...]:
    raw = top.mapping("concepts", required=False)
    if raw is None:
        return ()
    found: list[Concept] = []
    for name, value in raw.items():
        line = raw.key_lines[name]
        where = f"concept '{name}'"
        if not _NAME.match(name):
            problems.error(file, line, f"{where}: a concept name is lower-case letters, digits and _")
        if isinstance(value, LineList | str):  # the short form: just the phrases
            value = _as_mapping({"phrases": value}, line)
        f = Fields(value, file, problems, where, line)
        phrases, includes = [], []
        for text in f.texts("phrases", required=False):
            if text.startswith("@"):
                includes.append(text[1:].strip())
            else:
                phrases.append(text.lower())
        age = _age(f)
        together = tuple(f.texts("together", required=False))
        within = f.integer("within", required=False, default=0) or 0
        if together and not 2 <= within <= 20:
            f.error("within", "a concept made of others ('together') needs 'within': 2 to 20 words")
        guarded = f.boolean("guarded", default=True)
        things = f.boolean("things", default=False)
        likened = f.boolean("likened", default=False)
        unguarded = f.texts("unguarded", required=False)
        for guard in unguarded:
            if guard not in CONCEPT_GUARDS:
                f.error("unguarded", f"unknown guard '{guard}' (known: {', '.join(CONCEPT_GUARDS)})")
        if f.ok and not phrases and not includes and age is None and not together:
            f.error(None, "needs at least one phrase")
        found.append(
            Concept(
                name,
                tuple(phrases),
                tuple(includes),
                age,
                guarded,
                line,
                tuple(unguarded),
                together,
                within,
                things,
                likened,
            )
        )
        f.done()
    names = {c.name for c in found}
    earlier: set[str] = set()
    for c in found:
        for other in c.includes:
            if other not in names:
                problems.error(file, c.line, f"concept '{c.name}': '@{other}' is not a concept")
        for other in c.together:
            if other not in earlier:
                problems.error(file, c.line, f"concept '{c.name}': together '{other}' is not a concept above it")
        earlier.add(c.name)
    return tuple(found)


def _age(f: Fields) -> Age | None:
    raw = f.mapping("age", required=False)
    if raw is None:
        return None
    g = Fields(raw, f.file, f.problems, f"{f.where} age", f.line_of("age"))
    low, high = g.text("from", default="0 hari"), g.text("to")
    near = tuple(w.lower() for w in g.texts("near", required=False))
    units = tuple(w.lower() for w in g.texts("units", required=False))
    g.done()
    if not near and not units:
        f.error("age", "an age with no 'near' words must name its 'units' (an age anywhere: '32 minggu')")
    days = [_days(text) for text in (low, high)]
    if days[0] is None or days[1] is None:
        f.error("age", "age 'from' and 'to' are like '0 hari', '3 bulan' (hari, minggu, bulan, tahun)")
        return None
    return Age(days[0], days[1], near, units)


def _days(text: str) -> int | None:
    parts = text.split()
    if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in _AGE_UNITS:
        return None
    return int(parts[0]) * _AGE_UNITS[parts[1]]


def _rules(f: Fields, known: set[str]) -> tuple[Rule, ...]:
    rules = []
    for text in f.texts("when", required=False):
        body, _, window_text = text.partition("@")
        names = tuple(part.strip() for part in body.split("+"))
        unknown = [n for n in names if n not in known]
        window = window_text.strip()
        if not all(names):
            f.error("when", f"rule '{text}': write concept names joined by ' + '")
        elif unknown:
            f.error("when", f"rule '{text}': unknown concept {', '.join(repr(n) for n in unknown)}")
        elif window and not (window.isdigit() and 2 <= int(window) <= 60):
            f.error("when", f"rule '{text}': '@' is followed by a window of 2 to 60 words ('a + b @6')")
        else:
            rules.append(Rule(names, int(window) if window else None))
    return tuple(rules)


def _guards(top: Fields) -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = top.mapping("guards", required=False)
    if raw is None:
        return ()
    g = Fields(raw, top.file, top.problems, "guards", top.line_of("guards"))
    found = tuple((name, tuple(p.lower() for p in g.texts(name, required=False))) for name in GUARDS)
    for name, phrases in found:
        if name in WORD_GUARDS:
            for phrase in phrases:
                if len(phrase.split()) != 1:
                    g.error(name, f"'{phrase}': {name} is read word by word, write one word per entry")
    g.done()
    return found


def _same(top: Fields, file: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    raw = top.mapping("same", required=False)
    if raw is None:
        return ()
    pairs = []
    for word, standard in raw.items():
        if not isinstance(standard, str) or not standard.strip() or " " in word.strip():
            problems.error(file, raw.key_lines[word], f"same: '{word}' must map one word to a text")
            continue
        pairs.append((word.strip().lower(), standard.strip().lower()))
    return tuple(pairs)


def _as_mapping(data: dict[str, object], line: int) -> LineMap:
    out = LineMap(data)
    out.line = line
    out.key_lines = dict.fromkeys(data, line)
    return out
