"""Long polling (`python -m bot poll`, development and small offices): getUpdates in a loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import Conflict, RetryAfter, TelegramError

from bot.channels.telegram.channel import ALLOWED_UPDATES, TelegramChannel
from bot.channels.telegram.send import POLL_TIMEOUT, retry_seconds

log = logging.getLogger(__name__)


async def run_polling(channel: TelegramChannel, stop: asyncio.Event, poll_seconds: float = POLL_TIMEOUT) -> None:
    """Long polling: getUpdates in a loop, each update stored and answered like a webhook one."""
    await channel.start()
    channel.answers.start()
    try:
        await channel.bot.delete_webhook()
        await channel.set_commands()
    except TelegramError as exc:
        log.error("could not prepare polling: %s", exc)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        poll = asyncio.create_task(
            channel.bot.get_updates(offset=offset, timeout=int(poll_seconds), allowed_updates=list(ALLOWED_UPDATES))
        )
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if poll not in done:
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await poll
            break
        try:
            updates = poll.result()
        except RetryAfter as exc:
            await _sleep_or_stop(stop, retry_seconds(exc))
            continue
        except Conflict as exc:
            log.error("another process is polling or a webhook is set: %s", exc)
            await _sleep_or_stop(stop, 5)
            continue
        except TelegramError as exc:
            log.warning("getUpdates failed (%s): retrying in %.0f s", exc, backoff)
            await _sleep_or_stop(stop, backoff)
            backoff = min(backoff * 2, 60)
            continue
        if not updates:
            backoff = 1.0
            continue
        try:  # stored before the offset moves past them: Telegram keeps what we could not store
            await channel.accept([update.to_dict() for update in updates])
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not store %d updates (%s): asking again in %.0f s", len(updates), exc, backoff)
            await _sleep_or_stop(stop, backoff)
            backoff = min(backoff * 2, 60)
            continue
        backoff = 1.0
        offset = updates[-1].update_id + 1
    await channel.close()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
