"""WhatsApp webhook routes: Meta's webhook in, the engine's replies out (wire format in wire.py, sending in api.py).

`GET /whatsapp/webhook` answers Meta's verification handshake. `POST /whatsapp/webhook`
checks the X-Hub-Signature-256 HMAC of the raw body before reading anything, stores each
message in the answer outbox (one statement, also the dedupe by message id) and only then
answers 200; a database error is a 503 and Meta delivers the body again. Each message is
answered in the background (bot/channels/answering.py): the user's 24-hour window recorded,
the engine's replies sent and retried. Delivery statuses are only recorded: a moment later, those
of many webhooks in one statement (storage/whatsapp_status.py's StatusWriter).
"""

from __future__ import annotations

import functools
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.answering import AnswerPath, InHand, Timing, dump_inbound, load_inbound
from bot.channels.body import read_body
from bot.channels.whatsapp import wire
from bot.channels.whatsapp.api import RE_ENGAGEMENT, WhatsAppSender, graph_config
from bot.config import Settings
from bot.delivery import Handle, Recipients, SendResult
from bot.engine.types import Inbound, Reply
from bot.knowledge.content import Content
from bot.privacy import pseudonym
from bot.storage import whatsapp_status, whatsapp_window
from bot.storage.answer_outbox import Accepted
from bot.storage.db import Database

log = logging.getLogger(__name__)

PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"


class WhatsAppWebhook:
    """The two webhook routes; the Port through which the answering path answers and sends."""

    channel = wire.CHANNEL

    def __init__(
        self,
        handle: Handle,
        db: Database,
        sender: WhatsAppSender,
        app_secret: str,
        verify_token: str,
        pseudonym_secret: bytes,
        timing: Timing | None = None,
    ) -> None:
        self.handle, self.db, self.sender = handle, db, sender
        self._secret = app_secret.encode()
        self._verify_token = verify_token
        self._pseudonym_secret = pseudonym_secret
        self._phone_number_id = sender.config.phone_number_id
        self.windows = whatsapp_window.WindowWriter(db)
        self.statuses = whatsapp_status.StatusWriter(db)  # delivery statuses are only recorded
        self.answers = AnswerPath(db, self, timing, state_key=functools.partial(pseudonym, secret=pseudonym_secret))
        self._parsed: InHand[Inbound] = InHand()  # a fresh row's turn starts from the message parsed here

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo hub.challenge when hub.verify_token is ours."""
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), self._verify_token.encode()):
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("WhatsApp webhook verification refused (wrong mode or verify token)")
        return web.Response(status=403, text="verification failed")

    async def receive(self, request: web.Request) -> web.Response:
        """Body (400), signature (401), JSON (400); messages stored before the 200 (503 if they cannot be)."""
        body = await read_body(request)
        if isinstance(body, web.Response):
            return body
        if not self.signed(body, request.headers.get(SIGNATURE_HEADER, "")):
            log.warning("WhatsApp webhook refused: missing or wrong %s", SIGNATURE_HEADER)
            return web.Response(status=401, text="bad signature")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # deeply nested JSON is just bad JSON
            return web.Response(status=400, text="body is not JSON")
        if not isinstance(data, dict):
            return web.Response(status=400, text="body is not a JSON object")
        inbounds, statuses = wire.parse_webhook(data, self._phone_number_id)
        if inbounds:
            accepted = [Accepted(str(i.message_id), i.user_key, dump_inbound(i)) for i in inbounds]
            for update, inbound in zip(accepted, inbounds, strict=True):
                self._parsed.keep(update.payload, inbound)
            try:
                await self.answers.accept(accepted)  # Meta never redelivers after a 200: store first
            except (SQLAlchemyError, OSError):
                for update in accepted:
                    self._parsed.take(update.payload)
                log.exception("could not store WhatsApp messages: asking Meta to deliver again later")
                return web.Response(status=503, text="try again")
        for status in statuses:  # recorded a moment later, with those of other webhooks (one statement)
            self.statuses.add(
                whatsapp_status.Status(status.message_id, status.status, status.user_key, status.at, status.error_code)
            )
        return web.Response(text="ok")

    def signed(self, body: bytes, header: str) -> bool:
        """X-Hub-Signature-256 is 'sha256=' + HMAC-SHA256(app secret, raw body) in hex."""
        if not header.startswith("sha256="):
            return False
        try:
            given = bytes.fromhex(header[7:].strip())
        except ValueError:
            return False
        return hmac.compare_digest(hmac.digest(self._secret, body, "sha256"), given)  # one-shot, in C

    # ---- the Port of the answering path ----------------------------------------------------
    async def answer(self, payload: str) -> tuple[Reply, ...]:
        """One stored message: its window recorded, the engine's replies (none once the window closed)."""
        inbound = self._parsed.take(payload) or load_inbound(payload)
        self.windows.note(inbound.user_key, inbound.at)
        outcome = await self.handle(inbound)
        if not whatsapp_window.is_open(inbound.at) and not await whatsapp_window.window_open(self.db, inbound.user_key):
            # Delivered so late that the window already closed: free text is not allowed any more.
            log.warning("WhatsApp message from %s arrived after its 24-hour window", self._who(inbound.user_key))
            return ()
        return outcome.replies

    async def render(self, chat: str, reply: Reply) -> list[dict[str, Any]]:
        return await self.sender.messages(chat, reply)

    async def post(self, chat: str, message: dict[str, Any]) -> SendResult:
        result = await self.sender.post(message)
        if not result.ok and result.error.startswith(str(RE_ENGAGEMENT)):
            await whatsapp_window.close(self.db, chat)
            self.windows.forget(chat)
        return result

    async def gone(self, chat: str) -> None:
        """Meta says the number cannot receive our messages (131026): nothing to record here."""
        log.info("WhatsApp answer to %s undeliverable", self._who(chat))

    def _who(self, user_key: str) -> str:
        return pseudonym(user_key, self._pseudonym_secret)

    async def drain(self) -> None:
        """Wait until every message accepted so far has been answered and its window written (tests)."""
        await self.answers.drain()
        await self.windows.close()
        await self.statuses.close()

    async def on_startup(self, _app: web.Application) -> None:
        self.answers.start()

    async def on_shutdown(self, _app: web.Application) -> None:
        await self.answers.close()  # bounded: what is not sent by then stays in the outbox
        await self.drain()

    async def on_cleanup(self, _app: web.Application) -> None:
        await self.drain()
        await self.sender.close()


