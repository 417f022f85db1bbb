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
from datetime import timedelta
from typing import Any

from bot.engine import incomplete, place_followup, vaccine_thread
from bot.engine.followup_reading import (
    ALL_MATCHES,
    MAX_WORDS,
    OWN_SUBJECT,
    SAYS_SIBLING,
    SIBLING,
    SIBLING_MARGIN,
    STANDS_ALONE,
    WANTS,
    Resolved,
    elliptical,
    same_topic,
    tells,
)
from bot.engine.turn import Turn
from bot.engine.types import Outcome
from bot.engine.understanding import CONFIDENT, Match
from bot.knowledge.faq import Intent
from bot.topics import puskesmas as directory_names
from bot.topics.dates import find_age, find_date
from bot.topics.immunization import find_vaccines

EXPIRY = timedelta(minutes=30)
CONTEXT_BONUS = 0.15  # the topic in hand counts this much more than another topic for a short follow-up
ASKED_WORDS = 40  # the last question kept for a statement that follows it
# Reserved intents that say nothing about the topic: they leave the context as it was.
KEEPS_CONTEXT = frozenset(
    {"smalltalk", "greeting", "fallback", "clarify", "help", "empty", "unsupported", "feedback", "flood", "error"}
)
# Words that open a follow-up: "kalau yang kedua?", "terus lewat apa aja?"; the context is tried first.
_FOLLOW = re.compile(
    r"^(yang|kalau|terus|lalu|lanjut|habis itu|setelah itu|bagaimana dengan|and|what about|how about"
    r"|the (?:closest|nearest|one|1)|which (?:one|1))\b"  # "the closest one to panam?" is "yang dekat panam?"
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
_WHERE = re.compile(r"\b(?:dimana|kemana|where)\b")  # normalised: "di mana", "dmn", "ke mana"
# Who a topic is about, for danger signs told in a follow-up: "pusing hebat dan pandangan kabur" after a
# pregnancy answer is a pregnant woman's danger sign, as it is when the same message says "hamil".
_CONCERNS = {"kehamilan": "ibu hamil"}
# A statement that tells about the resident ("dulu PBI dr pemko", "sy bpjs mandiri kelas 3") rather than
# asking or wanting something ("mau daftar uhc"), in normalised words.
_TELLING = re.compile(r"\b(?:saya|aku|kami|ambo|awak|dulu|dulunya|sebelumnya|tadinya|i|my|we|our)\b")


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
    ctx["asked"] = " ".join(turn.text.split()[:ASKED_WORDS])  # a statement that follows is read with it
    vaccine_thread.remember_facts(turn, ctx)
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
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    if intent is not None and ctx.get("after") != "emergency":
        elsewhere = place_followup.another_place(turn, intent, str(ctx.get("asked", ""))) or (
            place_followup.service_there(turn, intent, _subject(ctx))
        )
        if elsewhere is not None:
            return elsewhere
    if ctx.get("topic") == vaccine_thread.TOPIC and (soonest := vaccine_thread.soonest(turn, ctx, text)) is not None:
        return soonest  # "yg paling deket kpn?" after a child's own schedule: the next date, not the nearest place
    topics = turn.understanding.topic_named(text)
    follow = _FOLLOW.match(norm) is not None
    if ctx.get("after") == "emergency":  # "yang dekat tangkerang?" asks for the hospitals the answer listed
        if topics <= {ctx.get("topic")} and "puskesmas" not in norm.split() and _asks_where(turn, text, ctx["topic"]):
            return Resolved(text, "after an emergency", str(ctx.get("intent")), 0.5)
        return None  # "ngeri juga ya", "cara cegahnya?": nothing to read them against
    alone = turn.understanding.match(text, turn.lang)
    top = alone[0] if alone else None
    leaning = incomplete.leans(turn, intent, text, alone) if intent is not None else None
    if topics and ctx.get("topic") not in topics and not follow:
        if leaning is None:
            return None  # it names another topic: a new question wins over the context
        return _in_topic(turn, ctx, text) or _leaning(ctx, text, leaning)  # "perlu bawa ktp?" after the HIV test
    told = _told(turn, ctx, text)
    if told is not None:
        return told
    if follow and ctx.get("intent") == _HOSPITALS and "puskesmas" not in norm.split():
        # "yg paling dekat?" after the hospitals: the nearest of them, though "dekat" alone is the puskesmas' word
        hospitals = _in_topic(turn, ctx, text)
        if hospitals is not None:
            return hospitals
    if leaning is None:  # "obatnya ada di puskesmas?" after blood pressure control neither stands alone nor restates
        standalone = top is not None and top.score >= STANDS_ALONE and not elliptical(turn, text)
        if standalone and not same_topic(turn, top, ctx.get("topic")):
            return None  # "cara daftar bpjs gratis" says everything itself, unlike "trus lewat apa aja"
        if top is not None and top.score >= CONFIDENT and _restates(turn, ctx, text) and not _at_place(turn, ctx):
            return None  # "imunisasi umur 15 bulan apa" names the topic again: a whole question
    if ctx.get("topic") == vaccine_thread.TOPIC:
        if (
            _WHERE.search(norm)
            and elliptical(turn, text)
            and turn.content.intents.get(vaccine_thread.TOPIC) is not None
        ):
            return Resolved(
                text, "where", vaccine_thread.TOPIC, 0.5
            )  # "dimana?": every vaccine is given at the same places
        found = vaccine_thread.read(turn, ctx, text, top)
        if found is not None:
            return found
    if topics and top is not None and top.score >= CONFIDENT and same_topic(turn, top, ctx.get("topic")):
        if tells(turn, text) and top.score < STANDS_ALONE and ctx.get("intent") != top.intent_id:
            # "dulu PBI dari pemko" after "BPJS saya nonaktif" tells more about the same question
            return Resolved(text, "tells", str(ctx.get("intent")), top.score)
        return None  # it names the topic in hand and stands on its own
    found = _in_topic(turn, ctx, text)
    if found is None and leaning is None and intent is not None and _attribute_only(turn, intent, text):
        # "jam brp mulainya?", "bawa buku kia gk?" after the posyandu: when it is held, what to bring, though "jam"
        # alone is the puskesmas's word; the entry in hand, whose own questions say the rest, is asked again
        return Resolved(f"{text} {_subject(ctx)}".strip(), "attribute", intent.id)
    return found if found is not None or leaning is None else _leaning(ctx, text, leaning)


# What a short follow-up asks of the thing in hand, whatever it is (a posyandu, a check, a programme): when it
# is held and what to bring, in normalised words; with the question words, nothing else.
_ATTRIBUTES = "jam buka tutup mulai selesai hari bawa dibawa syarat persyaratan dokumen"


def _attribute_only(turn: Turn, intent: Intent, text: str) -> bool:
    """Whether a message asks only when or with what: an attribute word, and every other word a question word or
    one of the entry in hand's own questions ("buku kia" of "harus bawa buku kia ke posyandu")."""
    understanding = turn.understanding
    keys = understanding.keys(text)
    asked = understanding.keys(_ATTRIBUTES)
    own = understanding.keys(" ".join([*intent.questions, *intent.keywords]))
    plain = keys - understanding.keys(" ".join(sorted(understanding.question_words)))
    return bool(keys & asked) and plain <= asked | own


def _leaning(ctx: dict[str, Any], text: str, leaning: Match) -> Resolved:
    """A message that cannot stand alone, answered by the entry of the thread its title's reading fits."""
    return Resolved(f"{text} {_subject(ctx)}".strip(), "leans", leaning.intent_id, leaning.score)


def _told(turn: Turn, ctx: dict[str, Any], text: str) -> Resolved | None:
    """ "dulu PBI dr pemko" after "bpjs sy nonaktif": the resident tells more about the question in hand, asks
    nothing new. It is read with that question: the entry the two fit clearly together, else the one in hand."""
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    asked = str(ctx.get("asked", ""))
    norm = turn.norm
    if intent is None or not asked or not tells(turn, text) or not _TELLING.search(norm) or WANTS.search(norm):
        return None
    if find_vaccines(turn.content.immunization, text) or find_date(text, turn.today) is not None:
        return None  # a vaccine or a birth date is a new subject: the immunization reading takes it
    if find_age(text, turn.content.language.number_map) is not None:
        return None
    alone = turn.understanding.match(text, turn.lang, limit=1)
    if alone and alone[0].score >= STANDS_ALONE and not same_topic(turn, alone[0], intent.topic):
        return None  # "saya mau tanya soal hamil" tells of another topic
    together = f"{asked} {text}"
    read = turn.understanding.match(together, turn.lang, limit=1)
    if read and read[0].score >= STANDS_ALONE and same_topic(turn, read[0], intent.topic):
        return Resolved(together, "told", read[0].intent_id, read[0].score)
    return Resolved(together, "told", intent.id, alone[0].score if alone else 0.0)


def _asks_where(turn: Turn, text: str, topic: object) -> bool:
    """Whether a message after an emergency asks where care is: it names a place ("yang dekat tangkerang?")
    or fits a place entry alone ("yang paling dekat mana"); "ngeri juga ya" or "cara cegahnya?" does not."""
    words = turn.norm.split()
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    if any(w in turn.understanding.place_words for w in (*words, *pairs)):
        return True
    matches = turn.understanding.match(text, turn.lang, limit=1)
    return bool(matches) and same_topic(turn, matches[0], topic)


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
    if intent is None or same_topic(turn, top, intent.topic):
        return None
    named = turn.understanding.topic_named(text)
    if top.score >= STANDS_ALONE and not elliptical(turn, text) and intent.topic not in named:
        return None  # "cara daftar bpjs gratis" stands on its own; "lapor ke siapa" after fogging may be either
    if named and intent.topic not in named:
        return None  # "cara daftar bpjs?" names its own topic
    return intent


def _at_place(turn: Turn, ctx: dict[str, Any]) -> bool:
    """Whether a message that restates a place entry's words ("sabtu buka?", "itu buka sabtu?" after a
    puskesmas's hours) asks about the puskesmas in hand: the context shows one, and the message names none."""
    if not _subject(ctx) or {"puskesmas", "pkm", "rumah sakit"} & set(turn.norm.split()):
        return False  # "puskesmas buka hari minggu?" asks afresh: the feature reads it with the area it remembers
    directory = turn.content.puskesmas
    _score, names = directory_names.match_name(directory, turn.text)
    return not names and directory_names.find_area(directory, turn.text) is None


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
    inside = [m for m in alone if same_topic(turn, m, intent.topic)]
    itself = next((m.score for m in inside if m.intent_id == intent.id), 0.0)
    if intent.id == _HOSPITALS and "puskesmas" not in turn.norm.split():
        # The hospitals share the puskesmas topic, but "24 jam kan?", "alamatnya?" after them ask about them;
        # "parkir mobil di sana bayar brp per jam?" says much and fits nothing: not a question for the bot.
        read = place_followup.nearest_words(turn.norm)  # "the closest one to panam?" is "yang dekat panam?"
        if read != turn.norm:
            alone = turn.understanding.match(read, turn.lang, limit=ALL_MATCHES)
        if not elliptical(turn, read) and (not alone or alone[0].score < CONFIDENT):
            return None
        return Resolved(f"{text} {_subject(ctx)}".strip(), "hospitals", intent.id, itself)
    leans = elliptical(turn, text)
    floor = SIBLING if leans else SAYS_SIBLING  # a message that says more must fit the other entry better
    best = inside[0] if inside and inside[0].score >= max(floor, itself + SIBLING_MARGIN) else None
    if best is not None and _step_back(turn, intent, best.intent_id):
        best = None
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


def _step_back(turn: Turn, intent: Intent, other_id: str) -> bool:
    """Whether another entry is its topic's guided check's start ("what is UHC" and its questions), a step back from
    the answer in hand: "kalau ktp blm elektronik?" after the UHC documents asks about them. The immunization
    entry is no such step: "itu di pkm gratis kan?" after an age's vaccines asks what it answers (free)."""
    other = turn.content.intents.get(other_id)
    return (
        other is not None
        and other.id != intent.id
        and other.id == intent.topic
        and (other.handler or "").endswith(".start")
    )


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
    inside = [m for m in read if same_topic(turn, m, intent.topic)]
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
    if not matches or matches[0].score < CONFIDENT or not same_topic(turn, matches[0], intent.topic):
        return None
    chosen = intent.id if _step_back(turn, intent, matches[0].intent_id) else matches[0].intent_id
    return Resolved(f"{text} {subject}".strip(), "topic again", chosen, matches[0].score)


def _subject(ctx: dict[str, Any]) -> str:
    """What the last answer was about, in words a handler reads: the one puskesmas (or hospital) it showed."""
    names = ctx.get("listed")
    if isinstance(names, list) and (len(names) == 1 or (names and ctx.get("intent") == _NEAREST)):
        return f"puskesmas {names[0]}"  # of the nearest ones, "kalau sabtu buka?" asks about the nearest
    return ""
