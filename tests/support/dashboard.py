"""The dashboard as staff use it: logging in (with the form's CSRF token), its data, what a reader sees."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, tzinfo
from html import unescape

from aiohttp.test_utils import TestClient, TestServer

from bot.runtime import Runtime
from bot.storage.db import Database
from bot.storage.querylog import Feedback, QueryRow, write_batch
from bot.storage.staff import add_staff
from bot.web.server import build_app

PASSWORD = "rahasia-sekali-123"


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "form has no CSRF token"
    return found.group(1)


async def login(client: TestClient, password: str = PASSWORD, username: str = "petugas") -> int:
    page = await client.get("/dashboard/login")
    token = csrf(await page.text())
    resp = await client.post(
        "/dashboard/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    return resp.status


async def log_questions(
    db: Database, zone: tzinfo, rows: list[tuple[int, str, str, str, bool]], version: str = "t"
) -> None:
    """Query-log rows as the service writes them: (days ago, channel, text, intent, answered); answers rated 👍."""
    now = datetime.now(UTC)
    today = now.astimezone(zone).date()
    items: list[QueryRow | Feedback] = []
    for i, (days_ago, channel, text, intent, answered) in enumerate(rows):
        ref = uuid.uuid4().hex
        items.append(
            QueryRow(
                ref=ref, at=now - timedelta(days=days_ago), day=today - timedelta(days=days_ago), channel=channel,
                user_pseudonym=f"p{i}", text=text, intent=intent, confidence=0.9 if answered else 0.1,
                answered=answered, response_ms=40 + i, content_version=version, feedback_asked=answered,
            )
        )  # fmt: skip
        if answered:
            items.append(Feedback(ref=ref, user_pseudonym=f"p{i}", helpful=True))
    await write_batch(db, items)


def visible_text(html: str) -> str:
    """What a reader sees: no tags, scripts, styles or folded-away <details>."""
    html = re.sub(r"(?s)<(script|style|details|template)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"(?s)<[^>]+>", " ", html)).split())


@contextlib.asynccontextmanager
async def logged_in(service: Runtime) -> AsyncIterator[TestClient]:
    """The dashboard started after the data is in (its report is built at start), an officer logged in."""
    await service.querylog.writer.flush()
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as c:
        assert await login(c) == 302
        yield c


async def page(client: TestClient, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200, (path, response.status)
    return await response.text()
