"""Every feature the dialogue routes to. Order matters only for emergency lines."""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.features import (
    erase,
    feedback,
    handover,
    health_info,
    immunization,
    language,
    puskesmas,
    reminders,
    uhc,
)

FEATURES: tuple[Feature, ...] = (
    health_info.FEATURE,
    immunization.FEATURE,
    puskesmas.FEATURE,
    uhc.FEATURE,
    reminders.FEATURE,
    language.FEATURE,
    feedback.FEATURE,
    erase.FEATURE,
    handover.FEATURE,
)
