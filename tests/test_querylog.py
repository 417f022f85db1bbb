"""The query log through the bot: every path writes a row, nothing personal is kept, feedback, /hapusdata."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.engine.state import ConversationState, load_state, save_state
from bot.engine.types import Inbound, Location
from bot.knowledge.holder import ContentHolder
from bot.privacy import pseudonym
from bot.runtime import Runtime
from bot.storage import roles, subscriptions
from bot.storage.db import Database
from bot.storage.querylog import QueryLog
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.settings import CONTENT, make_settings

SECRET = b"test-key"  # make_settings sets PSEUDONYM_KEY=test-key


@pytest.fixture
async def bot(database: Database, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The service on the parametrized database (SQLite and the real PostgreSQL server)."""
    service = Runtime(make_settings(tmp_path), database, ContentHolder(CONTENT))
    yield service
    await service.querylog.close()


async def logged(service: Runtime) -> list[QueryLog]:
    await service.querylog.writer.flush()
    async with service.db.session() as s:
        return list(await s.scalars(select(QueryLog).order_by(QueryLog.id)))


async def test_every_path_writes_one_row(bot: Runtime) -> None:
    chat = Chat(bot, user="ani")
    said = [
        await chat.say("halo"),  # greeting
        await chat.say("menu"),
        await chat.say("kapan jadwal posyandu bulan ini"),  # an answer, a clarification or a fallback
        await chat.say("berapa harga rendang di pasar"),  # fallback
        await chat.say("anak saya kejang dan demam tinggi"),  # emergency
        await chat.say("apa itu uhc"),  # a flow starts
        await chat.say("1"),  # a flow step, typed
        await chat.say("@btn menu"),  # a button
        await chat.say("@loc 0.5071 101.4478"),  # a location
    ]
    rows = await logged(bot)
    assert [r.intent for r in rows] == [s["intent"] for s in said]
    assert {"greeting", "menu", "fallback", "emergency"} <= {r.intent for r in rows}
    assert rows[3].answered is False and rows[4].answered is True
    assert rows[5].intent == rows[6].intent  # the flow's steps are logged under the flow's intent
    user = pseudonym("console:ani", SECRET)
    version = bot.holder.current.version
    for r in rows:
        assert r.user_pseudonym == user and "ani" not in r.user_pseudonym
        assert r.channel == "console" and r.content_version == version and r.response_ms >= 0
        assert len(r.ref) == 32
    assert rows[0].text == "halo" and rows[3].text == "berapa harga rendang di pasar"
    assert rows[7].text is None and rows[8].text is None  # a button press, a location: no text, no coordinates


async def test_personal_data_never_reaches_the_log(bot: Runtime) -> None:
    chat = Chat(bot, user="budi")
    await chat.say("nik saya 1471 0212 3456 0001 hp +62 812-3456-7890 email budi.s @ gmail . com, sudah dapat uhc?")
    await chat.say("tolong hubungi 0812.3456.7890 atau budi[at]yahoo[dot]co[dot]id")
    rows = await logged(bot)
    for r in rows:
        assert r.text is not None
        assert not any(part in r.text for part in ("1471", "3456", "gmail", "yahoo", "budi"))
        assert "[NIK]" in r.text or "[NOMOR]" in r.text


async def test_kelurahan_is_logged_when_the_user_gave_one(bot: Runtime) -> None:
    state = ConversationState()
    state.profile["kelurahan_code"] = "14.71.01.1002"
    await save_state(bot.db, "console:citra", SECRET, "console", state, version=0)
    await Chat(bot, user="citra").say("halo")
    await Chat(bot, user="dodi").say("halo")
    rows = await logged(bot)
    assert [r.kelurahan_code for r in rows] == ["14.71.01.1002", None]


async def test_feedback_prompt_is_light_and_stored_with_the_query(bot: Runtime) -> None:
    chat = Chat(bot, user="eka")
    faq = [i for i in bot.holder.current.intents.intents if i.answer is not None]
    assert faq, "the content has FAQ answers"
    first = await chat.say(f"@btn intent:{faq[0].id}")
    asked = [p for p in payloads_of(first) if p.startswith("fb:")]
    assert len(asked) == 2 and "Apakah jawaban ini membantu?" in text_of(first)
    thanks = await chat.say("1")  # typed "1" = the first button, 👍
    assert thanks["intent"] == "feedback"
    second = await chat.say(f"@btn intent:{faq[-1].id}")  # within half an hour: not asked again
    assert not [p for p in payloads_of(second) if p.startswith("fb:")]
    for line in ("menu", "berapa harga rendang di pasar", "anak saya kejang"):
        assert not [p for p in payloads_of(await chat.say(line)) if p.startswith("fb:")]
    rows = await logged(bot)
    assert [(r.intent, r.feedback_asked, r.helpful) for r in rows[:3]] == [
        (faq[0].id, True, True),
        ("feedback", False, None),
        (faq[-1].id, False, None),
    ]
    assert not any(r.feedback_asked for r in rows[1:])

    other = Chat(bot, user="fajar")  # someone else cannot vote on eka's answer
    ref = asked[0].split(":")[2]
    await other.say(f"@btn fb:0:{ref}")
    assert (await logged(bot))[0].helpful is True