WEBHOOK: web.AppKey[WhatsAppWebhook] = web.AppKey("whatsapp_webhook", WhatsAppWebhook)


def install(
    app: web.Application,
    settings: Settings,
    handle: Handle,
    db: Database,
    content: Callable[[], Content],
    recipients: Recipients,
    sender: WhatsAppSender | None = None,
) -> WhatsAppWebhook:
    """Add the WhatsApp webhook routes to the app; every WHATSAPP_* setting must be present."""
    config = graph_config(settings)
    missing = [
        name
        for name, value in (
            ("WHATSAPP_ACCESS_TOKEN", settings.whatsapp_access_token),
            ("WHATSAPP_PHONE_NUMBER_ID", settings.whatsapp_phone_number_id),
            ("WHATSAPP_APP_SECRET", settings.whatsapp_app_secret),
            ("WHATSAPP_VERIFY_TOKEN", settings.whatsapp_verify_token),
        )
        if not value
    ]
    if missing or config is None or not settings.whatsapp_app_secret or not settings.whatsapp_verify_token:
        raise ValueError(f"WhatsApp needs {', '.join(missing)}: the webhook cannot be verified without them")
    if sender is None:
        sender = WhatsAppSender(config, db, content, recipients)
    hook = WhatsAppWebhook(
        handle, db, sender, settings.whatsapp_app_secret, settings.whatsapp_verify_token, settings.pseudonym_secret()
    )
    app[WEBHOOK] = hook
    app.router.add_get(PATH, hook.verify)
    app.router.add_post(PATH, hook.receive)
    app.on_startup.append(hook.on_startup)
    app.on_shutdown.append(hook.on_shutdown)
    app.on_cleanup.append(hook.on_cleanup)
    return hook
