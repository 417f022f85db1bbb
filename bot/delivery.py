"""What crosses the channel line besides Inbound/Reply: the `Handle` a channel calls for each
inbound message, and the `Sender` every outbound channel offers the reminder and broadcast worker.
A neutral module: the channels, the worker and the runtime import it, and it imports none of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.engine.types import Inbound, Outcome, Reply


class Handle(Protocol):
    """One inbound message in, what the engine answered out (BotService.handle)."""

    def __call__(self, inbound: Inbound, today: date | None = None) -> Awaitable[Outcome]: ...


@dataclass(frozen=True, slots=True)
class SendResult:
    """How one send went: the worker retries, waits, or gives up on the recipient by this."""

    ok: bool
    retry_after: float | None = None  # the platform asked us to wait (429) this many seconds
    blocked: bool = False  # the user blocked the bot / cannot be reached: mark inactive, never retry
    transient: bool = False  # 5xx, timeout, network: retry later with backoff
    error: str = ""


@dataclass(frozen=True, slots=True)
class Recipients:
    """What a channel asks or reports about a user. The runtime answers from storage, so a channel
    neither reads another part's tables nor decides what a block means."""

    language: Callable[[str], Awaitable[str]]  # the user's language, for the transport's own words
    opted_in: Callable[[str], Awaitable[bool]]  # an active subscriber: templates may go to them
    blocked: Callable[[str], Awaitable[None]]  # the user blocked the bot or left: stop what we start


class Sender(Protocol):
    channel: str

    async def send(self, user_key: str, reply: Reply) -> SendResult:
        """Send one reply to one user of this channel."""
        ...

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> SendResult:
        """Send an approved template (WhatsApp outside the 24-hour window); others send plain text."""
        ...
