"""Sending through the WhatsApp Cloud API (Graph API), with the 24-hour window and opt-in enforced.

`WhatsAppSender` is the channel's Sender for the reminder/broadcast worker and for answers
to webhooks. Free text goes out only while the user's window is open; outside it only an
approved template from content, and only to a subscriber who opted in. Graph errors become
a SendResult the worker acts on: 131047 outside window, 130429 wait, 131026 blocked, 5xx retry.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import aiohttp

from bot.channels.http_post import Poster
from bot.channels.whatsapp import wire
from bot.config import Settings
from bot.delivery import Recipients, Sender, SendResult
from bot.engine.types import Reply
from bot.i18n import translations
from bot.knowledge.content import Content
from bot.storage import whatsapp_window
from bot.storage.db import Database

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://graph.facebook.com/v21.0"
TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)

RE_ENGAGEMENT = 131047  # more than 24 hours since the user last wrote
RATE_LIMITED = 130429  # the number's throughput limit
PAIR_RATE_LIMITED = 131056  # too many messages to the same user in a short time
UNDELIVERABLE = 131026  # not on WhatsApp, old client, or blocked us
SERVICE_ERRORS = {1, 2, 131000, 131016}  # Meta's own temporary failures
RATE_LIMIT_WAIT = 10.0  # Meta sends no Retry-After: back off this long unless told otherwise
PAIR_RATE_LIMIT_WAIT = 60.0
MAX_RETRY_WAIT = 30.0  # an answer waiting longer than this is better left to the user's next message

OUTSIDE_WINDOW = "outside the 24-hour window: only an approved template may be sent"
NOT_OPTED_IN = "not an active subscriber: templates go only to users who opted in"


@dataclass(frozen=True, slots=True)
class GraphConfig:
    base_url: str
    token: str
    phone_number_id: str

    @property
    def messages_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/{self.phone_number_id}/messages"


@lru_cache(maxsize=16)
def labels_for(lang: str) -> wire.Labels:
    """The transport's own words (list button, prompt) in the user's language."""
    t = translations(lang).gettext
    return wire.Labels(choose=t("Pilih"), section=t("Pilihan"), more=t("Atau pilih:"))


class WhatsAppSender:
    """The Sender of the WhatsApp channel (bot.delivery protocol)."""

    channel = wire.CHANNEL

    def __init__(
        self,
        config: GraphConfig,
        db: Database,
        content: Callable[[], Content],
        recipients: Recipients,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        """`session`: POST over this aiohttp session (its owner closes it); without one, over a lean client of
        this sender's own (channels/http_post.py: a third of aiohttp's CPU a message)."""
        self.config, self.db, self.content, self.recipients = config, db, content, recipients
        self._session = session
        self._own_session = session is None
        self._poster = Poster(connect_timeout=TIMEOUT.connect or 5.0, read_timeout=TIMEOUT.total or 15.0)
        self._authorization = (("Authorization", f"Bearer {config.token}"),)

    async def send(self, user_key: str, reply: Reply) -> SendResult:
        """Send a reply while the user's window is open; outside it nothing is sent (use a template)."""
        try:
            wire.wa_id_of(user_key)
        except ValueError as exc:
            return SendResult(ok=False, error=str(exc))
        if not await whatsapp_window.window_open(self.db, user_key):
            return SendResult(ok=False, error=OUTSIDE_WINDOW)
        return await self.deliver(user_key, reply)

    async def deliver(self, user_key: str, reply: Reply, lang: str | None = None, retries: int = 0) -> SendResult:
        """Send a reply without checking the window: for answers to a message that just arrived.

        With `retries`, a message refused for a moment (5xx, short rate limit) is tried again, so
        a reply split into several messages never repeats the parts that already went out.
        """
        result = SendResult(ok=True)
        for body in await self.messages(user_key, reply, lang):
            result = await self._post_retrying(body, retries)
            if not result.ok:
                if result.error.startswith(str(RE_ENGAGEMENT)):
                    await whatsapp_window.close(self.db, user_key)
                return result
        return result

    async def messages(self, user_key: str, reply: Reply, lang: str | None = None) -> list[dict[str, Any]]:
        """The Graph API messages of one reply, labelled in the user's language."""
        labels = wire.INDONESIAN
        if wire.needs_labels(reply):
            if lang is None:
                lang = await self.recipients.language(user_key)
            labels = labels_for(lang)
        return wire.render(wire.wa_id_of(user_key), reply, labels)

    async def _post_retrying(self, body: dict[str, Any], retries: int) -> SendResult:
        for attempt in range(retries + 1):
            result = await self.post(body)
            wait = result.retry_after if result.retry_after is not None else (1.0 if result.transient else None)
            if result.ok or wait is None or wait > MAX_RETRY_WAIT or attempt == retries:
                return result
            await asyncio.sleep(wait * (attempt + 1))
        return result  # pragma: no cover - the loop always returns

    async def send_template(self, user_key: str, template: str, params: list[str], lang: str) -> SendResult:
        """Send an approved template from content, only to a subscriber who opted in."""
        try:
            to = wire.wa_id_of(user_key)
        except ValueError as exc:
            return SendResult(ok=False, error=str(exc))
        found = self.content().whatsapp_templates.get(template)
        if found is None:
            return SendResult(ok=False, error=f"template '{template}' is not in content/whatsapp_templates.yaml")
        if len(params) != len(found.parameters):
            return SendResult(
                ok=False, error=f"template '{found.key}' takes {len(found.parameters)} parameter(s), got {len(params)}"
            )
        if not await self.recipients.opted_in(user_key):
            return SendResult(ok=False, error=NOT_OPTED_IN)
        # WhatsApp refuses parameters with new lines, tabs or more than four spaces in a row.
        clean = [" ".join(str(p).split()) or "-" for p in params]
        return await self.post(wire.template_message(to, found.name, found.language_for(lang), clean))

    async def post(self, body: dict[str, Any]) -> SendResult:
        """POST one message to the Graph API and translate the answer into a SendResult."""
        if self._session is None:
            try:
                reply = await self._poster.post(
                    self.config.messages_url, json.dumps(body).encode(), self._authorization
                )
            except OSError as exc:  # TimeoutError, PostFailed: no answer
                return SendResult(ok=False, transient=True, error=f"network: {type(exc).__name__}: {exc}")
            if 200 <= reply.status < 300:
                return SendResult(ok=True)
            return _failure(reply.status, reply.body, reply.headers.get("retry-after"))
        headers = {"Authorization": f"Bearer {self.config.token}"}
        try:
            async with self.session.post(self.config.messages_url, json=body, headers=headers) as response:
                raw = await response.read()
                status, retry_header = response.status, response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return SendResult(ok=False, transient=True, error=f"network: {type(exc).__name__}: {exc}")
        if 200 <= status < 300:
            return SendResult(ok=True)
        return _failure(status, raw, retry_header)

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
            self._own_session = True
        return self._session

    async def close(self) -> None:
        await self._poster.close()
        if self._own_session and self._session is not None and not self._session.closed:
            await self._session.close()


