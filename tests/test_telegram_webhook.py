"""POST /telegram/webhook through the real `serve` app, against the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.telegram import command_menu
from bot.i18n import available_languages
from bot.knowledge.content import load_content
from bot.storage import answer_outbox
from bot.storage.subscriptions import Subscriber, ensure_subscriber
from tests.support.english import indonesian_words, name_words
from tests.support.settings import CONTENT
from tests.support.telegram_api import BOT_USER, FakeTelegram, blocked_update, callback_update, message, text_update
from tests.support.telegram_harness import SECRET, WEBHOOK_URL, Bench, telegram_settings, webhook_bot


@pytest.fixture
async def bot(tmp_path: Path, tg: FakeTelegram) -> AsyncIterator[Bench]:
    async with webhook_bot(telegram_settings(tmp_path, tg), tg) as bench:
        yield bench


async def test_startup_registers_webhook_with_secret_and_commands(bot: Bench, tg: FakeTelegram) -> None:
    assert tg.webhook["url"] == WEBHOOK_URL
    assert tg.webhook["secret_token"] == SECRET
    assert "callback_query" in tg.webhook["allowed_updates"]
    names = [c["command"] for c in tg.commands]
    assert names == [
        "start",
        "menu",
        "imunisasi",
        "puskesmas",
        "uhc",
        "pengingat",
        "berhenti",
        "bahasa",
        "hapusdata",
        "bantuan",
    ]
    assert [c["description"] for c in tg.commands] == [c.description for c in command_menu("id")]


async def test_the_command_menu_is_registered_in_each_language(bot: Bench, tg: FakeTelegram) -> None:
    """setMyCommands with language_code: an English app shows English names and descriptions."""
    assert set(tg.commands_by_language) == {"", *(lang for lang in available_languages() if lang != "id")}
    assert tg.commands_by_language[""] == tg.commands  # everyone else: Indonesian
    english = tg.commands_by_language["en"]
    assert [c["command"] for c in english] == [
        "start",
        "menu",
        "immunization",
        "puskesmas",
        "uhc",
        "reminders",
        "stop",
        "language",
        "deletedata",
        "help",
    ]
    assert english[2]["description"] == "Children's immunization schedule and info"
    for command in english:
        assert not indonesian_words(command["description"]), command
    indonesian = {c["description"] for c in tg.commands}
    assert not indonesian & {c["description"] for c in english}


async def test_every_command_in_every_menu_is_answered(bot: Bench, tg: FakeTelegram) -> None:
    content, _ = load_content(CONTENT)
    assert content is not None
    names = name_words(content)
    update_id = 1000
    for language, commands in tg.commands_by_language.items():
        for command in commands:
            update_id += 1
            outcome = await bot.deliver(
                text_update(update_id, 4200 + update_id, f"/{command['command']}", language or "id")
            )
            assert outcome.intent not in {"fallback", "clarify", "empty"}, (language, command, outcome.intent)
            if language == "en":  # answered in the app's language
                text = tg.sent_to(4200 + update_id)[0]
                assert not indonesian_words(text.split("\n")[0], names), (command, text)


@pytest.mark.parametrize("secret", [None, "", "salah", SECRET + "x", SECRET.upper()])
async def test_wrong_or_missing_secret_is_401_and_nothing_is_processed(
    bot: Bench, tg: FakeTelegram, secret: str | None
) -> None:
    update = text_update(501, 42, "halo")
    assert await bot.post(update, secret=secret) == 401
    await bot.channel.drain()
    assert tg.sent_to(42) == [] and bot.spy.turns == []
    # Nothing was recorded either: the genuine delivery of the same update is answered.
    await bot.deliver(update)
    assert len(tg.sent_to(42)) == 1


async def test_repeated_update_is_answered_once(bot: Bench, tg: FakeTelegram) -> None:
    update = text_update(601, 42, "halo")
    statuses = await asyncio.gather(*(bot.post(update) for _ in range(5)))
    assert statuses == [200] * 5  # Telegram must stop redelivering: every copy is acknowledged
    await bot.channel.drain()
    assert len(bot.spy.turns) == 1 and len(tg.sent_to(42)) == 1


async def test_dedupe_survives_a_restart(tmp_path: Path, tg: FakeTelegram) -> None:
    settings = telegram_settings(tmp_path, tg)
    update = text_update(701, 42, "halo")
    async with webhook_bot(settings, tg) as first:
        await first.deliver(update)
    async with webhook_bot(settings, tg) as second:
        assert await second.post(update) == 200
        await second.channel.drain()
        assert second.spy.turns == []
    assert len(tg.sent_to(42)) == 1


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"update"', b'{"message": {}}', b'{"update_id": "7"}', b"[" * 100000],
)
async def test_malformed_body_is_400_and_the_server_keeps_serving(bot: Bench, tg: FakeTelegram, raw: bytes) -> None:
    assert await bot.post(None, raw=raw) == 400
    await bot.deliver(text_update(801, 42, "halo"))
    assert len(tg.sent_to(42)) == 1


async def test_unknown_update_kinds_are_acknowledged_and_ignored(bot: Bench, tg: FakeTelegram) -> None:
    assert (
        await bot.post({"update_id": 802, "inline_query": {"id": "1", "from": BOT_USER, "query": "x", "offset": ""}})
        == 200
    )
    assert await bot.post({"update_id": 803, "message": "not an object"}) == 200
    await bot.channel.drain()
    assert tg.sent == [] and bot.spy.turns == []


async def test_button_press_answers_the_callback_and_the_question(bot: Bench, tg: FakeTelegram) -> None:
    outcome = await bot.deliver(callback_update(901, 42, "menu"))
    assert outcome.intent == "menu"
    assert tg.answered_callbacks == ["cq901"]
    [sent] = tg.sent
    keyboard = sent["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == [b.payload for b in outcome.replies[0].buttons]


async def test_voice_note_gets_a_please_type_answer(bot: Bench, tg: FakeTelegram) -> None:
    voice = {"voice": {"file_id": "v", "file_unique_id": "u", "duration": 4}}
    outcome = await bot.deliver({"update_id": 902, "message": message(42, **voice)})
    assert outcome.intent == "unsupported"
    assert "teks" in tg.sent_to(42)[0]


async def test_language_code_is_the_first_guess(bot: Bench, tg: FakeTelegram) -> None:
    await bot.deliver(text_update(903, 43, "/start", language_code="en"))
    inbound, _ = bot.spy.turns[0]
    assert inbound.language_hint == "en"


async def test_blocked_user_is_marked_inactive(bot: Bench, tg: FakeTelegram) -> None:
    db = bot.service.db
    await ensure_subscriber(db, "telegram:42", "telegram")
    tg.block(42)
    await bot.deliver(text_update(1001, 42, "halo"))
    assert tg.sent_to(42) == []
    async with db.session() as session:
        row = await session.scalar(select(Subscriber).where(Subscriber.user_key == "telegram:42"))
    assert row is not None and row.blocked and not row.active


async def test_blocking_notice_marks_inactive_without_a_send(bot: Bench, tg: FakeTelegram) -> None:
    db = bot.service.db
    await ensure_subscriber(db, "telegram:44", "telegram")
    assert await bot.post(blocked_update(1002, 44)) == 200
    await bot.channel.drain()
    async with db.session() as session:
        row = await session.get(Subscriber, "telegram:44")
    assert row is not None and row.blocked and not row.active
    assert tg.sent == []


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
async def test_429_is_waited_out_and_5xx_retried(bot: Bench, tg: FakeTelegram) -> None:
    tg.flood(42, retry_after=1, times=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.deliver(text_update(1101, 42, "halo"))
    assert loop.time() - started >= 0.9  # it waited as told
    assert len(tg.sent_to(42)) == 1 and tg.too_many == 1
    tg.fail(42, status=502, times=1)
    await bot.deliver(text_update(1102, 42, "menu"))
    assert len(tg.sent_to(42)) == 2


async def test_group_chatter_is_ignored_but_commands_answered(bot: Bench, tg: FakeTelegram) -> None:
    assert await bot.post(text_update(1201, -100, "rapat kader jam 9 ya")) == 200
    await bot.channel.drain()
    assert bot.spy.turns == []
    outcome = await bot.deliver(text_update(1202, -100, "/menu@TanyaSehatBot"))
    assert outcome.intent == "menu" and len(tg.sent_to(-100)) == 1


async def test_answers_of_one_chat_leave_in_order(bot: Bench, tg: FakeTelegram) -> None:
    texts = ["/start", "menu", "/bantuan", "menu"]
    for i, text in enumerate(texts):
        assert await bot.post(text_update(1300 + i, 42, text)) == 200
    await bot.channel.drain()
    intents = [o.intent for _, o in bot.spy.turns]
    assert intents == ["greeting", "menu", "help", "menu"]
    sent = tg.sent_to(42)
    assert [t == o.replies[0].text for t, (_, o) in zip(sent, bot.spy.turns, strict=True)] == [True] * 4


async def test_telegram_down_at_startup_does_not_stop_the_server(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    await fake.stop()  # the port is closed now: every Bot API call fails to connect
    async with webhook_bot(telegram_settings(tmp_path, fake), fake) as bench:
        assert bench.client is not None
        async with bench.client.get("/healthz") as response:
            assert response.status == 200
        assert await bench.post(text_update(1401, 42, "halo")) == 200
        rows: list[answer_outbox.AnswerRow] = []
        async with asyncio.timeout(10):
            while not (rows and rows[0].attempts >= 2):  # the answer could not go out: it waits for a retry
                await asyncio.sleep(0.05)
                rows = await answer_outbox.rows(bench.service.db)
        assert len(bench.spy.turns) == 1 and rows[0].status == answer_outbox.ANSWERED


async def test_database_down_asks_telegram_to_retry(
    bot: Bench, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    async def down(*_: object) -> dict[str, int]:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(answer_outbox, "accept", down)
    update = text_update(1501, 42, "halo")
    assert await bot.post(update) == 503  # not acknowledged: Telegram delivers it again later
    monkeypatch.undo()
    await bot.deliver(update)
    assert len(tg.sent_to(42)) == 1


@pytest.mark.parametrize("text", ["", " ", "imunisasi " * 5000])
async def test_empty_or_huge_text_gets_an_answer(bot: Bench, tg: FakeTelegram, text: str) -> None:
    await bot.deliver(text_update(1601, 42, text))
    sent = tg.sent_to(42)
    assert sent and all(0 < len(t) <= 4096 for t in sent)


async def test_full_backlog_is_left_with_telegram(bot: Bench, tg: FakeTelegram) -> None:
    bot.channel.max_backlog = 0
    update = text_update(1701, 42, "halo")
    assert await bot.post(update) == 503  # not recorded: Telegram keeps it and delivers it again
    bot.channel.max_backlog = 10
    await bot.deliver(update)
    assert len(tg.sent_to(42)) == 1
