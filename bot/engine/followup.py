"""Short follow-ups read against the conversation's context: the standalone question each stands for.

After "imunisasi bayi 4 bulan apa", "yang 9 bulan?" asks the same for 9 months; after a list
of puskesmas, "yang pertama buka sabtu?" is about the first of them (`followup_list`); after "vaksin
rotavirus untuk apa", "berapa kali?" is about rotavirus; after a child's own schedule, "yang terlewat
apa?" is about that child. A short message is rewritten into the question it stands for, and the
dialogue answers that; an entry of the topic in hand is picked by `followup_topic`. A message that
clearly starts a new topic wins. What is in hand, and for how long, is `context`'s.
"""

from __future__ import annotations

import re
from typing import Any

from bot.engine import incomplete, place_followup, vaccine_thread
from bot.engine.context import HOSPITALS, current, subject
from bot.engine.features.immunization.reading import vaccines_named
from bot.engine.followup_list import from_list
from bot.engine.followup_reading import (
    ALSO,
    ALSO_WORDS,
    MAX_WORDS,
    PLACE_TOPIC,
    SIBLING_MARGIN,
    STANDS_ALONE,
    WANTS,
    Resolved,
    elliptical,
    leans_on,
    programme_pointers,
    same_topic,
    stands_alone,
    tells,
)
from bot.engine.followup_topic import in_topic
from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT, UNSURE, Match
from bot.knowledge.faq import Intent
from bot.topics import puskesmas as directory_names
from bot.topics.dates import find_age, find_date

_WHERE = re.compile(r"\b(?:dimana|kemana|where)\b")  # normalised: "di mana", "dmn", "ke mana"
# A statement that tells about the resident ("dulu PBI dr pemko", "sy bpjs mandiri kelas 3") rather than
# asking or wanting something ("mau daftar uhc"), in normalised words.
_TELLING = re.compile(r"\b(?:saya|aku|kami|ambo|awak|dulu|dulunya|sebelumnya|tadinya|i|my|we|our)\b")
# "yg lain?", "yang swasta?", "the other one?": one of what the answer in hand showed, in normalised words.
_ONE_OF = re.compile(r"^(?:yang|the (?:one|other|closest|nearest)|which (?:one|1))\b")
# "ke posyandu aja atau puskesmas?" weighs two places against each other; "atau tidak" only asks yes or no.
_CHOICE = re.compile(r"\batau\s+(?!tidak\b|belum\b|bukan\b)\w")


def resolve(turn: Turn) -> Resolved | None:
    """The standalone question a short follow-up stands for, or None when it stands alone (or there is no context)."""
    ctx = current(turn)
    text = turn.text.strip()
    if not ctx or not text or len(text.split()) > MAX_WORDS:
        return None
    norm = turn.norm
    named = from_list(turn, ctx, norm)
    if named is not None:
        return named
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    if intent is not None and ctx.get("after") != "emergency":
        elsewhere = (
            place_followup.another_place(turn, intent, str(ctx.get("asked", "")))
            or place_followup.nearest_here(turn, intent)
            or place_followup.service_there(turn, intent, subject(ctx))
        )
        if elsewhere is not None:
            return elsewhere
    if ctx.get("topic") == vaccine_thread.TOPIC and (soonest := vaccine_thread.soonest(turn, ctx, text)) is not None:
        return soonest  # "yg paling deket kpn?" after a child's own schedule: the next date, not the nearest place
    topics = turn.understanding.topic_named(text)
    follow = leans_on(norm)
    if ctx.get("after") == "emergency":  # "yang dekat tangkerang?" asks for the hospitals the answer listed
        if topics <= {ctx.get("topic")} and "puskesmas" not in norm.split() and _asks_where(turn, text, ctx["topic"]):
            return Resolved(text, "after an emergency", str(ctx.get("intent")), 0.5)
        return None  # "ngeri juga ya", "cara cegahnya?": nothing to read them against
    alone = turn.understanding.match(text, turn.lang)
    top = alone[0] if alone else None
    if intent is not None and (elsewhere := _names_another(turn, intent, text, top)) is not None:
        return elsewhere
    leaning = incomplete.leans(turn, intent, text, alone) if intent is not None else None
    if topics and ctx.get("topic") not in topics and not follow:
        if leaning is None:
            return None  # it names another topic: a new question wins over the context
        return in_topic(turn, ctx, text) or _leaning(ctx, text, leaning)  # "perlu bawa ktp?" after the HIV test
    told = _told(turn, ctx, text)
    if told is not None:
        return told
    if follow and ctx.get("intent") == HOSPITALS and "puskesmas" not in norm.split():
        # "yg paling dekat?" after the hospitals: the nearest of them, though "dekat" alone is the puskesmas' word
        hospitals = in_topic(turn, ctx, text)
        if hospitals is not None:
            return hospitals
    if leaning is None:  # "obatnya ada di puskesmas?" after blood pressure control neither stands alone nor restates
        standalone = stands_alone(turn, text, top)
        if standalone and not same_topic(turn, top, ctx.get("topic")):
            if intent is not None and (kept := _in_the_answer(turn, ctx, intent, text, top)) is not None:
                return kept  # "kelas brp aja?" after the school vaccines: a word of that answer, not a BPJS class
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
        if (in_hand_score := _narrowly_elsewhere(ctx, top, alone)) is not None:
            return Resolved(text, "in hand", str(ctx.get("intent")), in_hand_score)
        return None  # it names the topic in hand and stands on its own
    found = in_topic(turn, ctx, text)
    if found is None and leaning is None and intent is not None and _attribute_only(turn, intent, text):
        # "jam brp mulainya?", "bawa buku kia gk?" after the posyandu: when it is held, what to bring, though "jam"
        # alone is the puskesmas's word; the entry in hand, whose own questions say the rest, is asked again
        return Resolved(f"{text} {subject(ctx)}".strip(), "attribute", intent.id)
    if (
        found is None
        and leaning is None
        and intent is not None
        and _again(norm)
        and _fits_nothing(turn, ctx, top, topics)
    ):
        # "yg lain ada ga?" after the nearest puskesmas, "pensioners too?" after the free check: the answer in hand
        # asked again (of another of its places, of another subject), in words that fit no entry of their own
        return Resolved(f"{text} {subject(ctx)}".strip(), "again", intent.id, top.score if top else 0.0)
    return found if found is not None or leaning is None else _leaning(ctx, text, leaning)


