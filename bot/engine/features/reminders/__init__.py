"""Reminders: subscriptions (/pengingat, berhenti), cadre broadcasts (/siaran, /siaranku), staff roles (/kader).

The "reminders" flow is declared below as a table: each step, what typed text does there
and which buttons ("rem:<action>:<argument>") it accepts.
"""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.features.reminders import broadcast, cadres, subscribe
from bot.engine.features.reminders.steps import AREA, BC_AREA, BC_CONFIRM, BC_TEXT, BC_TIME, FLOW
from bot.engine.flow import Flow, Step
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Outcome

REMINDERS = Flow(
    FLOW,
    steps={
        AREA: Step(subscribe.typed_area, {"area": subscribe.chosen_area}),
        BC_TEXT: Step(broadcast.typed_text),
        BC_AREA: Step(broadcast.typed_audience, {"aud": broadcast.chosen_audience}),
        BC_TIME: Step(broadcast.typed_time, {"now": broadcast.now}),
        BC_CONFIRM: Step(broadcast.typed_confirmation, {"send": broadcast.send}),
    },
    buttons={"abort": broadcast.abort, "cancel": broadcast.cancel},
)


async def on_payload(turn: Turn) -> Outcome:
    """A "rem:..." button: what the flow table says, or "no longer valid" for a button from an old message."""
    answer = await REMINDERS.on_button(turn)
    if answer is not None:
        return answer
    text = turn.t("Maaf, tombol itu sudah tidak berlaku.")
    return turn.outcome("siaran", reply(text, [menu_button(turn)]), answered=False)


FEATURE = Feature(
    name="reminders",
    not_answers=frozenset({"unsubscribe", "siaran", "kader"}),  # stopping, and the cadres' and staff's commands
    handlers={"reminders.menu": subscribe.start, "reminders.unsubscribe": subscribe.unsubscribe},
    payload_prefix="rem",
    on_payload=on_payload,
    flow=FLOW,
    on_flow=REMINDERS.on_text,
    commands={
        "/pengingat": subscribe.start,
        "/reminders": subscribe.start,
        "/berhenti": subscribe.unsubscribe,
        "/siaran": broadcast.broadcast_start,
        "/siaranku": broadcast.my_broadcasts,
        "/kader": cadres.manage_cadres,
        "/idsaya": cadres.my_id,
    },
)
