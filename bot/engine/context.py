"""What the conversation is about, and short follow-ups read against it.

After "imunisasi bayi 4 bulan apa", "yang 9 bulan?" asks the same for 9 months; after a list
of puskesmas, "yang pertama buka sabtu?" is about the first of them; after "vaksin rotavirus
untuk apa", "berapa kali?" is about rotavirus; after a child's own schedule, "yang terlewat
apa?" is about that child. The context (topic, vaccine, age, birth date, last list) is kept in
the conversation state for EXPIRY; a short message is rewritten into the standalone question
it stands for, and the dialogue answers that. A message that clearly starts a new topic wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.engine.turn import Turn
from bot.engine.types import Outcome
from bot.engine.understanding import CONFIDENT, Match
from bot.knowledge.faq import Intent
from bot.topics.dates import find_age, find_date
from bot.topics.immunization import find_vaccines

EXPIRY = timedelta(minutes=30)
SIBLING = 0.25  # a follow-up that fits another entry of the topic in hand this well (alone)...
SAYS_SIBLING = 0.35  # the same for a message that is not elliptical
SIBLING_MARGIN = 0.1  # ...and this much better than the entry in hand asks for that entry
CONTEXT_BONUS = 0.15  # the topic in hand counts this much more than another topic for a short follow-up
ALL_MATCHES = 12
MAX_WORDS = 9  # longer messages say what they are about themselves
ELLIPTICAL_WEIGHT = 1.5  # "pake bpjs?", "trus lewat apa aja" say too little of their own to leave the topic in hand
OWN_SUBJECT = 0.7  # a sibling a message fits this well alone is its own question ("hb0 nya kapan")
STANDS_ALONE = 0.75  # a message matching another topic this well is a new question, whatever the context
# Reserved intents that say nothing about the topic: they leave the context as it was.
KEEPS_CONTEXT = frozenset(
    {"smalltalk", "greeting", "fallback", "clarify", "help", "empty", "unsupported", "feedback", "flood", "error"}
)
# Words that open a follow-up: "kalau yang kedua?", "terus lewat apa aja?"; the context is tried first.
_FOLLOW = re.compile(
    r"^(yang|kalau|terus|lalu|lanjut|habis itu|setelah itu|bagaimana dengan|and|what about|how about)\b"
)
_ORDINALS = {
    "pertama": 0, "kesatu": 0, "first": 0, "1": 0, "kedua": 1, "second": 1, "2": 1,
    "ketiga": 2, "third": 2, "3": 2, "keempat": 3, "4": 3, "kelima": 4, "5": 4, "keenam": 5, "6": 5,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?:yang|yg|no|nomor|nomer|the)?\s*(pertama|kesatu|kedua|ketiga|keempat|kelima|keenam|first|second|third)\b"
    r"|\b(?:yang|yg|no|nomor|nomer)\s*([1-6])\b"
)
_LAST = re.compile(r"\b(?:yang|yg)\s+(terakhir|paling bawah)\b|\bthe last one\b")
_NEAREST = "puskesmas"  # the entry listing the puskesmas nearest to a shared location, nearest first
_HOSPITALS = "rumah_sakit"  # the entry listing the hospitals with an IGD, as the emergency answer does
_IMMUNIZATION = "imunisasi"  # the content topic of every immunization entry, and its general entry (where, free)
_WHERE = re.compile(r"\b(?:dimana|kemana|where)\b")  # normalised: "di mana", "dmn", "ke mana"
_BY_AGE = frozenset({"imunisasi", "imunisasi_usia", "imunisasi_jadwal", "imunisasi_kejar", "imunisasi_pribadi"})
_AGE_WORDS = re.compile(r"\b(?:umur|umurnya|usia|usianya|bayi|anak|lahir)\b")
_AGE_OPENERS = re.compile(r"\b(?:yang|kalau|sekarang)\b")  # "yang 9 bulan?", but "kalau sampai 3 hari" is how long
# Who a topic is about, for danger signs told in a follow-up: "pusing hebat dan pandangan kabur" after a
# pregnancy answer is a pregnant woman's danger sign, as it is when the same message says "hamil".
_CONCERNS = {"kehamilan": "ibu hamil"}


@dataclass(frozen=True, slots=True)
class Resolved:
    text: str  # the standalone question the follow-up stands for
    why: str  # which rule read it (for logs and tests)
    intent: str = ""  # the entry that answers it, when the context decides; "" when the text is matched afresh
    score: float = 0.0  # how well the message alone fits that entry (for the query log)


def current(turn: Turn) -> dict[str, Any]:
    """The live context of this conversation; {} when there is none or it has expired."""
    ctx = turn.state.context
    if not ctx:
        return {}
    at = ctx.get("at")
    if (
        not isinstance(at, (int, float))
        or turn.now.timestamp() - at > EXPIRY.total_seconds()
        or at > turn.now.timestamp() + 60
    ):
        turn.state.context = {}
        return {}
    return ctx


def listed(turn: Turn, names: list[str]) -> None:
    """A feature showed these puskesmas (or hospitals) in this order: "yang pertama" means names[0]."""
    turn.state.context = {**current(turn), "listed": list(names), "at": turn.now.timestamp()}


def keep_next(turn: Turn, text: str, intent_id: str) -> None:
    """A long message's next question, answered when the resident presses "Lanjut" (or types its number)."""
    turn.state.context = {**current(turn), "next": [text, intent_id], "at": turn.now.timestamp()}


