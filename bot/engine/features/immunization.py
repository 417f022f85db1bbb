"""Placeholder for the immunization feature: answers honestly that this part is not ready yet."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.turn import Turn, reply
from bot.engine.types import Outcome


async def not_ready(turn: Turn) -> Outcome:
    """Say plainly that this topic is still being prepared."""
    return turn.outcome(
        "immunization",
        reply(turn.t("Maaf, bagian ini masih kami siapkan. Silakan ketik menu untuk topik lain.")),
        answered=False,
    )


FEATURE = Feature(name="immunization", handlers={"immunization.menu": not_ready}, commands={"/imunisasi": not_ready})
