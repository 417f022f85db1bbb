"""/hapusdata: a user erases everything the bot keeps about them, after saying yes once more.

The feature only asks and confirms; the erasing itself happens in the service after the
turn (the dialogue saves the user's state at the end of a turn, so erasing here would be undone).
"""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome

PREFIX = "hapus"
ASKED = "erase.ask"
ERASED = "erase.done"  # the service erases the user's data when a turn ends with this intent
KEPT = "erase.cancel"


async def ask(turn: Turn) -> Outcome:
    text = turn.t(
        "Hapus semua data Anda di TanyaSehat: riwayat percakapan, pertanyaan yang tercatat, "
        "pengingat dan langganan?\n\nData yang sudah dihapus tidak bisa dikembalikan. Jawab ya atau tidak."
    )
    buttons = [Button(f"{PREFIX}:ya", turn.t("Ya")), Button(f"{PREFIX}:batal", turn.t("Tidak"))]
    return turn.outcome(ASKED, reply(text, buttons))


async def on_payload(turn: Turn) -> Outcome:
    if turn.inbound.payload == f"{PREFIX}:ya":
        if turn.state.last_intent != ASKED:
            return await ask(turn)  # a "Ya" from an old message: ask again rather than erase on a stale tap
        turn.state.leave()
        text = turn.t(
            "Data Anda sudah kami hapus. Pengingat dan langganan juga berhenti. "
            "Anda tetap bisa bertanya kapan saja: ketik menu."
        )
        return turn.outcome(ERASED, reply(text))
    return turn.outcome(KEPT, reply(turn.t("Baik, data Anda tidak dihapus."), [menu_button(turn)]))


FEATURE = Feature(
    name="erase",
    payload_prefix=PREFIX,
    on_payload=on_payload,
    commands={"/hapusdata": ask, "/deletedata": ask},
    not_answers=frozenset({ASKED, ERASED, KEPT}),
)