def take_next(turn: Turn) -> tuple[str, str] | None:
    pending = current(turn).pop("next", None)
    if not isinstance(pending, list) or len(pending) != 2:
        return None
    return str(pending[0]), str(pending[1])


def remember(turn: Turn, outcome: Outcome) -> None:
    """After an answer: its topic and the facts its question named (vaccine, age, birth date)."""
    if outcome.intent in KEEPS_CONTEXT:
        return
    ctx = dict(current(turn))
    pending = ctx.get("next")
    intent = turn.content.intents.get(outcome.intent)
    if intent is None:
        if outcome.intent in {"emergency", "menu"}:
            turn.state.context = {}  # after an emergency or "batal"/"menu", nothing is read as a follow-up...
            hospitals = turn.content.intents.get(_HOSPITALS)
            if outcome.intent == "emergency" and hospitals is not None:
                # ...but the hospitals the emergency answer listed: "yang dekat tangkerang?" asks for them
                ctx = {"intent": hospitals.id, "topic": hospitals.topic, "after": "emergency"}
                turn.state.context = {**ctx, "at": turn.now.timestamp()}
        return  # a service reply (menu, language, reminders...): nothing to follow up on
    if ctx.get("topic") != intent.topic:
        ctx = {"listed": ctx["listed"]} if "listed" in ctx and intent.topic == "puskesmas" else {}
    ctx.pop("after", None)  # the emergency's hospitals were asked for: from here on, a follow-up like any other
    ctx.update(intent=intent.id, topic=intent.topic, at=turn.now.timestamp())
    schedule = turn.content.immunization
    vaccines = find_vaccines(schedule, turn.text)
    if vaccines:
        ctx.update(vaccine=vaccines[0].name.get(), subject="vaccine")
    mention = find_date(turn.text, turn.today)
    if mention is not None and mention.day is not None:
        ctx.update(birth=mention.day.strftime("%d-%m-%Y"), subject="birth")
        ctx.pop("age", None)
    else:
        age = find_age(turn.text, turn.content.language.number_map)
        if age is not None:
            ctx.update(age=_age_words(age.months, age.days), subject="age")
            ctx.pop("birth", None)
    if not (outcome.intent.startswith("puskesmas") or outcome.intent == "rumah_sakit"):
        ctx.pop("listed", None)
    if pending is not None:
        ctx["next"] = pending
    turn.state.context = ctx


def danger_text(turn: Turn) -> str | None:
    """A short message read with whom the conversation is about, for the danger signs; None when nobody is."""
    who = _CONCERNS.get(str(current(turn).get("topic", "")))
    if who is None or not turn.text or len(turn.text.split()) > MAX_WORDS:
        return None
    return f"{who} {turn.text}"


