"""Sending to Telegram: the Bot, and the Sender for answers, reminders and broadcasts."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.aiohttp_request import AiohttpRequest
from bot.channels.telegram.parse import CHANNEL, chat_id_of
from bot.channels.telegram.render import LOCATION_LABEL, Outgoing, render
from bot.config import Settings
from bot.delivery import SendResult
from bot.engine.types import Reply
from bot.i18n import translations

log = logging.getLogger(__name__)

POOL_SIZE = 64  # concurrent requests to the Bot API (answers to many users at once)
POLL_TIMEOUT = 30  # seconds a getUpdates long poll may wait


def api_base_url(settings: Settings) -> str:
    """python-telegram-bot's base_url: Telegram's own, or TELEGRAM_API_BASE_URL ('http://host:port' or '.../bot')."""
    raw = settings.telegram_api_base_url
    if not raw:
        return "https://api.telegram.org/bot"
    raw = raw.rstrip("/")
    return raw if raw.endswith("/bot") or "{token}" in raw else f"{raw}/bot"


def make_bot(settings: Settings, pool_size: int = POOL_SIZE, poll_timeout: float = POLL_TIMEOUT) -> Bot:
    """A Bot for this settings' token and API server; getUpdates gets its own connection and timeout."""
    if not settings.telegram_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return Bot(
        settings.telegram_token,
        base_url=api_base_url(settings),
        request=HTTPXRequest(connection_pool_size=pool_size, read_timeout=10, pool_timeout=10),
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=poll_timeout + 10),
    )


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whichever type this PTB version hands out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """The Sender (bot.delivery) for Telegram: one reply to one chat, errors as a SendResult."""

    channel = CHANNEL

    def __init__(self, bot: Bot, language: Callable[[str], Awaitable[str]] | None = None) -> None:
        self.bot = bot
        self.language = language  # the user's language, for the location button's label
        # Over the runtime's aiohttp session a message goes out as one JSON POST (post_json), not
        # through Bot.send_message: the same request on the wire at half the CPU. Another request
        # class (PTB's httpx default, tests' own) keeps PTB's path.
        self._direct = bot.request if isinstance(bot.request, AiohttpRequest) else None

    async def start(self) -> None:
        """Open the connection pool; Telegram being down at startup is logged, and each send tries anyway."""
        try:
            await self.bot.initialize()
        except TelegramError as exc:
            log.error("Telegram is unreachable at startup (%s): reminders and broadcasts will be tried anyway", exc)

    async def send(self, user_key: str, reply: Reply) -> SendResult:
        """Every message of the reply, in order; stops at the first failure and says why."""
        try:
            chat_id = chat_id_of(user_key)
        except ValueError as exc:
            return SendResult(ok=False, error=str(exc))
        for outgoing in await self.outgoing(user_key, reply):
            result = await self.send_one(chat_id, outgoing)
            if not result.ok:
                return result  # a block is the caller's to record (the channel, or the worker's queue)
        return SendResult(ok=True)

    async def outgoing(self, user_key: str, reply: Reply) -> list[Outgoing]:
        """The sendMessage calls of one reply."""
        label = await self._location_label(user_key) if reply.location_request else LOCATION_LABEL
        return render(reply, label, as_json=self._direct is not None)  # the direct path posts JSON: no PTB objects

    async def _location_label(self, user_key: str) -> str:
        """The location button is the transport's own word: in the user's language when we know it."""
        if self.language is None:
            return LOCATION_LABEL
        lang = await self.language(user_key)
        return translations(lang).gettext("📍 Kirim lokasi saya")

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> SendResult:
        """Telegram has no templates: the worker's rendered parameters go out as plain text."""
        text = "\n\n".join(p for p in params if p.strip()) or template
        return await self.send(user_key, Reply(text))

    async def send_one(self, chat_id: int, outgoing: Outgoing) -> SendResult:
        if self._direct is not None:
            return await self._send_direct(self._direct, chat_id, outgoing)
        try:
            await self.bot.send_message(
                chat_id, outgoing.text, parse_mode=outgoing.parse_mode, reply_markup=outgoing.reply_markup
            )
        except RetryAfter as exc:
            return SendResult(ok=False, retry_after=retry_seconds(exc), error=str(exc))
        except Forbidden as exc:  # blocked, kicked from the group, or the user's account is gone
            return SendResult(ok=False, blocked=True, error=str(exc))
        except BadRequest as exc:
            blocked = "chat not found" in str(exc).lower()
            return SendResult(ok=False, blocked=blocked, error=str(exc))
        except InvalidToken as exc:
            return SendResult(ok=False, error=str(exc))
        except NetworkError as exc:  # timeouts, 5xx, connection refused: worth another try later
            return SendResult(ok=False, transient=True, error=str(exc))
        except TelegramError as exc:
            return SendResult(ok=False, transient=True, error=str(exc))
        return SendResult(ok=True)

    async def answer_callback(self, query_id: str) -> SendResult:
        """answerCallbackQuery: stops the pressed button's spinner. Over the runtime's session one JSON
        POST, like an answer (no PTB parameter objects, no reply parsed into PTB types)."""
        if self._direct is None:
            try:
                await self.bot.answer_callback_query(query_id)
            except TelegramError as exc:
                return SendResult(ok=False, error=str(exc))
            return SendResult(ok=True)
        try:
            status, answer = await self._direct.post_json(
                f"{self.bot.base_url}/answerCallbackQuery", {"callback_query_id": query_id}
            )
        except TelegramError as exc:
            return SendResult(ok=False, transient=True, error=str(exc))
        return outcome(status, answer)

    async def _send_direct(self, request: AiohttpRequest, chat_id: int, outgoing: Outgoing) -> SendResult:
        body: dict[str, object] = {"chat_id": chat_id, "text": outgoing.text, "parse_mode": outgoing.parse_mode}
        if outgoing.markup_json is not None:
            body["reply_markup"] = outgoing.markup_json
        elif outgoing.reply_markup is not None:
            body["reply_markup"] = outgoing.reply_markup.to_dict()
        try:
            status, answer = await request.post_json(f"{self.bot.base_url}/sendMessage", body)
        except TelegramError as exc:  # no answer (timeout, connection refused): worth another try later
            return SendResult(ok=False, transient=True, error=str(exc))
        return outcome(status, answer)


