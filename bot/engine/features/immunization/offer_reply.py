"""The parent's reply to the reminder offer: yes or no, and a child's nickname typed with the yes."""

from __future__ import annotations

import re

from bot.engine.turn import Turn

YES = {
    "ya",
    "iya",
    "y",
    "yes",
    "ok",
    "oke",
    "okay",
    "boleh",
    "mau",
    "setuju",
    "tentu",
    "sip",
    "baik",
    "siap",
    "ingatkan",
}
NO = {"tidak", "no", "jangan", "gausah", "skip", "nanti", "enggak", "tdk", "gak", "ga", "nggak"}
# Words around a yes that are not the child's nickname ("ya tolong ingatkan, namanya Budi").
_FILLER = {
    "ya", "iya", "y", "yes", "ok", "oke", "okay", "boleh", "mau", "setuju", "tentu", "sip", "baik", "siap",
    "ingatkan", "tolong", "dong", "kak", "min", "saya", "aku", "silakan", "please", "saja", "aja", "yuk",
    "nama", "namanya", "panggilan", "panggilannya", "nama panggilannya", "anak", "anaknya", "dia", "si",
    "terima", "kasih", "makasih", "untuk", "buat", "pengingat", "nya",
}  # fmt: skip
_NICKNAME = re.compile(r"^[^\W\d_]+(?:[ '\-][^\W\d_]+){0,2}$")
MAX_NICKNAME = 40


def yes_or_no(turn: Turn) -> bool | None:
    words = turn.norm.split()
    if not words:
        return None
    if words[0] in NO or " ".join(words[:2]) in {"tidak usah", "tidak mau", "tidak perlu", "ga usah"}:
        return False
    if words[0] in YES or (len(words) > 1 and words[0] in {"tolong", "boleh"} and words[1] in YES):
        return True
    return None


def nickname(turn: Turn) -> str | None:
    """The nickname typed with the yes ("ya, Adik Budi" -> "Adik Budi"), or None."""
    words = re.sub(r"[^\w\s'\-]", " ", turn.text).split()
    rest = [w for w in words if w.lower() not in _FILLER]
    candidate = " ".join(rest).strip()
    if not candidate or len(candidate) > MAX_NICKNAME or not _NICKNAME.match(candidate):
        return None
    return candidate
