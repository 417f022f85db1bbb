"""Placeholder for the puskesmas feature: answers honestly that this part is not ready yet."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.turn import Turn, reply
from bot.engine.types import Outcome


async def not_ready(turn: Turn) -> Outcome:
    """Say plainly that this topic is still being prepared."""
    return turn.outcome(
        "puskesmas",
        reply(turn.t("Maaf, bagian ini masih kami siapkan. Silakan ketik menu untuk topik lain.")),
        answered=False,
    )


FEATURE = Feature(name="puskesmas", handlers={"puskesmas.ask_location": not_ready}, commands={"/puskesmas": not_ready})