IN_ANSWER_WORDS = 5  # "kelas brp aja?", "kelas 5?": a few words, every one of them the answer's own


def _in_the_answer(turn: Turn, ctx: dict[str, Any], intent: Intent, text: str, top: Match | None) -> Resolved | None:
    """ "kelas brp aja?" after the school vaccines (BIAS): a short message that names no topic and whose every word
    (but the question words) the answer in hand itself says asks about that answer, though alone it stands as a
    question of another topic by one of those words ("kelas" is also a BPJS class). Not a vaccine, an age or a date,
    which the immunization thread reads. Measured on tuning sets A-L, T-T3 (bench/RESULTS.md, round 13)."""
    said = str(ctx.get("said", ""))
    if not said or top is None or top.intent_id == intent.id or same_topic(turn, top, intent.topic):
        return None
    if len(text.split()) > IN_ANSWER_WORDS or not elliptical(turn, text):
        return None
    understanding = turn.understanding
    plain = understanding.keys(text) - understanding.question_keys
    if not plain or not plain <= understanding.keys(said):
        return None
    if vaccines_named(turn, text) or find_date(text, turn.today) is not None:
        return None
    if find_age(text, turn.content.language.number_map) is not None:
        return None
    return Resolved(f"{text} {subject(ctx)}".strip(), "in the answer", intent.id, top.score)


def _narrowly_elsewhere(ctx: dict[str, Any], top: Match, alone: list[Match]) -> float | None:
    """The score of the entry in hand, when a follow-up that names its topic fits a sibling best but only narrowly:
    "gmn aktifin lg?" after an inactive card fits the status check (0.51) and the inactive card's own answer (0.46),
    which says how to activate it again. As `in_topic` asks, a sibling must fit SIBLING_MARGIN better than the entry
    in hand to leave it, unless the message is a whole question of its own (STANDS_ALONE)."""
    if top.intent_id == ctx.get("intent") or top.score >= STANDS_ALONE:
        return None
    itself = next((m.score for m in alone if m.intent_id == ctx.get("intent")), 0.0)
    return itself if itself >= UNSURE and itself + SIBLING_MARGIN > top.score else None


def _again(norm: str) -> bool:
    """Whether a message asks the same again of another subject ("lansia juga?", "on sundays too?") or picks one of
    what was said ("yg lain?"). Not "kalau ...": it brings a subject of its own ("kalau jual obat cacing?"), which
    may be no question for the bot; measured on tuning set J and held out on I and H (bench/RESULTS.md, round 11)."""
    return (len(norm.split()) <= ALSO_WORDS and ALSO.search(norm) is not None) or _ONE_OF.match(norm) is not None


