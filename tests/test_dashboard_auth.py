"""Dashboard security without a browser: sessions, CSRF, login rate limit, nobody else sees anything."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.runtime import Runtime
from bot.storage.staff import add_staff
from bot.web.server import build_app
from tests.support.dashboard import PASSWORD, csrf, login

PAGES = [
    "/dashboard/",
    "/dashboard/inbox",
    "/dashboard/broadcasts",
    "/dashboard/subscribers",
    "/dashboard/content",
    "/dashboard/try",
]


@pytest.fixture
async def client(service: Runtime) -> AsyncIterator[TestClient]:
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as c:
        yield c


async def test_every_page_refuses_a_visitor(client: TestClient) -> None:
    for page in PAGES:
        resp = await client.get(page, allow_redirects=False)
        assert resp.status == 302 and resp.headers["Location"] == "/dashboard/login", page
    resp = await client.post("/dashboard/try", data={"question": "halo"}, allow_redirects=False)
    assert resp.status == 403


async def test_login_then_pages_then_logout(client: TestClient) -> None:
    assert await login(client) == 302
    resp = await client.get("/dashboard/content")
    assert resp.status == 200
    html = await resp.text()
    assert "Kesehatan konten" in html
    token = csrf(html)
    answer = await client.post("/dashboard/try", data={"question": "halo", "csrf_token": token})
    assert 'id="intent">greeting<' in await answer.text()
    out = await client.post("/dashboard/logout", data={"csrf_token": token}, allow_redirects=False)
    assert out.status == 302
    again = await client.get("/dashboard/content", allow_redirects=False)
    assert again.status == 302


async def test_post_without_csrf_is_refused(client: TestClient) -> None:
    await login(client)
    resp = await client.post("/dashboard/try", data={"question": "halo"})
    assert resp.status == 403
    resp = await client.post("/dashboard/try", data={"question": "halo", "csrf_token": "forged"})
    assert resp.status == 403


async def test_login_without_its_csrf_cookie_is_refused(client: TestClient) -> None:
    resp = await client.post(
        "/dashboard/login", data={"username": "petugas", "password": PASSWORD, "csrf_token": "x"}, allow_redirects=False
    )
    assert resp.status == 403


async def test_wrong_password_then_rate_limited(client: TestClient) -> None:
    for _ in range(5):
        assert await login(client, password="salah-salah-salah") == 401
    # Even the right password is refused for a while after five failures.
    assert await login(client) == 429


async def test_pages_are_in_english_on_request(client: TestClient) -> None:
    await login(client)
    resp = await client.get("/dashboard/content?lang=en")
    assert resp.status == 200
    assert 'lang="en"' in await resp.text()


async def test_short_password_is_refused(service: Runtime) -> None:
    with pytest.raises(ValueError):
        await add_staff(service.db, "x", "pendek")


async def test_no_page_shows_a_raw_user_id_nik_or_phone(service: Runtime) -> None:
    from bot.engine.types import Inbound
    from bot.storage.subscriptions import ensure_subscriber

    secret_user = "telegram:987654321"
    # out of scope, so they reach the unanswered inbox ("harga obat" beside a NIK reads as a JKN cost question now)
    for text in [
        "nik saya 1471021234560001 harga tiket konser",
        "hubungi 0812-3456-7890 soal sepak bola",
        "a@b.co harga tiket konser",
    ]:
        await service.handle(Inbound(user_key=secret_user, channel="telegram", text=text))
    await ensure_subscriber(service.db, secret_user, "telegram")
    assert await service.querylog.writer.flush()
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as client:  # its report is built from the rows above
        await login(client)
        inbox = await (await client.get("/dashboard/inbox?show=all")).text()
        assert "harga tiket konser" in inbox and "[NIK]" in inbox  # the questions are there, redacted
        for page in [*PAGES, "/dashboard/inbox?show=all", "/dashboard/inbox.csv"]:
            body = await (await client.get(page)).text()
            for private in ("987654321", "1471021234560001", "0812", "3456-7890", "a@b.co"):
                assert private not in body, (page, private)
