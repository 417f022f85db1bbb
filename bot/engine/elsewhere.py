"""A hospital or puskesmas asked for in another city ("rs di batam yang ada igd", "best hospital in jakarta", "hospital
kat melaka"): the office knows its own facilities only, so the question is declined rather than answered with them.

The other places are content (content/language.yaml `elsewhere`, staff can add). A name counts after a word of place
("di", "in", "kat", "near") and only when no office of the deployment names it, in a message that names no place of
the office ("Padang Bulan" and "Padang Terubuk" are Pekanbaru's; "sy lg di batam, rs terdekat di rumbai?" asks here).
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.engine import replies
from bot.engine.turn import Turn
from bot.engine.types import Outcome
from bot.knowledge.offices import place_key
from bot.topics import offices

_AT = r"(?:di|in|at|kat|dekat|near|around|sekitar|daerah|wilayah)\s+(?:(?:kota|kabupaten|kab|negara|city\s+of)\s+)?"


@lru_cache(maxsize=8)
def _pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)  # "johor bahru" before "johor"
    return re.compile(rf"\b{_AT}({'|'.join(re.escape(n) for n in ordered)})\b")


def named(turn: Turn) -> str | None:
    """The other place a message asks about, if it names one after a word of place and no office of ours is it."""
    pattern = _pattern(turn.content.language.elsewhere)
    if pattern is None:
        return None
    low = " ".join(re.findall(r"[a-z]+", turn.text.lower()))
    if pattern.search(low) is None:
        return None
    if offices.named(turn.offices, turn.text, anywhere=True):
        return None  # "rs di padang bulan", "sy lg di batam, rs terdekat di rumbai?": a place of ours is asked about
    directory = turn.content.puskesmas
    own = {place_key(re.sub(r"^(?:puskesmas|pkm)\s+", "", p.name.lower())) for p in directory.puskesmas}
    own.update(place_key(h.name) for h in directory.hospitals)  # "Puskesmas Duri" is Bengkalis's own Duri
    for found in pattern.finditer(low):
        name = found.group(1)
        if place_key(name) not in own and place_key(name) not in turn.offices.places:
            return name
    return None


def declined(turn: Turn) -> Outcome | None:
    """The fallback for a facility asked for in another city; None when the message names none."""
    return replies.fallback(turn) if named(turn) is not None else None
