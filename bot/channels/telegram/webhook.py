"""POST /telegram/webhook: checks the secret, stores the update (deduped), answers 200 at once.

The update is then answered in a background task by the TelegramChannel (channel.py); if it
cannot be stored, Telegram gets 503 and delivers it again later;
on startup the webhook and the bot's commands are registered with Telegram.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot

from bot.channels.body import read_body
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.send import make_bot
from bot.config import Settings
from bot.delivery import Handle, Recipients
from bot.storage.db import Database

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


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
    body = await read_body(request)
    if isinstance(body, web.Response):
        return body
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return web.Response(status=400, text="body is not JSON")
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return web.Response(status=400, text="not a Telegram update")
    if channel.backlog >= channel.max_backlog:
        log.warning("Telegram backlog of %d updates: asking Telegram to deliver again later", channel.backlog)
        return web.Response(status=503, text="busy, try again")
    try:
        await channel.accept([data], body)  # stored (and deduped) before Telegram hears 200
    except (SQLAlchemyError, OSError):
        log.exception("could not store the update: asking Telegram to deliver again later")
        return web.Response(status=503, text="try again")
    return web.Response(status=200)


def install(
    app: web.Application,
    settings: Settings,
    handle: Handle,
    db: Database,
    recipients: Recipients,
    bot: Bot | None = None,
) -> None:
    """Add POST /telegram/webhook; on startup register the webhook and commands, on cleanup drain."""
    if not settings.telegram_webhook_secret:
        log.error("TELEGRAM_WEBHOOK_SECRET is not set: every webhook request will be refused")
    channel = TelegramChannel(
        handle, db, recipients, bot or make_bot(settings), settings.telegram_webhook_secret,
        pseudonym_secret=settings.pseudonym_secret(),
    )  # fmt: skip
    app[CHANNEL_KEY] = channel
    app.router.add_post(WEBHOOK_PATH, webhook)

    async def lifecycle(_app: web.Application) -> AsyncIterator[None]:
        await channel.start()
        await channel.register(settings.telegram_webhook_url, settings.telegram_webhook_secret)
        channel.answers.start()
        yield
        await channel.close()

    app.cleanup_ctx.append(lifecycle)
