"""The parent's reply to the reminder offer: yes or no, and a child's nickname typed with the yes."""

from __future__ import annotations

import re

from bot.engine.stemmer import roots, stem
from bot.engine.turn import Turn
from bot.topics.yes_no import yes_or_no as topic_yes_or_no

# A yes to the reminder offer beyond content/language.yaml's yes_words ("ingatkan" = "remind me").
REMIND_YES = ("ingatkan",)
# Words around a yes that are not the child's nickname ("ya tolong ingatkan, namanya Budi").
_FILLER = {
    "ingatkan", "tolong", "dong", "kak", "min", "saya", "aku", "silakan", "please", "saja", "aja", "yuk",
    "nama", "namanya", "panggilan", "panggilannya", "nama panggilannya", "anak", "anaknya", "dia", "si",
    "terima", "kasih", "makasih", "untuk", "buat", "pengingat", "nya",
}  # fmt: skip
_NAMED = frozenset({"nama", "namanya", "panggilan", "panggilannya", "dipanggil"})
_NICKNAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,2}$")
MAX_NICKNAME = 40


def yes_or_no(turn: Turn) -> bool | None:
    return topic_yes_or_no(turn.norm, turn.content.language, also_yes=REMIND_YES)


def nickname(turn: Turn) -> str | None:
    """The nickname typed with the yes ("ya, Adik Budi" -> "Adik Budi"), or None."""
    words = re.sub(r"[^\w\s'\-]", " ", turn.text).split()
    yes = turn.content.language.yes_words
    rest = [w for w in words if w.lower() not in _FILLER and w.lower() not in yes]
    if not _NAMED.intersection(w.lower() for w in words):
        # Without "namanya", a word of the language written in lower case is what the parent says, not a
        # name: "ok ditunggu ya" has no nickname; "ya, Adik Budi" (capitals) and "ya, Dinda" do.
        rest = [w for w in rest if w[:1].isupper() or stem(w.lower()) not in roots()]
    candidate = " ".join(rest).strip()
    if not candidate or len(candidate) > MAX_NICKNAME or not _NICKNAME.match(candidate):
        return None
    return candidate
