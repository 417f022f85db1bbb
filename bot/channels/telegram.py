"""The Telegram channel: the webhook route, startup registration, and long polling for development.

Transport only. The route checks the secret, parses the JSON, remembers the update id,
answers 200 at once and hands the update to a background task, which turns it into an
Inbound for `handle` and sends the replies back. Modules:
telegram_parse (Update -> Inbound), telegram_render (Reply -> sendMessage),
telegram_send (Bot, Sender, blocked users).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any
from weakref import WeakValueDictionary

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot, BotCommand, Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram_parse import CHANNEL, Parsed, parse, user_key
from bot.channels.telegram_send import (
    POLL_TIMEOUT,
    TelegramSender,
    make_bot,
    make_sender,
    mark_blocked,
    retry_seconds,
)
from bot.config import Settings
from bot.delivery import Handle
from bot.engine.types import Reply
from bot.storage.db import Database
from bot.storage.dedupe import first_time

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
COMMANDS = (
    ("start", "Mulai dan tampilkan menu"),
    ("menu", "Menu utama"),
    ("imunisasi", "Jadwal dan info imunisasi anak"),
    ("puskesmas", "Cari puskesmas terdekat"),
    ("uhc", "Berobat gratis pakai KTP (JKN/UHC)"),
    ("pengingat", "Atur pengingat imunisasi"),
    ("berhenti", "Berhenti menerima pengingat"),
    ("bahasa", "Ganti bahasa / change language"),
    ("hapusdata", "Hapus data saya"),
    ("bantuan", "Cara memakai TanyaSehat"),
)
SEND_ATTEMPTS = 3  # an interactive answer is retried a little; the user is waiting
MAX_WAIT = 30.0  # never hold an answer longer than this for a 429
SHUTDOWN_GRACE = 20.0  # seconds to let answers in flight finish when the server stops
# Updates answered at the same time. More only makes them queue for the database (one SQLite
# writer) and stretches every user's wait (measured: bench/webhook_telegram.py); the rest wait
# their turn in arrival order.
MAX_IN_FLIGHT = 8
# Updates accepted but not yet answered. Beyond this the route answers 503 before recording the
# update, so Telegram keeps it and delivers it again later: a backlog waits in Telegram's durable
# queue rather than in this process's memory, where a crash would lose it.
MAX_BACKLOG = 1000


class TelegramChannel:
    """One bot: turns updates into `handle` calls and sends what the engine answered."""

    def __init__(
        self,
        handle: Handle,
        db: Database,
        bot: Bot,
        webhook_secret: str | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.handle, self.db, self.bot = handle, db, bot
        self.webhook_secret = webhook_secret
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self.max_backlog = MAX_BACKLOG
        self.sender = TelegramSender(bot, db)
        self.username: str | None = None
        self._asked_name_at = 0.0
        self._tasks: set[asyncio.Task[None]] = set()
        self._chat_locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    async def start(self) -> None:
        """Open the connection pool and learn the bot's username (for group mentions); never fatal."""
        self._asked_name_at = asyncio.get_running_loop().time()
        try:
            await self.bot.initialize()
            self.username = self.bot.username
        except InvalidToken:
            log.error("Telegram rejected TELEGRAM_BOT_TOKEN: the bot cannot send anything")
        except TelegramError as exc:
            log.error("Telegram is unreachable at startup (%s): answers will be tried anyway", exc)

    async def _learn_username(self) -> None:
        """Telegram was down at startup: ask again, at most once a minute, until it answers."""
        now = asyncio.get_running_loop().time()
        if self.username is not None or now - self._asked_name_at < 60:
            return
        self._asked_name_at = now
        with contextlib.suppress(TelegramError):
            self.username = (await self.bot.get_me()).username

    async def register(self, webhook_url: str | None, secret: str | None) -> None:
        """setWebhook with the secret, and setMyCommands; an unreachable API is logged, not fatal."""
        try:
            if webhook_url:
                await self.bot.set_webhook(webhook_url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES))
                log.info("Telegram webhook registered")
            else:
                log.warning("TELEGRAM_WEBHOOK_URL is not set: the webhook was not registered")
            await self.set_commands()
        except TelegramError as exc:
            log.error("could not register with Telegram: %s", exc)

    async def set_commands(self) -> None:
        await self.bot.set_my_commands([BotCommand(name, description) for name, description in COMMANDS])

    async def close(self) -> None:
        """Let answers in flight finish (bounded), then close the connection pool."""
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=SHUTDOWN_GRACE)
            if late:
                log.error("shutdown: %d Telegram answers were still being worked on and are dropped", len(late))
        with contextlib.suppress(TelegramError, RuntimeError):
            await self.bot.shutdown()

    @property
    def backlog(self) -> int:
        """Updates accepted and not yet answered."""
        return len(self._tasks)

    def spawn(self, update: dict[str, Any] | Update) -> None:
        """Process one update in the background; the task is kept so shutdown can wait for it."""
        task = asyncio.create_task(self.process(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every update handed over so far is answered (tests and benchmarks)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def process(self, raw: dict[str, Any] | Update) -> None:
        """Update -> Inbound -> handle -> replies sent. Errors are logged, never raised."""
        await self._learn_username()
        try:
            update = raw if isinstance(raw, Update) else Update.de_json(raw, self.bot)
            parsed = parse(update, self.username)
        except Exception:
            log.exception("unreadable Telegram update")
            return
        try:
            await self._act(parsed)
        except Exception:
            log.exception("failed to answer a Telegram update")

    async def _act(self, parsed: Parsed) -> None:
        if parsed.blocked and parsed.chat_id is not None:
            await mark_blocked(self.db, user_key(parsed.chat_id))
        # Stop the button's spinner at once, while the engine thinks.
        ack = asyncio.create_task(self._answer_callback(parsed.callback_query_id))
        try:
            inbound = parsed.inbound
            if inbound is None or parsed.chat_id is None:
                return
            lock = self._chat_locks.get(inbound.user_key)
            if lock is None:
                lock = self._chat_locks[inbound.user_key] = asyncio.Lock()
            # The chat's lock first: a chat's answers leave in the order its messages came.
            async with lock, self._in_flight:
                outcome = await self.handle(inbound)
                for reply in outcome.replies:
                    if not await self._deliver(inbound.user_key, reply):
                        break
        finally:
            await ack

    async def _answer_callback(self, query_id: str | None) -> None:
        if query_id is None:
            return
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as exc:  # too old (> 15 min) or a network blip: the answer still goes out
            log.info("answerCallbackQuery failed: %s", exc)

    async def _deliver(self, key: str, reply: Reply) -> bool:
        """Send one reply, waiting out a 429 and retrying a 5xx a little; False when the user is gone."""
        for attempt in range(SEND_ATTEMPTS):
            result = await self.sender.send(key, reply)
            if result.ok:
                return True
            if result.blocked:
                log.info("a Telegram user blocked the bot: marked inactive")
                return False
            if attempt + 1 == SEND_ATTEMPTS or not (result.retry_after is not None or result.transient):
                break
            await asyncio.sleep(min(result.retry_after or 0.5 * 2**attempt, MAX_WAIT))
        log.error("could not send a Telegram answer: %s", result.error)
        return False


def secret_ok(given: str | None, secret: str | None) -> bool:
    """Constant-time comparison; no configured secret means no request is trusted."""
    if not secret or given is None:
        return False
    return secrets.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode("utf-8"))


CHANNEL_KEY: web.AppKey[TelegramChannel] = web.AppKey("telegram_channel", TelegramChannel)


async def webhook(request: web.Request) -> web.Response:
    """POST /telegram/webhook: 401 wrong secret, 400 not an update, 503 busy or database down, else 200 at once."""
    channel = request.app[CHANNEL_KEY]
    if not secret_ok(request.headers.get(SECRET_HEADER), channel.webhook_secret):
        return web.Response(status=401, text="unauthorized")
    try:
        data = json.loads(await request.read())
    except (ValueError, RecursionError):
        return web.Response(status=400, text="body is not JSON")
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return web.Response(status=400, text="not a Telegram update")
    if channel.backlog >= channel.max_backlog:
        log.warning("Telegram backlog of %d updates: asking Telegram to deliver again later", channel.backlog)
        return web.Response(status=503, text="busy, try again")
    try:
        fresh = await first_time(channel.db, CHANNEL, str(update_id))
    except (SQLAlchemyError, OSError):
        log.exception("update dedupe failed: asking Telegram to deliver again later")
        return web.Response(status=503, text="try again")
    if fresh:
        channel.spawn(data)
    return web.Response(status=200)


def install(app: web.Application, settings: Settings, handle: Handle, db: Database, bot: Bot | None = None) -> None:
    """Add POST /telegram/webhook; on startup register the webhook and commands, on cleanup drain."""
    if not settings.telegram_webhook_secret:
        log.error("TELEGRAM_WEBHOOK_SECRET is not set: every webhook request will be refused")
    channel = TelegramChannel(handle, db, bot or make_bot(settings), settings.telegram_webhook_secret)
    app[CHANNEL_KEY] = channel
    app.router.add_post(WEBHOOK_PATH, webhook)

    async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
        await channel.start()
        await channel.register(settings.telegram_webhook_url, settings.telegram_webhook_secret)
        yield
        await channel.close()

    app.cleanup_ctx.append(lifecycle)


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


__all__ = ["TelegramChannel", "TelegramSender", "install", "make_sender", "run_polling", "webhook"]