def _fits_nothing(turn: Turn, ctx: dict[str, Any], top: Match | None, topics: frozenset[str]) -> bool:
    """Whether a message names no topic but the one in hand and fits no entry even unsurely."""
    return not (topics - {ctx.get("topic")}) and (top is None or top.score < UNSURE)


def _names_another(turn: Turn, intent: Intent, text: str, top: Match | None) -> Resolved | None:
    """ "di posyandu bisa diukur?" after stunting: the message names an entry of another topic by its whole title
    and fits that entry alone as a whole question (STANDS_ALONE), so it asks that entry, not the one in hand. Not
    after a puskesmas (a service asked there: "ada layanan imunisasi kan?") unless it names another kind of place
    ("kalau untuk posyandu terdekat?"), not "juga" (the same
    asked again of another subject), not a choice ("ke posyandu aja atau puskesmas?"), and not the title alone
    ("kalau di posyandu?": the question in hand asked there)."""
    if top is None or top.score < STANDS_ALONE or top.intent_id == intent.id:
        return None
    if intent.topic == PLACE_TOPIC and not place_followup.names_other_place(turn.norm):
        return None
    other = turn.content.intents.get(top.intent_id)
    if other is None or other.topic == intent.topic:
        return None
    norm = turn.norm
    if ALSO.search(norm) or _CHOICE.search(norm):
        return None
    understanding = turn.understanding
    title, keys = understanding.keys(other.title.get("id")), understanding.keys(text)
    if not title or not title <= keys:
        return None
    if not keys - title - understanding.question_keys:
        return None  # "kalau di posyandu?" asks the question in hand again, there
    return Resolved(text, "names another entry", other.id, top.score)


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
    plain = keys - understanding.question_keys
    return bool(keys & asked) and plain <= asked | own


def _leaning(ctx: dict[str, Any], text: str, leaning: Match) -> Resolved:
    """A message that cannot stand alone, answered by the entry of the thread its title's reading fits."""
    return Resolved(f"{text} {subject(ctx)}".strip(), "leans", leaning.intent_id, leaning.score)


def _told(turn: Turn, ctx: dict[str, Any], text: str) -> Resolved | None:
    """ "dulu PBI dr pemko" after "bpjs sy nonaktif": the resident tells more about the question in hand, asks
    nothing new. It is read with that question: the entry the two fit clearly together, else the one in hand."""
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    asked = str(ctx.get("asked", ""))
    norm = turn.norm
    if intent is None or not asked or not tells(turn, text) or not _TELLING.search(norm) or WANTS.search(norm):
        return None
    if vaccines_named(turn, text) or find_date(text, turn.today) is not None:
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
    if stands_alone(turn, text, top) and intent.topic not in named:
        return None  # "cara daftar bpjs gratis" stands on its own; "lapor ke siapa" after fogging may be either
    if named and intent.topic not in named:
        return None  # "cara daftar bpjs?" names its own topic
    if programme_pointers(turn, top, intent.topic):
        return None  # "trs puskesmasnya yg mana?" after the posyandu names the place it asks about
    return intent


def _at_place(turn: Turn, ctx: dict[str, Any]) -> bool:
    """Whether a message that restates a place entry's words ("sabtu buka?", "itu buka sabtu?" after a
    puskesmas's hours) asks about the puskesmas in hand: the context shows one, and the message names none."""
    if not subject(ctx) or {"puskesmas", "pkm", "rumah sakit"} & set(turn.norm.split()):
        return False  # "puskesmas buka hari minggu?" asks afresh: the feature reads it with the area it remembers
    directory = turn.content.puskesmas
    _score, names = directory_names.match_name(directory, turn.text)
    return not names and directory_names.find_area(directory, turn.text) is None


def _restates(turn: Turn, ctx: dict[str, Any], text: str) -> bool:
    """Whether the message repeats the topic's own name or the last answer's title ("imunisasi", "vaksin")."""
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    head = f"{ctx.get('topic', '')} {intent.title.get('id') if intent else ''}"
    return bool(turn.understanding.keys(text) & turn.understanding.keys(head))


UNANSWERED = frozenset({"fallback", "clarify"})  # the outcomes that answer nothing


def after_unanswered(turn: Turn, top: Match) -> bool:
    """Whether a short message that cannot stand alone ("anak SD dpt juga?", "pake aplikasi apa") follows a question
    the bot did not answer: it leans on a question nobody understood, so its best entry alone is no answer."""
    if turn.state.last_intent not in UNANSWERED or current(turn):
        return False
    text = turn.text.strip()
    if len(text.split()) > MAX_WORDS or stands_alone(turn, text, top):
        return False
    return elliptical(turn, text) or (leans_on(turn.norm) and not turn.understanding.topic_named(text))
