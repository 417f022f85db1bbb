"""Nearest puskesmas: from a shared location, a typed kecamatan/kelurahan or a name; hospitals with an IGD.

Flow "puskesmas", step "where": the bot asked for a location; a typed area or name answers it too.
- questions.py: the entry points (intents, commands, the step, a shared location, emergency lines);
- answers.py: nearest to a point, serving an area, matching a name;
- wording.py: how a puskesmas or hospital is written out; memory.py: where the user is, kept between turns.
"""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.features.puskesmas.answers import FLOW
from bot.engine.features.puskesmas.questions import (
    ask_location,
    by_area,
    by_name,
    emergency_lines,
    hospitals,
    hours,
    on_flow,
    on_location,
)

FEATURE = Feature(
    name="puskesmas",
    handlers={
        "puskesmas.ask_location": ask_location,
        "puskesmas.area": by_area,
        "puskesmas.find": by_name,
        "puskesmas.hours": hours,
        "puskesmas.hospitals": hospitals,
    },
    flow=FLOW,
    on_flow=on_flow,
    on_location=on_location,
    commands={"/puskesmas": ask_location, "/rumahsakit": hospitals, "/hospitals": hospitals},
    emergency_lines=emergency_lines,
    requires_intents=("rumah_sakit",),
)

__all__ = ["FEATURE", "emergency_lines"]
