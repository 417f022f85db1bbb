"""Which area did the user mean: one question with a button per candidate."""

from __future__ import annotations

from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.topics.areas import Area


def choose_area(turn: Turn, found: list[Area], action: str) -> Outcome:
    """'Yang mana?' with one button "rem:<action>:<code>" per area found, or "not known" when none."""
    if not found:
        text = turn.t("Maaf, kelurahan itu belum saya kenal. Coba ketik lagi namanya, atau ketik menu.")
        return turn.outcome("pengingat", reply(text, [menu_button(turn)]), answered=False)
    buttons = [Button(f"rem:{action}:{a.code}", f"{a.name} ({_level(turn, a.kind)})") for a in found]
    return turn.outcome("pengingat", reply(turn.t("Yang mana maksud Anda?"), buttons))


def _level(turn: Turn, level: str) -> str:
    return turn.t("kecamatan") if level == "kecamatan" else turn.t("kelurahan")
