"""Another place for the question in hand: "kalo puskesmas melur?" after the opening hours of Puskesmas Sail asks
Melur's hours; "kalau di puskesmas sail bisa?" after the HIV test asks the same at Sail. The message opens
like a follow-up, names a puskesmas or an area, and says nothing else of weight: the entry in hand is asked
again, at that place."""

from __future__ import annotations

import re

from bot.engine.followup_reading import ELLIPTICAL_WEIGHT, STANDS_ALONE, Resolved, same_topic
from bot.engine.turn import Turn
from bot.knowledge.faq import Intent
from bot.topics import puskesmas as directory_names

# Entries whose handler reads the place from the text; the other puskesmas entries ask by name or by area.
READS_PLACE = frozenset({"puskesmas_jam", "puskesmas_cari", "puskesmas_area", "rumah_sakit"})
BY_NAME, BY_AREA = "puskesmas_cari", "puskesmas_area"
_PUSKESMAS_TOPIC = "puskesmas"
# Normalised words that open a follow-up about another place ("kalau di rumbai?", "yang di tampan?").
_OPENS = re.compile(r"^(?:yang|kalau|terus|lalu|bagaimana dengan|di|and|what about|how about)\b")
# Words that only say a place is meant ("puskesmas", "kelurahan", "di"): not what is asked.
_PLACE_NOUNS = frozenset(
    {"puskesmas", "pkm", "kelurahan", "kel", "kecamatan", "kec", "desa", "daerah", "wilayah", "di", "ke", "area"}
)


# English "the closest one to panam?", "which one is nearest to panam?" open as "yang dekat panam?" does.
_EN_NEAREST = re.compile(
    r"^(?:the|which)\s+(?:(?:one|1)\s+)?(?:is\s+)?(?:the\s+)?(?:closest|nearest)(?:\s+(?:one|1))?(?:\s+(?:to|from))?\b"
)


def nearest_words(norm: str) -> str:
    """A normalised message with English "the closest one (to)" read as "yang dekat"."""
    return _EN_NEAREST.sub("yang dekat", norm)


def another_place(turn: Turn, intent: Intent, asked: str) -> Resolved | None:
    """The question in hand asked again at the place a short follow-up names, or None."""
    norm = nearest_words(turn.norm)
    if not _OPENS.match(norm):
        return None
    directory = turn.content.puskesmas
    _score, names = directory_names.match_name(directory, turn.text)
    area = directory_names.find_area(directory, turn.text)
    if not names and area is None:
        return None
    place = " ".join([*(p.name for p in names[:1]), *([area.name] if area is not None else [])]).lower()
    rest = " ".join(w for w in norm.split() if w not in _PLACE_NOUNS and not _of_place(w, place))
    named = turn.understanding.topic_named(rest)
    if turn.understanding.weight(rest) > ELLIPTICAL_WEIGHT or (named and named != {intent.topic}):
        return None  # "kalau di rumbai ada dokter gigi?" asks something of its own
    alone = turn.understanding.match(rest, turn.lang, limit=1)
    if alone and alone[0].score >= STANDS_ALONE and not same_topic(turn, alone[0], intent.topic):
        return None  # so does "kalau di rumbai ada posyandu lansia?"
    if intent.id in READS_PLACE:
        return Resolved(turn.text, "another place", intent.id)
    if intent.topic == _PUSKESMAS_TOPIC:
        return Resolved(turn.text, "another place", BY_NAME if names else BY_AREA)
    # The entry in hand reads its own question with the place ("imunisasi bayi 4 bulan ... kalau di rumbai?").
    return Resolved(f"{asked} {turn.text}".strip(), "another place", intent.id)


