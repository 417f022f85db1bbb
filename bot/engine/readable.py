"""Input sanitising: whatever a channel let through, the engine gets well-typed values."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.engine.types import Inbound
from bot.privacy import Redacted, redact

MAX_TEXT = 4000  # longer messages are read up to here: enough for any real question


def readable(inbound: Inbound) -> Inbound:
    """Well-typed values, or the "cannot read this" answer (`unsupported`) when a value is of the wrong type."""
    fixes: dict[str, object] = {}
    if not isinstance(inbound.at, datetime) or inbound.at.tzinfo is None:
        fixes["at"] = datetime.now(UTC)
    if inbound.language_hint is not None and not isinstance(inbound.language_hint, str):
        fixes["language_hint"] = None
    loc = inbound.location
    # Numbers out of range are still a location (the location feature answers them kindly); other types are not.
    bad_location = loc is not None and not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (loc.lat, loc.lon)
    )
    bad_text = inbound.text is not None and not isinstance(inbound.text, str)
    bad_payload = inbound.payload is not None and not isinstance(inbound.payload, str)
    if bad_location or bad_text or bad_payload:
        fixes.update(text=None, payload=None, location=None, unsupported=inbound.unsupported or "unknown")
    return replace(inbound, **fixes) if fixes else inbound  # type: ignore[arg-type]


def readable_text(inbound: Inbound) -> Redacted:
    """The typed text, cut to MAX_TEXT, with NIKs and phone numbers redacted."""
    return redact((inbound.text or "")[:MAX_TEXT])
