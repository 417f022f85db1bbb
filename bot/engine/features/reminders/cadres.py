"""Staff role commands: /kader registers or removes a cadre, /idsaya shows a user their own id."""

from __future__ import annotations

from bot.engine.turn import Turn, reply
from bot.engine.types import Outcome
from bot.storage import roles
from bot.topics.areas import find_areas


async def manage_cadres(turn: Turn) -> Outcome:
    """/kader ID KODE_WILAYAH grants the cadre role; /kader hapus ID revokes it. Staff only."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None or not grant.is_staff:
        return turn.outcome("kader", reply(turn.t("Maaf, perintah ini hanya untuk petugas.")), answered=False)
    parts = turn.text.split()[1:]
    usage = turn.t(
        "Cara pakai:\n/kader ID_PENGGUNA KODE_WILAYAH (mis. /kader telegram:12345 14.71.01.1002)\n"
        "/kader hapus ID_PENGGUNA\nID pengguna bisa dilihat kader dengan perintah /idsaya."
    )
    if len(parts) == 2 and parts[0].lower() in {"hapus", "cabut"}:
        target = await roles.role_of(turn.db, parts[1])
        if target is not None and not grant.may_reach(target.area_code):  # another office's role
            return turn.outcome("kader", reply(turn.t("Maaf, peran itu milik kantor lain.")), answered=False)
        done = await roles.revoke(turn.db, parts[1])
        text = (
            turn.t("Peran {user} sudah dicabut.", user=parts[1])
            if done
            else turn.t("{user} tidak punya peran.", user=parts[1])
        )
        return turn.outcome("kader", reply(text))
    if len(parts) >= 2:  # the area may be a code or a name of several words ("Simpang Empat")
        office = turn.offices.get(grant.office) or turn.content  # staff of one office: its areas only
        found = find_areas(office, " ".join(parts[1:]))
        if len(found) != 1 or not grant.may_reach(found[0].code):
            return turn.outcome("kader", reply(turn.t("Kode wilayah tidak dikenal.") + "\n" + usage), answered=False)
        target = await roles.role_of(turn.db, parts[0])
        if target is not None and not grant.may_reach(target.area_code):  # never re-grant another office's role
            return turn.outcome("kader", reply(turn.t("Maaf, peran itu milik kantor lain.")), answered=False)
        await roles.grant(turn.db, parts[0], roles.CADRE, found[0].code, granted_by=turn.inbound.user_key)
        text = turn.t("{user} sekarang kader untuk {area}.", user=parts[0], area=found[0].name)
        return turn.outcome("kader", reply(text))
    return turn.outcome("kader", reply(usage), answered=False)


async def my_id(turn: Turn) -> Outcome:
    """/idsaya: the user's own id, to give to staff who register cadres."""
    return turn.outcome("kader", reply(turn.t("ID Anda: {user}", user=turn.inbound.user_key)))
