"""Immunization follow-ups: another age ("yang 9 bulan?"), the same vaccine ("berapa kali?"), the same child
("yang terlewat apa?"). The fact the thread is about (vaccine, birth date, age) is carried into the follow-up;
the entry answering it is the one in hand, unless the message alone clearly asks another."""

from __future__ import annotations

import re
from typing import Any

from bot.engine.features.immunization.reading import vaccines_named
from bot.engine.followup_reading import (
    ALL_MATCHES,
    ELLIPTICAL_WEIGHT,
    OWN_SUBJECT,
    SAYS_SIBLING,
    Resolved,
    clear_sibling,
)
from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT, UNSURE, Match
from bot.topics.dates import find_age, find_date

TOPIC = "imunisasi"  # the content topic of every immunization entry, and its general entry (where, free)
_BY_AGE = frozenset({"imunisasi", "imunisasi_usia", "imunisasi_jadwal", "imunisasi_kejar", "imunisasi_pribadi"})
_PERSONAL = "imunisasi_pribadi"
_CATCH_UP = "imunisasi_kejar"  # missed doses: how late they may still be given
_OPENS = re.compile(r"^(?:yang|kalau|terus|lalu|and|what about|how about)\b")  # "klo pcv?", not "bcg itu apa?"
# Normalised words asking how late something may still be done ("masih bisa", "sampai umur berapa").
_STILL = re.compile(
    r"\b(?:masih|sampai umur|batas umur|maksimal umur|paling lambat|telat|terlambat|still)\b"
)  # a child's own schedule from the birth date
_WHEN = re.compile(r"\b(?:kapan|tanggal|tgl|bila|bile|when|date)\b")  # normalised words asking a date
# ...or any fact a vaccine list, a child's schedule or a vaccine's entry gives: which, how many, where
_ASKS_FACT = re.compile(
    r"\b(?:kapan|tanggal|tgl|bila|bile|when|date|apa|apakah|ape|berapa|mana|dimana|kemana|what|which|where|many)\b"
)
_BY_VACCINE = frozenset({"imunisasi_vaksin"})  # the entries whose answer depends on the vaccine named...
_BY_BIRTH = frozenset({"imunisasi_pribadi", "imunisasi_kejar"})  # ...on the birth date (and _BY_AGE: on the age)
_AGE_SAID = re.compile(r"\b(?:umur|umurnya|usia|usianya|old)\b")  # ...unless the message says it is an age
_AGO = re.compile(r"\b\d+\s*(?:hari|minggu|bulan|tahun)\s+(?:yang\s+)?(?:lalu|kemarin|ago)\b")  # "3 minggu lalu"
_AGE_WORDS = re.compile(r"\b(?:umur|umurnya|usia|usianya|bayi|anak|lahir)\b")
SAYS_MUCH = 2 * ELLIPTICAL_WEIGHT  # a follow-up weighing more says something of its own, not leaning on the thread
_AGE_OPENERS = re.compile(r"\b(?:yang|kalau|sekarang)\b")  # "yang 9 bulan?", but "kalau sampai 3 hari" is how long
# What a follow-up asks when it asks only the cost ("itu gratis?", "bayar gak?", "do I need to pay?"), and the words
# that may stand beside it; the entries listing a child's vaccines say nothing of cost, the general entry does.
_COST = "gratis bayar biaya harga tarif pay cost price"
_BESIDE_COST = "perlu harus kena need must juga also semua semuanya all"  # "semuanya gratis kan?": the list in hand
_LISTS_VACCINES = frozenset({"imunisasi_usia", "imunisasi_jadwal", "imunisasi_pribadi", "imunisasi_kejar"})


