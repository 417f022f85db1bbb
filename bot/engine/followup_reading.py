"""What a follow-up stands for, and the readings every follow-up rule shares (followup.py, followup_topic.py,
vaccine_thread.py): whether a message leans on the conversation, whether it tells or asks, which entry of the topic
in hand it asks for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.engine.turn import Turn
from bot.engine.understanding import Match

SIBLING = 0.25  # a follow-up that fits another entry of the topic in hand this well (alone)...
SAYS_SIBLING = 0.35  # the same for a message that is not elliptical
SIBLING_MARGIN = 0.1  # ...and this much better than the entry in hand asks for that entry
ALL_MATCHES = 12
MAX_WORDS = 9  # longer messages say what they are about themselves
ELLIPTICAL_WEIGHT = 1.5  # "pake bpjs?", "trus lewat apa aja" say too little of their own to leave the topic in hand
OWN_SUBJECT = 0.7  # a sibling a message fits this well alone is its own question ("hb0 nya kapan")
# Words by which a resident says what they want ("mau daftar uhc", "boleh minta rinciannya"), normalised: a
# statement with one asks something; without, it tells.
WANTS = re.compile(r"\b(?:mau|ingin|pengen|minta|butuh|cari|nak|want|need|please|tolong|mohon)\b")
PLACE_TOPIC = "puskesmas"  # the topic of places (puskesmas, hospitals): where something is done, not what
STANDS_ALONE = 0.75  # a message matching another topic this well is a new question, whatever the context
# Words that open a follow-up: "kalau yang kedua?", "terus lewat apa aja?"; the context is tried first.
FOLLOW = re.compile(
    r"^(yang|kalau|terus|lalu|lanjut|habis itu|setelah itu|bagaimana dengan|and|what about|how about"
    r"|the (?:closest|nearest|one|1)|which (?:one|1))\b"  # "the closest one to panam?" is "yang dekat panam?"
)
# "anak sekolah jg bisa?" after the free health check, "lansia pun boleh?", "open at night too?": a short message
# asking whether the answer in hand holds for another subject too. Of 56 such follow-ups in the tuning sets A-H,
# T-T3, 52 ask the topic in hand again (the others ask a neighbouring entry of the same thread).
ALSO = re.compile(r"\b(?:juga|pun|too|also)\b")
ALSO_WORDS = 6  # longer messages say what they ask themselves ("imunisasi campak juga gratis di rs swasta?")


def leans_on(norm: str) -> bool:
    """Whether a normalised message opens as a follow-up ("kalau yang kedua?") or asks the same again of another
    subject in a few words ("anak sekolah juga bisa?")."""
    return FOLLOW.match(norm) is not None or (len(norm.split()) <= ALSO_WORDS and ALSO.search(norm) is not None)


@dataclass(frozen=True, slots=True)
class Resolved:
    text: str  # the standalone question the follow-up stands for
    why: str  # which rule read it (for logs and tests)
    intent: str = ""  # the entry that answers it, when the context decides; "" when the text is matched afresh
    score: float = 0.0  # how well the message alone fits that entry (for the query log)


def same_topic(turn: Turn, match: Match | None, topic: object) -> bool:
    if match is None or not topic:
        return False
    intent = turn.content.intents.get(match.intent_id)
    return intent is not None and intent.topic == topic


def elliptical(turn: Turn, text: str) -> bool:
    """Whether a message leans on the conversation: no topic word of its own, and little weight in its words."""
    return not turn.understanding.topic_named(text) and turn.understanding.weight(text) <= ELLIPTICAL_WEIGHT


def stands_alone(turn: Turn, text: str, top: Match | None) -> bool:
    """Whether a message's best entry is a whole question of its own, whatever the context: "cara daftar bpjs
    gratis" fits it well and says more than a follow-up; "puskesmas terdekat" says all the entry asks, though
    its two words weigh little; "kalau kelas 6?" opens as a follow-up does."""
    if top is None or top.score < STANDS_ALONE:
        return False
    if not elliptical(turn, text):
        return True
    return turn.understanding.says_all(text, top.score) and not leans_on(turn.understanding.normalize(text))


def tells(turn: Turn, text: str) -> bool:
    """A statement, not a question: no question mark and no question word."""
    words = turn.understanding.question_words  # content/language.yaml
    return "?" not in text and not any(w in words for w in turn.norm.split())


def clear_sibling(turn: Turn, ctx: dict[str, Any], text: str, floor: float) -> Match | None:
    """Another entry of the topic in hand that the message alone asks for clearly ("kalau udah lewat dari umur
    itu gimana?" after a vaccine asks the catch-up entry), or None."""
    alone = turn.understanding.match(text, turn.lang, limit=ALL_MATCHES)
    inside = [m for m in alone if same_topic(turn, m, ctx.get("topic"))]
    itself = next((m.score for m in inside if m.intent_id == ctx.get("intent")), 0.0)
    best = inside[0] if inside else None
    if best is None or best.intent_id == ctx.get("intent") or best.score < max(floor, itself + SIBLING_MARGIN):
        return None
    return best


def programme_keys(turn: Turn, match: Match | None) -> frozenset[str]:
    """The keys of the name of the programme an entry belongs to ("puskesmas", "posyandu", "uhc"), when its topic
    is one programme (an entry of the topic's own name: its overview); empty otherwise."""
    intent = turn.content.intents.get(match.intent_id) if match is not None else None
    if intent is None or turn.content.intents.get(intent.topic) is None:
        return frozenset()
    return frozenset(turn.understanding.keys(intent.topic))


def programme_pointers(turn: Turn, match: Match | None, topic: object) -> list[str]:
    """The "-nya" words of a message that name the programme of `match` ("puskesmasnya"), not the `topic` in hand."""
    own = programme_keys(turn, match) - turn.understanding.keys(str(topic or ""))
    keys = turn.understanding.keys
    return [w for w in turn.norm.split() if w.endswith("nya") and keys(w) & own] if own else []