def resolve(turn: Turn) -> Resolved | None:
    """The standalone question a short follow-up stands for, or None when it stands alone (or there is no context)."""
    ctx = current(turn)
    text = turn.text.strip()
    if not ctx or not text or len(text.split()) > MAX_WORDS:
        return None
    norm = turn.norm
    named = _from_list(turn, ctx, norm)
    if named is not None:
        return named
    topics = turn.understanding.topic_named(text)
    follow = _FOLLOW.match(norm) is not None
    if ctx.get("after") == "emergency":  # "yang dekat tangkerang?" asks for the hospitals the answer listed
        if topics <= {ctx.get("topic")} and "puskesmas" not in norm.split() and _asks_where(turn, text, ctx["topic"]):
            return Resolved(text, "after an emergency", str(ctx.get("intent")), 0.5)
        return None  # "ngeri juga ya", "cara cegahnya?": nothing to read them against
    if topics and ctx.get("topic") not in topics and not follow:
        return None  # it names another topic: a new question wins over the context
    alone = turn.understanding.match(text, turn.lang)
    top = alone[0] if alone else None
    standalone = top is not None and top.score >= STANDS_ALONE and not elliptical(turn, text)
    if standalone and not _same_topic(turn, top, ctx.get("topic")):
        return None  # "cara daftar bpjs gratis" says everything itself, unlike "trus lewat apa aja"
    if top is not None and top.score >= CONFIDENT and _restates(turn, ctx, text):
        return None  # "imunisasi umur 15 bulan apa" names the topic again: a whole question
    if ctx.get("topic") == _IMMUNIZATION:
        if _WHERE.search(norm) and elliptical(turn, text) and turn.content.intents.get(_IMMUNIZATION) is not None:
            return Resolved(text, "where", _IMMUNIZATION, 0.5)  # "dimana?": every vaccine is given at the same places
        found = _immunization(turn, ctx, text, top)
        if found is not None:
            return found
    if topics and top is not None and top.score >= CONFIDENT and _same_topic(turn, top, ctx.get("topic")):
        if _tells(turn, text) and top.score < STANDS_ALONE and ctx.get("intent") != top.intent_id:
            # "dulu PBI dari pemko" after "BPJS saya nonaktif" tells more about the same question
            return Resolved(text, "tells", str(ctx.get("intent")), top.score)
        return None  # it names the topic in hand and stands on its own
    return _in_topic(turn, ctx, text)


def _asks_where(turn: Turn, text: str, topic: object) -> bool:
    """Whether a message after an emergency asks where care is: it names a place ("yang dekat tangkerang?")
    or fits a place entry alone ("yang paling dekat mana"); "ngeri juga ya" or "cara cegahnya?" does not."""
    words = turn.norm.split()
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    if any(w in turn.understanding.place_words for w in (*words, *pairs)):
        return True
    matches = turn.understanding.match(text, turn.lang, limit=1)
    return bool(matches) and _same_topic(turn, matches[0], topic)


def in_hand(turn: Turn, matches: list[Match]) -> Intent | None:
    """The answer in hand, when a short message that resolve() could not read leans towards another topic
    without standing on its own ("pake bpjs?", "obatnya di puskesmas?"): the dialogue asks rather than
    answer confidently on another topic. None when the message names its new topic or stands alone."""
    ctx = current(turn)
    text = turn.text.strip()
    if not ctx or not text or len(text.split()) > MAX_WORDS or not matches:
        return None
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    top = matches[0]
    if intent is None or _same_topic(turn, top, intent.topic):
        return None
    named = turn.understanding.topic_named(text)
    if top.score >= STANDS_ALONE and not elliptical(turn, text) and intent.topic not in named:
        return None  # "cara daftar bpjs gratis" stands on its own; "lapor ke siapa" after fogging may be either
    if named and intent.topic not in named:
        return None  # "cara daftar bpjs?" names its own topic
    return intent


