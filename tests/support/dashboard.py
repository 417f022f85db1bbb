"""Logging in to the dashboard as staff, as a browser would (with the form's CSRF token)."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient

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
