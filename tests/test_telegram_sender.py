"""The Telegram Sender the reminder/broadcast worker uses, and the fake Bot API's enforced limits."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels.telegram.send import api_base_url, make_sender
from bot.config import Settings
from bot.delivery import SendResult
from bot.engine.types import Button, Reply
from bot.storage.subscriptions import Subscriber, ensure_subscriber
from tests.support.settings import ROOT
from tests.support.telegram_api import FakeTelegram, Limits, text_update
from tests.support.telegram_harness import telegram_settings

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(tg.token, base_url=tg.base_url)
    async with bot:
        yield bot


def test_api_base_url_forms() -> None:
    def url(value: str | None) -> str:
        return api_base_url(Settings.from_env({"TELEGRAM_API_BASE_URL": value} if value else {}))

    assert url(None) == "https://api.telegram.org/bot"
    assert url("http://127.0.0.1:8081") == "http://127.0.0.1:8081/bot"
    assert url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/bot"
    assert url("http://h/custom/{token}/x") == "http://h/custom/{token}/x"


async def test_send_maps_every_answer_to_a_send_result(tmp_path: Path, tg: FakeTelegram, bot: Bot) -> None:
    sender = make_sender(telegram_settings(tmp_path, tg), bot=bot)
    assert sender.channel == "telegram"
    reply = Reply("Pengingat imunisasi <BCG> & Polio", buttons=(Button("menu", "Menu utama"),))
    assert await sender.send("telegram:42", reply) == SendResult(ok=True)
    assert tg.sent_to(42) == ["Pengingat imunisasi &lt;BCG&gt; &amp; Polio"]  # as posted: HTML-escaped

    tg.flood(43, retry_after=7)
    flooded = await sender.send("telegram:43", reply)
    assert not flooded.ok and flooded.retry_after == 7 and not flooded.blocked

    tg.block(44)
    blocked = await sender.send("telegram:44", reply)
    assert not blocked.ok and blocked.blocked and blocked.retry_after is None

    for status in (500, 502, 503):
        tg.fail(45, status=status)
        failed = await sender.send("telegram:45", reply)
        assert not failed.ok and failed.transient and not failed.blocked, status

    wrong = await sender.send("whatsapp:62812", reply)
    assert not wrong.ok and not wrong.transient


async def test_send_to_a_dead_api_is_transient(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()
    sender = make_sender(telegram_settings(tmp_path, fake))
    result = await sender.send("telegram:42", Reply("halo"))
    assert not result.ok and result.transient


async def test_a_block_is_reported_and_left_to_the_caller(
    tmp_path: Path, tg: FakeTelegram, bot: Bot, service: object
) -> None:
    """The sender only says "blocked"; the channel (recipients.blocked) or the worker's queue records it."""
    from bot.runtime import Runtime

    assert isinstance(service, Runtime)
    await ensure_subscriber(service.db, "telegram:46", "telegram")
    tg.block(46)
    result = await make_sender(telegram_settings(tmp_path, tg), bot=bot).send("telegram:46", Reply("x"))
    assert result.blocked
    async with service.db.session() as session:
        row = await session.get(Subscriber, "telegram:46")
    assert row is not None and row.active and not row.blocked


async def test_long_reply_goes_out_as_several_messages(tmp_path: Path, tg: FakeTelegram, bot: Bot) -> None:
    text = "\n\n".join(f"Bagian {i}. " + "isi " * 400 for i in range(5))  # ~8000 characters
    assert (await make_sender(telegram_settings(tmp_path, tg), bot=bot).send("telegram:42", Reply(text))).ok
    sent = tg.sent_to(42)
    assert len(sent) == 3 and all(len(t) <= 4096 for t in sent)
    assert [t.split(".")[0] for t in sent] == ["Bagian 0", "Bagian 2", "Bagian 4"]


async def test_template_falls_back_to_plain_text(tmp_path: Path, tg: FakeTelegram, bot: Bot) -> None:
    sender = make_sender(telegram_settings(tmp_path, tg), bot=bot)
    result = await sender.send_template("telegram:42", "pengingat_imunisasi", ["Besok jadwal imunisasi Adik."], "id")
    assert result.ok and tg.sent_to(42) == ["Besok jadwal imunisasi Adik."]


class ManualClock:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_fake_enforces_global_and_per_chat_limits() -> None:
    limits = Limits(global_per_second=5, per_chat_per_second=2, retry_after=3)
    clock = ManualClock()
    async with (
        FakeTelegram(limits=limits, clock=clock) as limited,
        Bot(limited.token, base_url=limited.base_url) as fast,
    ):
        sender = make_sender(telegram_settings(Path("."), limited), bot=fast)
        per_chat = [await sender.send("telegram:1", Reply(f"pesan {i}")) for i in range(3)]
        assert [r.ok for r in per_chat] == [True, True, False]
        assert per_chat[2].retry_after == 3
        spread = [await sender.send(f"telegram:{100 + i}", Reply("halo")) for i in range(4)]
        assert [r.ok for r in spread] == [True, True, True, False]  # 5 accepted in this second overall
        stats = limited.stats()
        assert stats["sent"] == 5 and stats["too_many_requests"] == 2 and stats["duplicates"] == 0
        assert limited.sent_per_chat[1] == 2
        clock.now += 1.0  # a new one-second window
        assert (await sender.send("telegram:1", Reply("pesan 2"))).ok


async def test_fake_counts_duplicates_and_refuses_bad_sends(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(42, "sama")
    await bot.send_message(42, "sama")
    assert tg.duplicates == 1
    from telegram.error import BadRequest

    with pytest.raises(BadRequest):
        await bot.send_message(42, "x" * 4097)
    with pytest.raises(BadRequest):
        await bot.send_message(42, "a < b", parse_mode="HTML")  # unescaped: Telegram refuses it too


@pytest.mark.slow
async def test_poll_command_answers_and_stops_on_sigterm(tmp_path: Path, tg: FakeTelegram) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/poll.db",
        "CONTENT_DIR": str(ROOT / "content"),
        "PSEUDONYM_KEY": "test-key",
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.api_url,
    }
    tg.webhook = {"url": "https://old.example.org/hook"}  # polling must remove it first
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "poll", env=env, cwd=ROOT)
    try:
        tg.push_update(text_update(1, 77, "/start"))
        texts = await tg.wait_sent(77, 1, within=60)
        assert "TanyaSehat" in texts[0]
        assert tg.webhook == {} and [c["command"] for c in tg.commands][:2] == ["start", "menu"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 60) == 0


async def test_poll_accepts_read_the_conversation_row_as_the_webhooks_do(
    tmp_path: Path, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot poll` gives its channel the pseudonym secret: the accept reads the chat's conversation row (one round
    trip fewer a turn on PostgreSQL) under the same key the engine's state is kept by."""
    import bot.channels.telegram as telegram
    from bot.__main__ import _poll
    from bot.privacy import pseudonym

    keys = []

    async def polled(channel: telegram.TelegramChannel, _stop: asyncio.Event) -> None:
        keys.append(channel.answers._accepting.state_key)

    monkeypatch.setattr(telegram, "run_polling", polled)
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/poll.db", "CONTENT_DIR": str(ROOT / "content"),
           "PSEUDONYM_KEY": "test-key", "TELEGRAM_BOT_TOKEN": tg.token, "TELEGRAM_API_BASE_URL": tg.api_url}  # fmt: skip
    settings = Settings.from_env(env)
    assert await _poll(settings) == 0
    assert keys[0] is not None and keys[0]("telegram:77") == pseudonym("telegram:77", secret=b"test-key")
