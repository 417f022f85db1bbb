"""WhatsApp webhook routes: Meta's webhook in, the engine's replies out (wire format in wire.py, sending in api.py).

`GET /whatsapp/webhook` answers Meta's verification handshake. `POST /whatsapp/webhook`
checks the X-Hub-Signature-256 HMAC of the raw body before reading anything, answers 200
at once and handles the body in a background task: each message id once, the user's
24-hour window recorded, the engine's replies sent; delivery statuses are only recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Callable

from aiohttp import web

from bot.channels.whatsapp import wire
from bot.channels.whatsapp.api import RE_ENGAGEMENT, WhatsAppSender, graph_config
from bot.config import Settings
from bot.delivery import Handle, Recipients
from bot.engine.types import Inbound
from bot.knowledge.content import Content
from bot.privacy import pseudonym
from bot.storage import dedupe, whatsapp_status, whatsapp_window
from bot.storage.db import Database

log = logging.getLogger(__name__)

PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Answers worked on at once. More only queue up inside the database (SQLite has one writer,
# and its busy wait sleeps) and slow down the 200s Meta is waiting for; fewer leave a core idle.
CONCURRENT_ANSWERS = 8
ANSWER_RETRIES = 2  # an answer to a resident is worth a short retry; the worker retries its own sends


class WhatsAppWebhook:
    """The two webhook routes and the background work they start."""

    def __init__(
        self,
        handle: Handle,
        db: Database,
        sender: WhatsAppSender,
        app_secret: str,
        verify_token: str,
        pseudonym_secret: bytes,
    ) -> None:
        self.handle, self.db, self.sender = handle, db, sender
        self._secret = app_secret.encode()
        self._verify_token = verify_token
        self._pseudonym_secret = pseudonym_secret
        self._phone_number_id = sender.config.phone_number_id
        self._tasks: set[asyncio.Task[None]] = set()
        self._working = asyncio.Semaphore(CONCURRENT_ANSWERS)
        self.windows = whatsapp_window.WindowWriter(db)

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo hub.challenge when hub.verify_token is ours."""
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), self._verify_token.encode()):
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("WhatsApp webhook verification refused (wrong mode or verify token)")
        return web.Response(status=403, text="verification failed")

    async def receive(self, request: web.Request) -> web.Response:
        """Signature first (401), then JSON (400), then 200 at once; the work runs in the background."""
        body = await request.read()
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
        if inbounds or statuses:
            task = asyncio.create_task(self.process(inbounds, statuses))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response(text="ok")

    def signed(self, body: bytes, header: str) -> bool:
        """X-Hub-Signature-256 is 'sha256=' + HMAC-SHA256(app secret, raw body) in hex."""
        if not header.startswith("sha256="):
            return False
        expected = hmac.new(self._secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), header[7:].strip().lower().encode())

    async def process(self, inbounds: list[Inbound], statuses: list[wire.StatusUpdate]) -> None:
        """Handle one webhook body: its messages in order, then its statuses."""
        for inbound in inbounds:
            try:
                async with self._working:
                    await self.answer(inbound)
            except Exception:  # one bad message must not stop the others or kill the task silently
                log.exception("WhatsApp message from %s failed", self._who(inbound.user_key))
        for status in statuses:
            try:
                await whatsapp_status.record_status(
                    self.db, status.message_id, status.status, status.user_key, status.at, status.error_code
                )
            except Exception:
                log.exception("recording a WhatsApp status failed")

    async def answer(self, inbound: Inbound) -> None:
        """One message: handled once, window recorded, the engine's replies sent."""
        db = self.db
        if inbound.message_id and not await dedupe.first_time(db, wire.CHANNEL, inbound.message_id):
            return  # Meta delivered it again: it was answered the first time
        self.windows.note(inbound.user_key, inbound.at)
        outcome = await self.handle(inbound)
        if not whatsapp_window.is_open(inbound.at) and not await whatsapp_window.window_open(db, inbound.user_key):
            # Delivered so late that the window already closed: free text is not allowed any more.
            log.warning("WhatsApp message from %s arrived after its 24-hour window", self._who(inbound.user_key))
            return
        for reply in outcome.replies:
            result = await self.sender.deliver(inbound.user_key, reply, retries=ANSWER_RETRIES)
            if not result.ok:
                if result.error.startswith(str(RE_ENGAGEMENT)):
                    self.windows.forget(inbound.user_key)  # the sender closed it in the database already
                log.warning("WhatsApp answer to %s not sent: %s", self._who(inbound.user_key), result.error)
                return

    def _who(self, user_key: str) -> str:
        return pseudonym(user_key, self._pseudonym_secret)

    async def drain(self) -> None:
        """Wait until every webhook accepted so far has been handled and its window written (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self.windows.close()

    async def on_shutdown(self, _app: web.Application) -> None:
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
    app.on_shutdown.append(hook.on_shutdown)
    app.on_cleanup.append(hook.on_cleanup)
    return hook
