"""One Telegram bot: each update becomes an Inbound for `handle`, and the engine's replies go back.

Both ways in use it: the webhook route (webhook.py) and long polling (polling.py).
Transport only; what to answer is decided by the engine behind `handle`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.channels.answering import AnswerPath, InHand, Timing
from bot.channels.telegram.commands import command_menu
from bot.channels.telegram.parse import CHANNEL, chat_id_of, chat_key_of, parse, user_key
from bot.channels.telegram.render import Outgoing
from bot.channels.telegram.send import TelegramSender
from bot.delivery import Handle, Recipients, SendResult
from bot.engine.types import Reply
from bot.i18n import DEFAULT_LANG, available_languages
from bot.privacy import pseudonym
from bot.storage.answer_outbox import Accepted
from bot.storage.db import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
# Updates accepted but not yet answered in this process. Beyond this the route answers 503 before
# recording the update, so Telegram keeps it and delivers it again later: a backlog waits in
# Telegram's durable queue rather than in this process's memory.
MAX_BACKLOG = 1000


class TelegramChannel:
    """One bot: turns updates into `handle` calls and sends what the engine answered (a Port of AnswerPath)."""

    channel = CHANNEL

    def __init__(
        self,
        handle: Handle,
        db: Database,
        recipients: Recipients,
        bot: Bot,
        webhook_secret: str | None = None,
        timing: Timing | None = None,
        pseudonym_secret: bytes | None = None,
    ) -> None:
        self.handle, self.db, self.recipients, self.bot = handle, db, recipients, bot
        self.webhook_secret = webhook_secret
        self.max_backlog = MAX_BACKLOG
        self.sender = TelegramSender(bot, recipients.language)
        self.username: str | None = None
        self._asked_name_at = 0.0
        # With the pseudonym secret the accept also reads the chat's conversation row (answer_outbox.accept).
        state_key = None if pseudonym_secret is None else functools.partial(pseudonym, secret=pseudonym_secret)
        self.answers = AnswerPath(db, self, timing, state_key=state_key)
        self._parsed: InHand[dict[str, Any]] = InHand()  # a fresh row's turn starts from the update read here

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
        """The command menu in Indonesian for everyone, and in each other language we have for its speakers."""
        await self.bot.set_my_commands(command_menu(DEFAULT_LANG))
        for lang in available_languages():
            if lang != DEFAULT_LANG:
                await self.bot.set_my_commands(command_menu(lang), language_code=lang)

    async def close(self) -> None:
        """Let answers in flight finish (bounded; the rest stay in the outbox), then close the pool."""
        await self.answers.close()
        with contextlib.suppress(TelegramError, RuntimeError):
            await self.bot.shutdown()

    @property
    def backlog(self) -> int:
        """Updates accepted and not yet answered."""
        return self.answers.backlog

    async def accept(self, updates: list[dict[str, Any]], raw: bytes | None = None) -> int:
        """Record updates in the answer outbox (raises if the database fails) and answer the new ones."""
        accepted = [Accepted(str(u["update_id"]), chat_key_of(u), _payload(u, raw)) for u in updates]
        for update, data in zip(accepted, updates, strict=True):
            self._parsed.keep(update.payload, data)
        try:
            return await self.answers.accept(accepted)
        except BaseException:
            for update in accepted:
                self._parsed.take(update.payload)
            raise

    async def drain(self) -> None:
        """Wait until every update handed over so far is answered (tests and benchmarks)."""
        await self.answers.drain()

    # ---- the Port of the answering path ----------------------------------------------------
    async def answer(self, payload: str) -> tuple[Reply, ...]:
        """Update -> Inbound -> handle; the side effects (blocked, the button's spinner) done here."""
        await self._learn_username()
        try:
            update = self._parsed.take(payload) or json.loads(payload)
            parsed = parse(update if isinstance(update, dict) else {}, self.username)
        except Exception:
            log.exception("unreadable Telegram update")
            return ()
        if parsed.blocked and parsed.chat_id is not None:
            await self.recipients.blocked(user_key(parsed.chat_id))
        # Stop the button's spinner at once, while the engine thinks (a typed message has no spinner: no task).
        query_id = parsed.callback_query_id
        ack = None if query_id is None else asyncio.create_task(self._answer_callback(query_id))
        try:
            inbound = parsed.inbound
            if inbound is None or parsed.chat_id is None:
                return ()
            return (await self.handle(inbound)).replies
        finally:
            if ack is not None:
                await ack

    async def render(self, chat: str, reply: Reply) -> list[Outgoing]:
        return await self.sender.outgoing(chat, reply)

    async def post(self, chat: str, message: Outgoing) -> SendResult:
        return await self.sender.send_one(chat_id_of(chat), message)

    async def gone(self, chat: str) -> None:
        log.info("a Telegram user blocked the bot: marked inactive")
        await self.recipients.blocked(chat)

    async def _answer_callback(self, query_id: str | None) -> None:
        if query_id is None:
            return
        result = await self.sender.answer_callback(query_id)
        if not result.ok:  # too old (> 15 min) or a network blip: the answer still goes out
            log.info("answerCallbackQuery failed: %s", result.error)


def _payload(update: dict[str, Any], raw: bytes | None) -> str:
    """The update as stored: the body Telegram sent when it is UTF-8, else the dict as ASCII JSON
    (a lone surrogate, which JSON can carry, is no text a database column can hold)."""
    if raw is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-8")
    return json.dumps(update)