def read(turn: Turn, ctx: dict[str, Any], text: str, top: Match | None) -> Resolved | None:
    """Immunization follow-ups: another age, the same vaccine, the same child."""
    numbers = turn.content.language.number_map
    names_vaccine = bool(vaccines_named(turn, text))
    has_date = find_date(text, turn.today) is not None
    age = find_age(text, numbers)
    has_age = age is not None
    if ctx.get("intent") in _LISTS_VACCINES and not (names_vaccine or has_date or has_age) and asks_cost(turn, text):
        # "itu gratis?" after an age's vaccines ("bayar gak?" alone is JKN's) asks whether they are free: the general entry says where and free
        return Resolved(text, "cost", TOPIC)
    own_topic = top is not None and top.score >= CONFIDENT and not _is_immunization(turn, top.intent_id)
    if own_topic:
        return None
    subject = ctx.get("subject")
    if (
        ctx.get("intent") == _CATCH_UP
        and not has_date
        and (_STILL.search(turn.norm) or (names_vaccine and _OPENS.match(turn.norm)))
    ):
        # "sampe umur brp masih bisa?", "klo pcv?" after a missed dose: the catch-up of that vaccine or age,
        # not the vaccine's description nor the schedule by age.
        carried = _carried(ctx)
        return Resolved(
            f"{text} imunisasi terlambat kejar {carried[0] if carried else ''}".strip(), "catch-up", _CATCH_UP
        )
    # "udh 3 hari gk turun" after a fever answer is how long, not the child's age: an age asks again by age
    # only after an answer by age, or when the message says it is one ("yang 9 bulan?", "umurnya 5 bulan").
    by_age = (
        ctx.get("intent") in _BY_AGE
        or _AGE_WORDS.search(turn.norm) is not None
        or (age is not None and age.months > 0 and _AGE_OPENERS.search(turn.norm) is not None)
    )
    if has_age and by_age and not names_vaccine and not has_date:
        if subject == "birth" and ctx.get("birth"):  # "sudah dapat semua sampai yang 4 bulan": that child again
            return Resolved(f"{text} anak lahir {ctx['birth']}", "birth")
        if ctx.get("intent") == "imunisasi_kejar":  # "sekarang umurnya 5 bulan" after a missed dose
            return Resolved(f"imunisasi terlambat kejar anak umur {text}", "age")
        return Resolved(f"imunisasi anak umur {text}", "age")  # "yang 9 bulan?" / "klo 7 bln?"
    if has_age and not by_age and not names_vaccine and not has_date and ctx.get("intent") not in _BY_VACCINE:
        # "udh 3 hari lho" after the side effects: how long the fever has lasted, asked of the answer in hand
        return Resolved(text, "how long", str(ctx.get("intent", "")))
    if names_vaccine and not has_date and not has_age and subject == "birth" and _WHEN.search(turn.norm):
        # "kalo yg campak tanggal brp?" after a child's own schedule: that vaccine's date for that child
        return Resolved(f"{text} anak lahir {ctx['birth']}", "birth", _PERSONAL)
    if names_vaccine or has_date or has_age:
        return None  # it names its own subject
    carried = _carried(ctx)
    if carried is None:
        return None
    words, uses = carried
    # Leaving an entry that reads the fact ("abis itu kapan lagi?" after an age) takes a message that is
    # its own question; leaving one that does not ("kene ulang ke?" after side effects) a clear lean.
    reads = ctx.get("intent") in uses
    other = clear_sibling(turn, ctx, text, OWN_SUBJECT if reads else SAYS_SIBLING)
    if other is None and reads and not _ASKS_FACT.search(turn.norm):
        # "kalo pilek doang?" after an age's vaccines asks no date, dose or vaccine of that age: a sibling the
        # message alone fits as well as UNSURE is what it asks ("abis itu kapan lagi?" stays with the age)
        other = clear_sibling(turn, ctx, text, UNSURE)
    if other is not None or not reads:
        # "biasanya brp hari?" after side effects of DPT asks about the side effects, not about DPT: the vaccine,
        # age or child goes along, the entry is the one in hand or the one the message alone clearly asks for.
        target = other or str(ctx.get("intent"))
        return Resolved(f"{text} {words}", "carried", target.intent_id if isinstance(target, Match) else target)
    if subject == "vaccine" and ctx.get("vaccine"):
        return _kept(turn, ctx, f"vaksin {ctx['vaccine']} {text}", "vaccine")
    if subject == "birth" and ctx.get("birth"):
        return _kept(turn, ctx, f"{text} anak lahir {ctx['birth']}", "birth")
    if subject == "age" and ctx.get("age"):
        if ctx.get("intent") == "imunisasi_kejar":  # "mulai dari mana dulu?" after a missed dose
            return _kept(turn, ctx, f"{text} imunisasi terlambat kejar anak umur {ctx['age']}", "age")
        return _kept(turn, ctx, f"{text} imunisasi anak umur {ctx['age']}", "age")
    return None


def without_birth_date(turn: Turn, ctx: dict[str, Any], intent_id: str, text: str) -> bool:
    """Whether a follow-up would go to the child's own schedule with no birth date in the conversation nor in the
    message ("kalau yang lanjutan?" after the full schedule): that entry could only ask for the date, which answers
    nothing asked (the tuning sets' two such follow-ups were both answered wrong so); the entry in hand answers."""
    return intent_id == _PERSONAL and not ctx.get("birth") and find_date(text, turn.today) is None


def asks_cost(turn: Turn, text: str) -> bool:
    """Whether a message asks only what something costs: a cost word, and beside it only question words."""
    understanding = turn.understanding
    keys = understanding.keys(text)
    cost = understanding.keys(_COST)
    beside = understanding.keys(f"{_BESIDE_COST} {' '.join(sorted(understanding.question_words))}")
    return bool(keys & cost) and keys <= cost | beside