SERVICES = "puskesmas_layanan"
# The entries that answer about one place (or the nearest ones): a service asked "there" is asked of it.
_ABOUT_A_PLACE = frozenset({"puskesmas", "puskesmas_jam", "puskesmas_cari", "puskesmas_area"})
# Normalised words pointing at the place in hand ("di sana", "disitu", "there", "tempat itu").
_THERE = re.compile(r"\b(?:di sana|disana|di situ|disitu|sana|situ|there|tempat itu|puskesmas itu)\b")
# Asking whether something is available ("ada imunisasi?", "do they do...", "is there..."); "bisa pakai bpjs?"
# asks whether the resident may, a question of its own topic.
_HAS = re.compile(r"^(?:apa ada|apakah ada|ada|tersedia|do they|is there|are there)\b")
_AVAILABLE = re.compile(r"\bada\b.*\b(?:tidak|tiap hari|setiap hari)\b")  # "imunisasi ada tiap hari gk?"
_OTHER_PLACES = frozenset({"posyandu", "posbindu", "klinik", "apotek", "rumah", "hospital", "clinic", "pharmacy"})


def names_other_place(norm: str) -> bool:
    """Whether a normalised message names a place that is no puskesmas ("posyandu", "klinik", "apotek")."""
    return bool(_OTHER_PLACES & set(norm.split()))


LEANS_ELSEWHERE = 0.3  # the message alone fits another topic's entry at least this well: it names a service


NEAREST = "puskesmas"  # the entry listing the puskesmas nearest to where the resident is
# "ada puskesmas dekat sini?", "yg deket sini mana", "any puskesmas near here": the nearest to where the resident
# is, in normalised words ("deket" is "dekat").
HERE = re.compile(r"\b(?:dekat|sekitar|terdekat dari) sini\b|\b(?:near|around|close to) (?:here|me)\b")


def nearest_here(turn: Turn, intent: Intent) -> Resolved | None:
    """ "@loc ... ada puskesmas dekat sini ga, mau periksa tensi", "mau cabut gigi, yg deket sini mana ya" after
    the nearest puskesmas or a puskesmas's answer: the nearest again (from the location the resident shared), not
    the services entry that "ada" and a service's word lean to. "posyandu dekat sini?" and a named area ask
    elsewhere."""
    if intent.id not in _ABOUT_A_PLACE or HERE.search(turn.norm) is None:
        return None
    if _OTHER_PLACES & set(turn.norm.split()) or {"posyandu", "posbindu"} & turn.understanding.topic_named(turn.text):
        return None
    if directory_names.find_area(turn.content.puskesmas, turn.text) is not None:
        return None
    return Resolved(turn.text, "nearest here", NEAREST)


def service_there(turn: Turn, intent: Intent, subject: str) -> Resolved | None:
    """ "ada imunisasi ga disana?", "do they do vaccinations there?" after a puskesmas's hours or the nearest
    list: whether that puskesmas offers a service (the services entry, about that place), not the hours again
    nor the immunization answer. The message asks whether something is there and names a service: a word of
    another topic, and no place or topic that makes it a question of its own."""
    if intent.id not in _ABOUT_A_PLACE:
        return None
    norm = turn.norm
    there = _THERE.search(norm) is not None
    if not (there or _HAS.search(norm) or _AVAILABLE.search(norm)):
        return None
    if _OTHER_PLACES & set(norm.split()) or turn.understanding.topic_named(turn.text) - {intent.topic}:
        return None  # "posyandu di sekitar situ ada?", "bisa cek kesehatan gratis disitu?" ask of their own
    alone = turn.understanding.match(turn.text, turn.lang, limit=1)
    top = alone[0] if alone else None
    if top is None or top.score < LEANS_ELSEWHERE or same_topic(turn, top, intent.topic):
        return None  # "ada yang buka sabtu?" asks about the place itself: its own entries read it
    if top.score >= STANDS_ALONE:
        return None  # "ada posyandu lansia?", "bisa cek kesehatan gratis disitu?" are questions of their own
    if directory_names.find_area(turn.content.puskesmas, turn.text) is not None:
        return None  # "ada imunisasi di rumbai?" asks elsewhere
    return Resolved(f"{turn.text} {subject}".strip(), "service there", SERVICES, top.score)


def _of_place(word: str, place: str) -> bool:
    """Whether a normalised word is (part of) the place's name: "melur", "sail", "tampan" of "payung sekaki/tampan"."""
    return len(word) >= 3 and (word in re.findall(r"[a-z]+", place) or (len(word) >= 5 and word in place))