async def test_hapusdata_erases_everything_after_confirmation(bot: Runtime) -> None:
    chat = Chat(bot, user="gita")
    await subscriptions.ensure_subscriber(bot.db, "console:gita", "console")
    await chat.say("halo")
    await chat.say("berapa harga rendang")
    ask = await chat.say("/hapusdata")
    assert ask["intent"] == "erase.ask"
    kept = await chat.say("tidak")
    assert kept["intent"] == "erase.cancel"
    assert len(await logged(bot)) == 4 and await subscriptions.child_reminders(bot.db, "console:gita") == []
    await Chat(bot, user="hana").say("halo")  # another user's data stays
    await chat.say("/hapusdata")
    done = await chat.say("ya")
    assert done["intent"] == "erase.done"
    rows = await logged(bot)
    assert [r.user_pseudonym for r in rows] == [pseudonym("console:hana", SECRET)]
    async with bot.db.session() as s:
        assert await s.get(subscriptions.Subscriber, "console:gita") is None
    assert (await load_state(bot.db, "console:gita", SECRET))[0].offered == []


async def test_a_broken_log_never_costs_an_answer(bot: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.querylog import writer

    async def down(*_args: object) -> None:
        raise ConnectionError("database gone")

    monkeypatch.setattr(writer, "write_batch", down)
    result = await Chat(bot, user="indra").say("halo")
    assert result["intent"] == "greeting"
    assert bot.querylog.writer.pending == 1 and await bot.querylog.writer.flush() is False


async def test_unsupported_and_odd_inbounds_are_logged(bot: Runtime) -> None:
    user = f"telegram:{uuid.uuid4().hex[:6]}"
    await bot.handle(Inbound(user_key=user, channel="telegram", unsupported="photo"))
    await bot.handle(Inbound(user_key=user, channel="telegram", text="x" * 10_000))
    await bot.handle(Inbound(user_key=user, channel="telegram", location=Location(0.5, 101.4)))
    rows = await logged(bot)
    assert len(rows) == 3 and rows[0].intent == "unsupported"
    assert rows[1].text is not None and len(rows[1].text) <= 4000


async def test_a_stale_erase_button_asks_again(bot: Runtime) -> None:
    chat = Chat(bot, user="joko")
    await chat.say("/hapusdata")
    await chat.say("menu")
    again = await chat.say("@btn hapus:ya")  # the old message's button, after moving on
    assert again["intent"] == "erase.ask"
    assert len(await logged(bot)) == 3


def _asks_feedback(result: dict) -> bool:
    return "Apakah jawaban ini membantu?" in text_of(result) or any(p.startswith("fb:") for p in payloads_of(result))


async def test_staff_and_language_replies_carry_no_feedback_question(bot: Runtime) -> None:
    """/kader's confirmation and a language switch are not answers to a question: no 'was this helpful?'."""
    await roles.grant(bot.db, "console:kepala", roles.STAFF, None)
    staff = Chat(bot, user="kepala")
    done = await staff.say("/kader telegram:777 14.71.01.1002")
    assert done["intent"] == "kader" and "kader" in text_of(done).lower()
    assert not _asks_feedback(done)
    resident = Chat(bot, user="lina")
    offered = await resident.say("/bahasa")
    assert not _asks_feedback(offered)
    switched = await resident.say("@btn lang:en")
    assert switched["intent"] == "bahasa" and not _asks_feedback(switched)
    typed = await Chat(bot, user="mira").say("english please")
    assert typed["intent"] == "bahasa" and not _asks_feedback(typed)
    faq = next(i for i in bot.holder.current.intents.intents if i.answer is not None)
    assert _asks_feedback(await Chat(bot, user="nina").say(f"@btn intent:{faq.id}"))  # a real answer still asks
    rows = await logged(bot)
    assert [r.feedback_asked for r in rows] == [False, False, False, False, True]
