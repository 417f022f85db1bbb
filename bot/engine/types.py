"""The two types that cross the channel line: what a user did, and what the bot answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.knowledge.geo import Point

Location = Point  # a location a user shares is a Point, the same type the puskesmas topic measures from


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a user did: typed a text, shared a location, pressed a button, or sent something else."""

    user_key: str  # channel-qualified and stable, e.g. "telegram:12345"; never shown or logged raw
    channel: str  # "telegram" | "whatsapp" | "console"
    text: str | None = None
    location: Location | None = None
    payload: str | None = None  # the payload of the pressed button
    unsupported: str | None = None  # kind of a message we cannot read (photo, voice, sticker...)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    language_hint: str | None = None  # e.g. Telegram's language_code, a first guess only
    message_id: str | None = None
    office: str = ""  # the office it is addressed to, when the channel knows (a region code); "" = the resident's


@dataclass(frozen=True, slots=True)
class Button:
    payload: str
    label: str


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    location_request: bool = False


# What an outcome is (Outcome.kind); bot/engine/answers.py says which intents are which.
ANSWER = "answer"  # a resident's question answered: a topic in the report, may be followed by "was this helpful?"
SERVICE = "service"  # the bot's own replies, settings, staff commands, confirmations: none of that


@dataclass(frozen=True, slots=True)
class Rating:
    """A 👍/👎 the user gave an earlier answer, named by that answer's reference."""

    ref: str
    helpful: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine decided for one inbound: the replies plus what the query log needs."""

    intent: str
    replies: tuple[Reply, ...]
    confidence: float = 1.0
    answered: bool = True
    kind: str = ""  # ANSWER or SERVICE; "" until the dialogue classifies it by its intent
    feedback_ref: str | None = None  # set when the replies ask "was this helpful?": the turn's log reference
    rating: Rating | None = None  # the feedback this turn gave an earlier answer