def _kept(turn: Turn, ctx: dict[str, Any], rewritten: str, why: str) -> Resolved:
    """The follow-up with the thread's fact, matched afresh when that reading is sure of its entry or leans to
    another one; else the entry in hand answers it, which reads the same fact ("yg bulan depan apa" after a child's own schedule:
    that child's schedule, not "I cannot answer that")."""
    if turn.understanding.weight(turn.text) > SAYS_MUCH:
        return Resolved(rewritten, why)  # "btw tau skor psps tadi malam?" says much of its own: matched as it is
    matches = turn.understanding.match(rewritten, turn.lang, limit=1)
    if matches and (
        matches[0].score >= CONFIDENT or (matches[0].score >= UNSURE and matches[0].intent_id != ctx.get("intent"))
    ):
        if matches[0].intent_id != ctx.get("intent") and _asks_in_hand(turn, ctx, matches[0].intent_id):
            return Resolved(rewritten, why, str(ctx.get("intent", "")), matches[0].score)
        return Resolved(rewritten, why)  # "berapa biayanya?" leans to another entry: it is matched as it was
    return Resolved(rewritten, why, str(ctx.get("intent", "")), matches[0].score if matches else 0.0)


def _asks_in_hand(turn: Turn, ctx: dict[str, Any], other: str) -> bool:
    """Whether a follow-up that asks a fact ("abis itu kapan lagi?") of an entry that reads the thread's fact (an
    age's vaccines) asks it of that entry, though read with the fact it fits a sibling ("habis" is also "habis
    imunisasi", the side effects): the message alone does not fit the sibling as its own subject (OWN_SUBJECT)."""
    carried = _carried(ctx)
    if carried is None or ctx.get("intent") not in carried[1] or not _ASKS_FACT.search(turn.norm):
        return False
    alone = turn.understanding.match(turn.text, turn.lang, limit=ALL_MATCHES)
    return next((m.score for m in alone if m.intent_id == other), 0.0) < OWN_SUBJECT


def _carried(ctx: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    """The fact a follow-up carries (the vaccine, the child's birth date or age) and the entries that read it."""
    subject = ctx.get("subject")
    if subject == "vaccine" and ctx.get("vaccine"):
        return f"vaksin {ctx['vaccine']}", _BY_VACCINE
    if subject == "birth" and ctx.get("birth"):
        return f"anak lahir {ctx['birth']}", _BY_BIRTH
    if subject == "age" and ctx.get("age"):
        return f"anak umur {ctx['age']}", _BY_AGE
    return None


def _is_immunization(turn: Turn, intent_id: str) -> bool:
    intent = turn.content.intents.get(intent_id)
    return intent is not None and intent.topic == TOPIC


def age_words(months: int, days: int) -> str:
    if months and days:
        return f"{months} bulan {days} hari"
    if months:
        return f"{months} bulan"
    return f"{days // 7} minggu" if days and days % 7 == 0 else f"{days} hari"


def remember_facts(turn: Turn, ctx: dict[str, Any]) -> None:
    """The vaccine, birth date or age a message names, kept in the context for its follow-ups ("3 minggu lalu"
    is when, not an age)."""
    vaccines = vaccines_named(turn)
    if vaccines:
        ctx.update(vaccine=vaccines[0].name.get(), subject="vaccine")
    mention = find_date(turn.text, turn.today)
    if mention is not None and mention.day is not None:
        ctx.update(birth=mention.day.strftime("%d-%m-%Y"), subject="birth")
        ctx.pop("age", None)
    else:
        age = find_age(turn.text, turn.content.language.number_map)
        if age is not None and not (_AGO.search(turn.norm) and not _AGE_SAID.search(turn.norm)):
            ctx.update(age=age_words(age.months, age.days), subject="age")
            ctx.pop("birth", None)


# "yang paling dekat kapan?", "the nearest one when?" after a child's own schedule: the soonest date, not a place.
_SOONEST = re.compile(r"\b(?:paling dekat|terdekat|nearest|closest|soonest)\b")


def soonest(turn: Turn, ctx: dict[str, Any], text: str) -> Resolved | None:
    """A child's next date asked as "the nearest" with a word asking when, after that child's schedule."""
    if ctx.get("subject") != "birth" or not ctx.get("birth") or ctx.get("intent") not in _BY_BIRTH:
        return None
    if not (_SOONEST.search(turn.norm) and _WHEN.search(turn.norm)):
        return None
    return Resolved(f"{text} anak lahir {ctx['birth']}", "soonest", _PERSONAL)
