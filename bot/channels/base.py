"""What every outbound channel offers the reminder and broadcast worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.engine.types import Reply


@dataclass(frozen=True, slots=True)
class SendResult:
    """How one send went: the worker retries, waits, or gives up on the recipient by this."""

    ok: bool
    retry_after: float | None = None  # the platform asked us to wait (429) this many seconds
    blocked: bool = False  # the user blocked the bot / cannot be reached: mark inactive, never retry
    transient: bool = False  # 5xx, timeout, network: retry later with backoff
    error: str = ""


class Sender(Protocol):
    channel: str

    async def send(self, user_key: str, reply: Reply) -> SendResult:
        """Send one reply to one user of this channel."""
        ...

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> SendResult:
        """Send an approved template (WhatsApp outside the 24-hour window); others send plain text."""
        ...
