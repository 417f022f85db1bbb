"""The real WhatsApp webhook wired to the fake Graph API: settings, a signed-webhook driver, the app started."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.channels import whatsapp
from bot.config import Settings
from bot.runtime import Runtime
from bot.web.app import create_app
from tests.support import graph_api as meta
from tests.support.graph_api import FakeGraph, choices_of
from tests.support.settings import make_settings
from tests.support.telegram_harness import QUICK

SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
ANI = "6281234567890"


def wa_settings(tmp_path: Path, graph: FakeGraph, database_url: str | None = None) -> Settings:
    return dataclasses.replace(
        make_settings(tmp_path, database_url=database_url),
        whatsapp_access_token=graph.token,
        whatsapp_phone_number_id=graph.phone_number_id,
        whatsapp_app_secret=SECRET,
        whatsapp_verify_token=VERIFY,
        whatsapp_api_base_url=graph.base_url,
    )


class WhatsApp:
    """Plays Meta: posts signed webhooks, waits for the bot to finish, returns what it sent."""

    def __init__(self, client: TestClient, graph: FakeGraph, service: Runtime) -> None:
        self.client, self.graph, self.service = client, graph, service
        self.hook = client.app[whatsapp.WEBHOOK]  # type: ignore[index]
        self.hook.answers.timing = QUICK

    async def post(self, payload: Any, signature: str | None = "sign", raw: bytes | None = None) -> int:
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Hub-Signature-256"] = meta.sign(body, SECRET)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        response = await self.client.post(whatsapp.PATH, data=body, headers=headers)
        await self.hook.drain()
        return response.status

    async def send(self, *messages: dict[str, Any]) -> list[dict[str, Any]]:
        """Deliver messages in one webhook; the bot's messages to their senders that followed."""
        before = len(self.graph.accepted)
        assert await self.post(meta.webhook(messages)) == 200
        return self.graph.accepted[before:]

    async def say(self, wa_id: str, text: str) -> list[dict[str, Any]]:
        return await self.send(meta.text(wa_id, text))

    async def choose(self, wa_id: str, sent: dict[str, Any], index: int = 0) -> list[dict[str, Any]]:
        """Tap a reply button or a list row of a message the bot sent."""
        reply_id, title = choices_of(sent)[index]
        kind = sent["interactive"]["type"]
        make = meta.button_reply if kind == "button" else meta.list_reply
        return await self.send(make(wa_id, reply_id, title))


async def start_whatsapp(settings: Settings, graph: FakeGraph) -> tuple[TestClient, Runtime]:
    service = await Runtime.open(settings, watch_interval=None)
    app = create_app(service)
    whatsapp.install(app, settings, service.handle, service.db, service.content, service.recipients)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client, service
