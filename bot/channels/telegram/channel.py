"""One Telegram bot: each update becomes an Inbound for `handle`, and the engine's replies go back.

Both ways in use it: the webhook route (webhook.py) and long polling (polling.py).
Transport only; what to answer is decided by the engine behind `handle`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from weakref import WeakValueDictionary

from telegram import Bot, BotCommand, Update
from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram.parse import Parsed, parse, user_key
from bot.channels.telegram.send import TelegramSender
from bot.delivery import Handle, Recipients
from bot.engine.types import Reply
from bot.storage.db import Database

log = logging.getLogger(__name__)

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
        recipients: Recipients,
        bot: Bot,
        webhook_secret: str | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.handle, self.db, self.recipients, self.bot = handle, db, recipients, bot
        self.webhook_secret = webhook_secret
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self.max_backlog = MAX_BACKLOG
        self.sender = TelegramSender(bot, recipients.language)
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
            await self.recipients.blocked(user_key(parsed.chat_id))
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
                await self.recipients.blocked(key)
                return False
            if attempt + 1 == SEND_ATTEMPTS or not (result.retry_after is not None or result.transient):
                break
            await asyncio.sleep(min(result.retry_after or 0.5 * 2**attempt, MAX_WAIT))
        log.error("could not send a Telegram answer: %s", result.error)
        return False
