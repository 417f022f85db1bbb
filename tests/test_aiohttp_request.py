"""python-telegram-bot over the runtime's aiohttp session: the same wire, the same errors as its httpx default."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram.aiohttp_request import AiohttpRequest, session
from bot.channels.telegram.send import TelegramSender, make_sender
from bot.delivery import SendResult
from bot.engine.types import Button, Reply
from bot.runtime import Runtime
from tests.support.servers import running
from tests.support.telegram_api import FakeTelegram, callback_update, text_update
from tests.support.telegram_harness import telegram_settings, webhook_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def runtime(tmp_path: Path, tg: FakeTelegram) -> AsyncIterator[Runtime]:
    rt = await Runtime.open(telegram_settings(tmp_path, tg), watch_interval=None)
    yield rt
    await rt.close()


async def test_the_runtime_bot_sends_over_its_session_and_maps_every_answer(
    tmp_path: Path, tg: FakeTelegram, runtime: Runtime
) -> None:
    bot = runtime.telegram_bot()
    assert isinstance(bot.request, AiohttpRequest)
    async with bot:
        assert bot.username == "TanyaSehatBot"  # getMe went through it
        sender = make_sender(telegram_settings(tmp_path, tg), bot=bot)
        reply = Reply("Jadwal <BCG> & Polio", buttons=(Button("intent:imunisasi_jadwal", "Jadwal lengkap"),))
        assert await sender.send("telegram:42", reply) == SendResult(ok=True)
        posted = tg.calls_to("sendMessage")[-1]
        assert posted["chat_id"] == 42 and posted["text"] == "Jadwal &lt;BCG&gt; &amp; Polio"
        keyboard = posted["reply_markup"]["inline_keyboard"]
        assert keyboard[0][0] == {"text": "Jadwal lengkap", "callback_data": "intent:imunisasi_jadwal"}

        tg.flood(43, retry_after=7)
        flooded = await sender.send("telegram:43", reply)
        assert not flooded.ok and flooded.retry_after == 7
        tg.block(44)
        assert (await sender.send("telegram:44", reply)).blocked
        for status in (500, 502, 503):
            tg.fail(45, status=status)
            failed = await sender.send("telegram:45", reply)
            assert not failed.ok and failed.transient and not failed.blocked, status
    assert not runtime.http.closed  # the bot's shutdown leaves the shared session to the runtime
    http = runtime.http
    await runtime.close()
    assert http.closed


async def test_long_polling_goes_over_the_session_too(tg: FakeTelegram, runtime: Runtime) -> None:
    tg.push_update(text_update(tg.next_update_id(), 42, "halo"))
    async with runtime.telegram_bot() as bot:
        updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates if u.message] == ["halo"]


async def test_a_dead_api_is_a_network_error() -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()
    async with session() as http:
        bot = Bot(fake.token, base_url=fake.base_url, request=AiohttpRequest(http))
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(42, "halo")
        assert not isinstance(raised.value, TimedOut)


async def test_a_hanging_api_times_out() -> None:
    async def hang(_request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", hang)
    async with running(app) as base, session() as http:
        bot = Bot("1:x", base_url=f"{base}/bot", request=AiohttpRequest(http, read_timeout=0.3))
        with pytest.raises(TimedOut):
            await bot.send_message(42, "halo")


async def test_a_file_goes_as_multipart() -> None:
    seen: dict[str, Any] = {}

    async def send_document(request: web.Request) -> web.Response:
        form = await request.post()
        document = form["document"]
        assert isinstance(document, web.FileField)
        seen.update(chat_id=form["chat_id"], caption=form["caption"], name=document.filename)
        seen["content"] = document.file.read()
        message = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/bot1:x/sendDocument", send_document)
    async with running(app) as base, session() as http:
        bot = Bot("1:x", base_url=f"{base}/bot", request=AiohttpRequest(http))
        await bot.send_document(42, document=b"isi laporan", filename="laporan.csv", caption="Laporan")
    assert seen == {"chat_id": "42", "caption": "Laporan", "name": "laporan.csv", "content": b"isi laporan"}


async def test_answers_go_as_one_json_post_read_as_ptb_reads_the_reply() -> None:
    """The sender's own POST (not Bot.send_message) maps each Bot API reply as PTB's errors did."""
    replies = {
        1: (200, {"ok": True, "result": {"message_id": 1}}),
        2: (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
        3: (400, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse entities"}),
        4: (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}),
        5: (429, {"ok": False, "error_code": 429, "description": "Too Many", "parameters": {"retry_after": 3}}),
        6: (400, {"ok": False, "error_code": 400, "description": "migrated", "parameters": {"migrate_to_chat_id": 9}}),
        7: (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}),
    }
    bodies: list[Any] = []

    async def send_message(request: web.Request) -> web.Response:
        assert request.content_type == "application/json"
        body = await request.json()
        bodies.append(body)
        status, answer = replies[body["chat_id"]]
        return web.json_response(answer, status=status)

    app = web.Application()
    app.router.add_post("/bot1:x/sendMessage", send_message)
    async with running(app) as base, session() as http:
        bot = Bot("1:x", base_url=f"{base}/bot", request=AiohttpRequest(http))
        sender = TelegramSender(bot)
        reply = Reply("a < b", buttons=(Button("intent:uhc", "UHC"),))
        results = {chat: await sender.send(f"telegram:{chat}", reply) for chat in replies}
    assert bodies[0] == {
        "chat_id": 1, "text": "a &lt; b", "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "UHC", "callback_data": "intent:uhc"}]]},
    }  # fmt: skip
    assert results[1] == SendResult(ok=True)
    assert results[2].blocked and not results[2].transient
    assert not results[3].blocked and not results[3].transient and "parse entities" in results[3].error
    assert not results[4].ok and not results[4].transient and not results[4].blocked
    assert results[5].retry_after == 3
    assert results[6].transient and results[7].transient


async def test_an_answer_to_a_dead_api_is_worth_another_try() -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()
    async with session() as http:
        bot = Bot(fake.token, base_url=fake.base_url, request=AiohttpRequest(http))
        result = await TelegramSender(bot).send("telegram:42", Reply("halo"))
    assert not result.ok and result.transient and not result.blocked


async def test_a_button_press_is_answered_as_one_json_post(
    tmp_path: Path, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """answerCallbackQuery (the pressed button's spinner) goes over the runtime's session like an answer,
    as one JSON POST, not through Bot.answer_callback_query; the press is answered by the engine as before."""

    async def through_ptb(*_args: Any, **_kwargs: Any) -> bool:
        raise AssertionError("answerCallbackQuery went through Bot.answer_callback_query")

    monkeypatch.setattr(Bot, "answer_callback_query", through_ptb)
    async with webhook_bot(telegram_settings(tmp_path, tg), tg) as bench:
        assert isinstance(bench.channel.bot.request, AiohttpRequest)
        outcome = await bench.deliver(callback_update(7, 42, "intent:uhc"))
    assert outcome.intent == "uhc" and tg.sent_to(42)
    assert tg.answered_callbacks == ["cq7"]


async def test_a_button_answer_is_json_and_a_refusal_is_no_failure_of_the_answer() -> None:
    seen: list[tuple[str, Any]] = []

    async def answer_callback_query(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append((request.content_type, body))
        if body["callback_query_id"] == "old":
            return web.json_response({"ok": False, "error_code": 400, "description": "query is too old"}, status=400)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot1:x/answerCallbackQuery", answer_callback_query)
    async with running(app) as base, session() as http:
        sender = TelegramSender(Bot("1:x", base_url=f"{base}/bot", request=AiohttpRequest(http)))
        assert await sender.answer_callback("cq1") == SendResult(ok=True)
        old = await sender.answer_callback("old")
    assert seen == [
        ("application/json", {"callback_query_id": "cq1"}),
        ("application/json", {"callback_query_id": "old"}),
    ]
    assert not old.ok and "too old" in old.error
