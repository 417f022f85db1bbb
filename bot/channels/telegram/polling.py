"""Long polling (`python -m bot poll`, development and small offices): getUpdates in a loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import Conflict, RetryAfter, TelegramError

from bot.channels.telegram.channel import ALLOWED_UPDATES, TelegramChannel
from bot.channels.telegram.parse import CHANNEL
from bot.channels.telegram.send import POLL_TIMEOUT, retry_seconds
from bot.storage.dedupe import first_time

log = logging.getLogger(__name__)


async def run_polling(channel: TelegramChannel, stop: asyncio.Event, poll_seconds: float = POLL_TIMEOUT) -> None:
    """Long polling: getUpdates in a loop, each update processed like a webhook one (deduped too)."""
    await channel.start()
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
        backoff = 1.0
        for update in updates:
            offset = update.update_id + 1
            try:
                fresh = await first_time(channel.db, CHANNEL, str(update.update_id))
            except (SQLAlchemyError, OSError):
                log.exception("update dedupe failed: processing anyway")
                fresh = True
            if fresh:
                channel.spawn(update)
    await channel.close()


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