def elliptical(turn: Turn, text: str) -> bool:
    """Whether a message leans on the conversation: no topic word of its own, and little weight in its words."""
    return not turn.understanding.topic_named(text) and turn.understanding.weight(text) <= ELLIPTICAL_WEIGHT


def _tells(turn: Turn, text: str) -> bool:
    """A statement, not a question: no question mark and no question word."""
    words = turn.understanding.question_words  # content/language.yaml
    return "?" not in text and not any(w in words for w in turn.norm.split())


def _restates(turn: Turn, ctx: dict[str, Any], text: str) -> bool:
    """Whether the message repeats the topic's own name or the last answer's title ("imunisasi", "vaksin")."""
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    head = f"{ctx.get('topic', '')} {intent.title.get('id') if intent else ''}"
    return bool(turn.understanding.keys(text) & turn.understanding.keys(head))


def _from_list(turn: Turn, ctx: dict[str, Any], norm: str) -> Resolved | None:
    """ "yang pertama buka sabtu?" after a list of puskesmas: the first one, by name."""
    names = ctx.get("listed")
    if not names or not isinstance(names, list):
        return None
    found = _ORDINAL.search(norm)
    index: int | None = None
    if found is not None:
        word = found.group(1) or found.group(2)
        index = _ORDINALS.get(word)
    elif _LAST.search(norm):
        index = len(names) - 1
    if index is None or index >= len(names):
        return None
    span = found.span() if found is not None else _LAST.search(norm).span()  # type: ignore[union-attr]
    rest = (norm[: span[0]] + " " + norm[span[1] :]).strip()
    return Resolved(f"puskesmas {names[index]} {rest}".strip(), "listed")


def _immunization(turn: Turn, ctx: dict[str, Any], text: str, top: Match | None) -> Resolved | None:
    """Immunization follow-ups: another age, the same vaccine, the same child."""
    schedule = turn.content.immunization
    numbers = turn.content.language.number_map
    names_vaccine = bool(find_vaccines(schedule, text))
    has_date = find_date(text, turn.today) is not None
    age = find_age(text, numbers)
    has_age = age is not None
    own_topic = top is not None and top.score >= CONFIDENT and not _is_immunization(turn, top.intent_id)
    if own_topic:
        return None
    subject = ctx.get("subject")
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
    if names_vaccine or has_date or has_age:
        return None  # it names its own subject
    if subject == "vaccine" and ctx.get("vaccine"):
        return Resolved(f"vaksin {ctx['vaccine']} {text}", "vaccine")
    if subject == "birth" and ctx.get("birth"):
        return Resolved(f"{text} anak lahir {ctx['birth']}", "birth")
    if subject == "age" and ctx.get("age"):
        if ctx.get("intent") == "imunisasi_kejar":  # "mulai dari mana dulu?" after a missed dose
            return Resolved(f"{text} imunisasi terlambat kejar anak umur {ctx['age']}", "age")
        return Resolved(f"{text} imunisasi anak umur {ctx['age']}", "age")
    return None


def _in_topic(turn: Turn, ctx: dict[str, Any], text: str) -> Resolved | None:
    """ "jam pelayanannya?" after a puskesmas's address: the entry of the topic in hand the message asks for.

    The message alone picks the entry among the topic's own ("jam" -> opening hours); a message that
    names none of them asks the last entry again ("daftarnya di mana?"). The thing talked about (the
    puskesmas shown) is added to the text, so the answer is about it.
    """
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    if intent is None:
        return None
    alone = turn.understanding.match(text, turn.lang, limit=ALL_MATCHES)
    inside = [m for m in alone if _same_topic(turn, m, intent.topic)]
    itself = next((m.score for m in inside if m.intent_id == intent.id), 0.0)
    if intent.id == _HOSPITALS and "puskesmas" not in turn.norm.split():
        # The hospitals share the puskesmas topic, but "24 jam kan?", "alamatnya?" after them ask about them.
        return Resolved(f"{text} {_subject(ctx)}".strip(), "hospitals", intent.id, itself)
    leans = elliptical(turn, text)
    floor = SIBLING if leans else SAYS_SIBLING  # a message that says more must fit the other entry better
    best = inside[0] if inside and inside[0].score >= max(floor, itself + SIBLING_MARGIN) else None
    if best is not None and _another_subject(turn, intent, best):
        best = _with_title(turn, intent, text, best, floor)
    top = alone[0] if alone else None
    if not leans:
        if best is None:
            return _same_topic_again(turn, intent, text, _subject(ctx))
        bonus = CONTEXT_BONUS * (2 if _FOLLOW.match(turn.norm) else 1)  # "kalau demam?" leans on the context
        if top is not None and top.intent_id != best.intent_id and best.score + bonus < top.score:
            return None  # it fits another topic clearly better
    chosen = best.intent_id if best is not None else intent.id
    return Resolved(f"{text} {_subject(ctx)}".strip(), "topic", chosen, best.score if best else 0.0)