def _failure(status: int, raw: bytes, retry_header: str | None) -> SendResult:
    error: dict[str, Any] = {}
    try:
        decoded = json.loads(raw)
        if isinstance(decoded, dict) and isinstance(decoded.get("error"), dict):
            error = decoded["error"]
    except ValueError:
        pass
    code = error.get("code") if isinstance(error.get("code"), int) else None
    details = error.get("error_data", {}).get("details") if isinstance(error.get("error_data"), dict) else None
    text = f"{code or status} {error.get('message') or ''} {details or ''}".strip()[:300]
    wait = _seconds(retry_header)
    if code == RE_ENGAGEMENT:
        return SendResult(ok=False, error=text)
    if code == RATE_LIMITED or status == 429:
        return SendResult(ok=False, retry_after=wait or RATE_LIMIT_WAIT, error=text)
    if code == PAIR_RATE_LIMITED:
        return SendResult(ok=False, retry_after=wait or PAIR_RATE_LIMIT_WAIT, error=text)
    if code == UNDELIVERABLE:
        return SendResult(ok=False, blocked=True, error=text)
    if status >= 500 or code in SERVICE_ERRORS:
        return SendResult(ok=False, transient=True, retry_after=wait, error=text)
    log.warning("WhatsApp refused a message: HTTP %s %s", status, text)
    return SendResult(ok=False, error=text)


def _seconds(header: str | None) -> float | None:
    try:
        value = float(header) if header else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 3600 else None


def graph_config(settings: Settings) -> GraphConfig | None:
    """The Graph API settings, or None when WhatsApp is not configured."""
    if not (settings.whatsapp_access_token and settings.whatsapp_phone_number_id):
        return None
    return GraphConfig(
        base_url=settings.whatsapp_api_base_url or DEFAULT_BASE_URL,
        token=settings.whatsapp_access_token,
        phone_number_id=settings.whatsapp_phone_number_id,
    )


def make_sender(
    settings: Settings,
    db: Database,
    content: Callable[[], Content],
    recipients: Recipients,
    session: aiohttp.ClientSession | None = None,
) -> WhatsAppSender | None:
    """The WhatsApp sender for the worker (None when WhatsApp is off); close() it when done."""
    config = graph_config(settings)
    return WhatsAppSender(config, db, content, recipients, session) if config else None


if TYPE_CHECKING:  # mypy: the WhatsApp sender is a Sender the worker can use

    def _is_a_sender(sender: WhatsAppSender) -> Sender:
        return sender


__all__ = ["NOT_OPTED_IN", "OUTSIDE_WINDOW", "WhatsAppSender", "make_sender"]
