"""Is a short message complete on its own? "tesnya bisa di puskesmas mana" or "perlu bawa ktp?" after the HIV
test lean towards other topics by one word ("puskesmas", "ktp") but do not say what they ask about: a "-nya"
or "di situ" points back to the thread, or the message is too slight to stand alone. Read with the title of
the answer in hand, they fit it: they ask about it, and get it rather than "Maksud Anda...?"."""

from __future__ import annotations

from bot.engine.followup_reading import ALL_MATCHES, ELLIPTICAL_WEIGHT, STANDS_ALONE, programme_pointers, same_topic
from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT, Match
from bot.knowledge.faq import Intent
from bot.topics.dates import find_date

# Words ending in "-nya" that point back at nothing ("biasanya", "tanya").
NOT_POINTERS = frozenset(
    {
        "tanya", "bertanya", "punya", "hanya", "biasanya", "sebenarnya", "katanya", "sebaiknya", "seharusnya",
        "semuanya", "akhirnya", "tadinya", "dulunya", "selanjutnya", "misalnya", "rasanya", "sepertinya",
        "kayaknya", "nya", "lainnya", "sendirinya", "ujungnya", "padahalnya",
    }
)  # fmt: skip


def points_back(norm: str) -> bool:
    """Whether a message refers to a thing said before: "obatnya", "jadwalnya". ("di situ" points at a place:
    "bisa cek kesehatan gratis disitu?" asks something new there.)"""
    words = norm.split()
    return any(w.endswith("nya") and len(w) > 5 and w not in NOT_POINTERS for w in words)


def leans(turn: Turn, intent: Intent, text: str, alone: list[Match]) -> Match | None:
    """The entry of the thread's topic a message that cannot stand alone asks about, or None.

    The message alone leans to another topic; it points back, or weighs too little and fits nothing well
    ("bisa tanpa ktp?"); read with the title in hand, an entry of that topic fits it confidently."""
    top = alone[0] if alone else None
    if find_date(text, turn.today) is not None:
        return None  # "lahirnya 2 oktober 2026" points at the child, and a birth date is a question of its own
    if top is None or same_topic(turn, top, intent.topic):
        return None  # the thread's own rules read it
    if not points_back(_without_programme(turn, top, intent.topic)) and (
        top.score >= STANDS_ALONE or turn.understanding.weight(text) > ELLIPTICAL_WEIGHT
    ):
        return None  # "puskesmas terdekat dari rumbai" says what it asks about
    read = turn.understanding.match(f"{text} {intent.title.get(turn.lang)}", turn.lang, limit=ALL_MATCHES)
    first = read[0] if read else None
    if first is None or first.score < CONFIDENT or not same_topic(turn, first, intent.topic):
        return None
    return first


def _without_programme(turn: Turn, top: Match, topic: str) -> str:
    """The message without the "-nya" words that name the programme of its best entry alone: "trs puskesmasnya yg
    mana?" after the posyandu asks for that puskesmas, it does not point back at the posyandu as "obatnya" does."""
    named = programme_pointers(turn, top, topic)
    return " ".join(w for w in turn.norm.split() if w not in named)