def _another_subject(turn: Turn, intent: Intent, sibling: Match) -> bool:
    """Whether a sibling the message leans to weakly is about another subject than the answer in hand: TBC
    and HIV share a topic, but their titles share no word (the puskesmas's hours and address do)."""
    other = turn.content.intents.get(sibling.intent_id)
    if other is None or other.id in {intent.id, _HOSPITALS} or sibling.score >= OWN_SUBJECT:
        return False
    keys = turn.understanding.keys
    return not keys(intent.title.get("id")) & keys(other.title.get("id"))


def _with_title(turn: Turn, intent: Intent, text: str, sibling: Match, floor: float) -> Match | None:
    """The sibling a message picks alone, checked by reading it with the answer in hand's title: "tesnya gmn"
    after TBC asks for the TB test, though "tes" alone is HIV's word. When the title changes the choice, the
    entry that reading picks clearly is asked, else the one in hand (None)."""
    read = turn.understanding.match(f"{text} {intent.title.get(turn.lang)}", turn.lang, limit=ALL_MATCHES)
    inside = [m for m in read if _same_topic(turn, m, intent.topic)]
    scores = {m.intent_id: m.score for m in inside}
    itself = scores.get(intent.id, 0.0)
    if scores.get(sibling.intent_id, 0.0) >= itself:
        return sibling
    top = inside[0] if inside else None
    if top is not None and top.intent_id != intent.id and top.score >= max(floor, itself + SIBLING_MARGIN):
        return top  # "cara cegahnya gmn" after dengue: the prevention entry
    return None


def _same_topic_again(turn: Turn, intent: Intent, text: str, subject: str) -> Resolved | None:
    """A message that fits no entry of the topic alone ("bikin KK nya dmn" after UHC documents): read
    with the last answer's own words, it may still ask that topic; else it is not a follow-up."""
    rewritten = " ".join([text, intent.title.get("id"), *intent.keywords[:2]])
    matches = turn.understanding.match(rewritten, turn.lang)
    if not matches or matches[0].score < CONFIDENT or not _same_topic(turn, matches[0], intent.topic):
        return None
    return Resolved(f"{text} {subject}".strip(), "topic again", matches[0].intent_id, matches[0].score)


def _subject(ctx: dict[str, Any]) -> str:
    """What the last answer was about, in words a handler reads: the one puskesmas (or hospital) it showed."""
    names = ctx.get("listed")
    if isinstance(names, list) and (len(names) == 1 or (names and ctx.get("intent") == _NEAREST)):
        return f"puskesmas {names[0]}"  # of the nearest ones, "kalau sabtu buka?" asks about the nearest
    return ""


def _same_topic(turn: Turn, match: Match | None, topic: object) -> bool:
    if match is None or not topic:
        return False
    intent = turn.content.intents.get(match.intent_id)
    return intent is not None and intent.topic == topic


def _is_immunization(turn: Turn, intent_id: str) -> bool:
    intent = turn.content.intents.get(intent_id)
    return intent is not None and intent.topic == _IMMUNIZATION


def _age_words(months: int, days: int) -> str:
    if months and days:
        return f"{months} bulan {days} hari"
    if months:
        return f"{months} bulan"
    return f"{days // 7} minggu" if days and days % 7 == 0 else f"{days} hari"