def outcome(status: int, answer: dict[str, object]) -> SendResult:
    """The Bot API's reply as a SendResult, read as PTB reads it (telegram/request/_baserequest.py)."""
    if status == 200 and answer.get("ok") is True:
        return SendResult(ok=True)
    description = str(answer.get("description") or f"HTTP {status}")
    parameters = answer.get("parameters")
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int | float):
        wait = float(parameters["retry_after"])
        return SendResult(ok=False, retry_after=wait, error=f"Flood control exceeded. Retry in {wait:g} seconds")
    if isinstance(parameters, dict) and "migrate_to_chat_id" in parameters:  # PTB's ChatMigrated
        return SendResult(ok=False, transient=True, error=description)
    if status == 403:  # blocked, kicked from the group, or the user's account is gone
        return SendResult(ok=False, blocked=True, error=description)
    if status == 400:
        return SendResult(ok=False, blocked="chat not found" in description.lower(), error=description)
    if status in (401, 404):  # the token (InvalidToken): trying again changes nothing
        return SendResult(ok=False, error=description)
    return SendResult(ok=False, transient=True, error=description)  # 5xx, 409, a migrated chat: later


def make_sender(settings: Settings, bot: Bot | None = None) -> TelegramSender:
    """The Telegram Sender for the reminder/broadcast worker (call `await sender.start()` first)."""
    return TelegramSender(bot or make_bot(settings))
