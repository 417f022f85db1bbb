"""The handover beyond the first answer: a person offered after a 👎, WhatsApp's window and who may be
contacted, the office's timeout, retention, danger signs in the thread, nothing private on the page,
every staff action on record."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from bot.broadcast.handbacks import hand_back_idle
from bot.querylog.retention import run_retention
from bot.runtime import Runtime
from bot.storage import drafts, outbox, whatsapp_window
from bot.storage import handover as store
from bot.storage.db import Database
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from bot.web.dashboard.relay import _clean
from bot.web.server import build_app
from tests.support import graph_api as meta
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.dashboard import PASSWORD, login, visible_text
from tests.support.handover import claimed_over_whatsapp, officer, post_form, whatsapp_with_dashboard
from tests.support.settings import make_settings
from tests.support.telegram_api import FakeTelegram, text_update
from tests.support.telegram_harness import telegram_settings, webhook_bot
from tests.support.whatsapp import ANI


async def test_a_thumbs_down_offers_a_person(chat: Chat) -> None:
    answered = await chat.say("apa itu cek kesehatan gratis")
    down = next(p for p in payloads_of(answered) if p.startswith("fb:0:"))
    rated = await chat.say(f"@btn {down}")
    assert "handover:open" in payloads_of(rated) and "petugas" in text_of(rated)
    pressed = await chat.say("@btn handover:open")
    assert pressed["intent"] == "handover"
    assert await store.current(chat.service.db, "console:tester") is not None
    up = await chat.say("apa itu ckg")
    thanks = [p for p in payloads_of(up) if p.startswith("fb:1:")]
    if thanks:  # asked at most once per half hour; when asked, a 👍 offers no person
        assert "handover:open" not in payloads_of(await chat.say(f"@btn {thanks[0]}"))


# --- WhatsApp outside the 24-hour window -----------------------------------------------------------


async def test_outside_the_window_a_resident_who_may_not_be_contacted_gets_nothing_and_the_officer_is_told(
    tmp_path: Path,
) -> None:
    async with whatsapp_with_dashboard(tmp_path) as wa:
        page, case = await claimed_over_whatsapp(wa)
        await whatsapp_window.close(wa.service.db, case.user_key)  # a day has passed; ANI never subscribed
        before = len(wa.graph.requests)
        shown = await post_form(wa.client, page, f"{page}/reply", text="Maaf baru sempat, Bu. Ada yang bisa dibantu?")
        assert len(wa.graph.requests) == before  # no template to someone who did not subscribe, no free text
        assert "tidak boleh dihubungi lebih dulu" in visible_text(shown)
        events = await store.events(wa.service.db, case.id)
        assert [e.delivery for e in events if e.kind == store.OFFICER] == [store.WINDOW]

        sent = await wa.say(ANI, "halo bu, saya masih di sini")  # the resident writes: the window opens
        assert [meta.text_of(m) for m in sent] == ["👤 Petugas: Maaf baru sempat, Bu. Ada yang bisa dibantu?"]
        events = await store.events(wa.service.db, case.id)
        officer = [e for e in events if e.kind == store.OFFICER]
        assert [(e.delivery, e.detail) for e in officer] == [(store.DELIVERED, store.AFTER_REPLY)]
        assert "setelah warga membalas" in visible_text(await (await wa.client.get(page)).text())


async def test_outside_the_window_a_subscriber_is_invited_and_reads_the_officer_on_replying(tmp_path: Path) -> None:
    async with whatsapp_with_dashboard(tmp_path) as wa:
        page, case = await claimed_over_whatsapp(wa)
        await ensure_subscriber(wa.service.db, case.user_key, "whatsapp")
        await whatsapp_window.close(wa.service.db, case.user_key)
        before = len(wa.graph.accepted)
        await post_form(wa.client, page, f"{page}/reply", text="Hasil lab Ibu sudah keluar.")
        invite = wa.graph.accepted[before:]
        assert [m["type"] for m in invite] == ["template"] and invite[0]["template"]["name"] == "pesan_baru"
        sent = await wa.say(ANI, "ya bu?")
        assert [meta.text_of(m) for m in sent] == ["👤 Petugas: Hasil lab Ibu sudah keluar."]
        assert await wa.say(ANI, "terima kasih") == []  # delivered once; the officer still holds the chat

        await post_form(wa.client, page, f"{page}/close")  # inside the window now: the resident is told
        await wa.hook.drain()
        assert "selesai" in meta.text_of(wa.graph.accepted[-1])


async def test_a_danger_sign_during_a_whatsapp_handover_gets_119_and_the_officer_sees_it(tmp_path: Path) -> None:
    async with whatsapp_with_dashboard(tmp_path) as wa:
        page, case = await claimed_over_whatsapp(wa)
        sent = await wa.say(ANI, "anak saya kejang kejang tidak sadar")
        assert sent and "119" in meta.text_of(sent[0])  # at once, from the bot, though an officer holds the chat
        html = await (await wa.client.get(page)).text()
        assert "Tanda bahaya" in html and "kejang" in html
        assert await store.current(wa.service.db, case.user_key) is not None  # the officer still holds it


# --- the office's timeout ----------------------------------------------------------------------------


async def _held(service: Runtime, user: str = "ani") -> store.Case:
    await Chat(service, user=user).say("mau bicara dengan petugas")
    case = await store.current(service.db, f"console:{user}")
    assert case is not None and await store.claim(service.db, case.id, "petugas")
    return case


async def test_an_idle_conversation_goes_back_to_the_bot_after_the_offices_timeout(service: Runtime) -> None:
    case = await _held(service)
    content, now = service.holder.current, datetime.now(UTC)
    assert content.office.handover_timeout == timedelta(minutes=120)  # content/office.yaml
    assert await hand_back_idle(service.db, content, now + timedelta(minutes=119)) == 0
    assert await hand_back_idle(service.db, content, now + timedelta(minutes=121)) == 1
    closed = await store.get(service.db, case.id)
    assert closed is not None and closed.status == store.CLOSED
    last = (await store.events(service.db, case.id))[-1]
    assert (last.kind, last.officer, last.detail) == (store.CLOSED_EVENT, None, store.TIMEOUT)
    told = [r for r in await outbox.delivery_rows(service.db) if r.user_key == case.user_key]
    assert len(told) == 1 and "tutup" in told[0].text and "hubungi petugas" in told[0].text  # the worker sends it
    back = await Chat(service, user="ani").say("jadwal imunisasi campak")
    assert back["intent"] != "handover" and back["replies"]
    assert await hand_back_idle(service.db, content, now + timedelta(minutes=300)) == 0  # done once


async def test_a_message_keeps_the_conversation_with_the_officer(service: Runtime) -> None:
    case = await _held(service)
    content, now = service.holder.current, datetime.now(UTC)
    await store.resident_said(service.db, case, "masih di sana bu?", now + timedelta(minutes=100))
    assert await hand_back_idle(service.db, content, now + timedelta(minutes=121)) == 0
    assert await hand_back_idle(service.db, content, now + timedelta(minutes=221)) == 1


async def test_the_office_sets_the_timeout(tmp_path: Path, content_dir: Path) -> None:
    office = content_dir / "office.yaml"
    text = office.read_text(encoding="utf-8")
    office.write_text(re.sub(r"handover_timeout_minutes: \d+", "handover_timeout_minutes: 30", text), encoding="utf-8")
    service = await Runtime.open(make_settings(tmp_path, content_dir), watch_interval=None)
    try:
        await _held(service)
        now = datetime.now(UTC)
        assert await hand_back_idle(service.db, service.holder.current, now + timedelta(minutes=29)) == 0
        assert await hand_back_idle(service.db, service.holder.current, now + timedelta(minutes=31)) == 1
    finally:
        await service.close()


# --- retention, privacy, the record ------------------------------------------------------------------


async def test_handover_messages_follow_the_query_logs_retention(database: Database) -> None:
    long_ago, now = datetime.now(UTC) - timedelta(days=200), datetime.now(UTC)
    old = await store.open_case(database, "telegram:1", "telegram", "id", "admin tolong", long_ago)
    assert await store.close(database, old.id, "petugas") is not None
    async with database.session() as session:  # closed 200 days ago
        await session.execute(update(store.Handover).where(store.Handover.id == old.id).values(closed_at=long_ago))
        await session.execute(
            update(store.HandoverEvent).where(store.HandoverEvent.handover_id == old.id).values(at=long_ago)
        )
    kept = await store.open_case(database, "telegram:2", "telegram", "id", "mau bicara dengan petugas", long_ago)
    await store.resident_said(database, kept, "masih menunggu", now)
    assert await run_retention(database, date.today()) >= 3  # 180 days by default
    assert await store.get(database, old.id) is None and await store.events(database, old.id) == []
    assert [e.text for e in await store.events(database, kept.id)] == ["masih menunggu"]
    assert await store.get(database, kept.id) is not None


async def test_the_conversation_page_shows_no_platform_id_or_phone_number(service: Runtime) -> None:
    chat = Chat(service, user="6281298765432")
    await chat.run("mau bicara dengan petugas", "nomor saya 0812-9876-5432, nik 1471021234560001")
    case = await store.current(service.db, "console:6281298765432")
    assert case is not None
    await add_staff(service.db, "petugas", PASSWORD)
    async with TestClient(TestServer(build_app(service))) as client:
        await login(client)
        for path in ("/dashboard/conversations", f"/dashboard/conversations/{case.id}",
                     f"/dashboard/conversations/{case.id}/events"):  # fmt: skip
            body = await (await client.get(path)).text()
            for private in ("6281298765432", "0812", "9876-5432", "1471021234560001"):
                assert private not in body, (path, private)
        assert "[NOMOR]" in body and "[NIK]" in body
    detail = _clean("(#131026) Message undeliverable to whatsapp:6281298765432 (+62 812-9876-5432)", case)
    assert "6281298765432" not in detail and "9876" not in detail


async def test_every_staff_action_is_recorded_with_the_login_and_time(service: Runtime) -> None:
    case = await _held(service)  # claimed by "petugas"
    from bot.storage import inbox

    await inbox.mark(service.db, "harga obat", inbox.NOT_OUR_TOPIC, None, "petugas")
    await inbox.mark(service.db, "harga obat", inbox.NEEDS_CONTENT, None, "petugas2")  # a second opinion
    marks = await drafts.actions(service.db, subject="harga obat")
    assert [(a.login, a.action) for a in marks] == [("petugas2", "mark"), ("petugas", "mark")]
    assert all(datetime.now(UTC) - a.at < timedelta(minutes=1) for a in marks)
    assert await store.close(service.db, case.id, "petugas") is not None
    events = await store.events(service.db, case.id)
    assert [(e.kind, e.officer) for e in events if e.officer] == [("claimed", "petugas"), ("closed", "petugas")]


# --- delivery through the answer outbox: the officer sees delivered, retrying, failed ---------------


async def test_the_officer_sees_a_reply_retried_then_delivered_and_one_that_failed(
    tmp_path: Path, tg: FakeTelegram
) -> None:
    chat = 6161
    async with webhook_bot(telegram_settings(tmp_path, tg), tg) as bot:
        await add_staff(bot.service.db, "petugas", PASSWORD)
        await bot.deliver(text_update(1, chat, "admin tolong"))
        case = await store.current(bot.service.db, f"telegram:{chat}")
        assert case is not None and bot.client is not None
        page = f"/dashboard/conversations/{case.id}"
        async with officer(bot.client) as browser:
            assert await login(browser) == 302  # type: ignore[arg-type]
            await post_form(browser, page, f"{page}/claim")
            tried = len(tg.calls_to("sendMessage"))
            tg.fail(chat, 500, times=None)  # Telegram has a bad moment
            await post_form(browser, page, f"{page}/reply", text="Sebentar ya Bu, saya cek dulu.")
            await tg.wait_until(lambda: len(tg.calls_to("sendMessage")) >= tried + 2)  # tried, and tried again
            assert "belum terkirim, dicoba lagi otomatis" in visible_text(await (await browser.get(page)).text())
            tg.heal(chat)
            await bot.channel.drain()  # the outbox's retries get it through
            assert tg.sent_to(chat)[-1].endswith("Sebentar ya Bu, saya cek dulu.")
            shown = visible_text(await (await browser.get(page)).text())
            assert "terkirim" in shown and "dicoba lagi" not in shown

            tg.block(chat)  # the resident blocked the bot: no retry helps
            await post_form(browser, page, f"{page}/reply", text="Bu, hasilnya sudah ada.")
            await bot.channel.drain()
            polled = await (await browser.get(f"{page}/events?after=0")).json()
            last = [e for e in polled["events"] if e["kind"] == "officer"][-1]
            assert last["delivery"] == "failed" and last["delivery_label"] == "gagal terkirim"
            assert str(chat) not in last["detail"]
