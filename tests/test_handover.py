"""A person at the office: a resident asks over Telegram, officers answer from the dashboard."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.storage import answer_outbox, migrations, whatsapp_window
from bot.storage import handover as store
from bot.storage.db import Database
from bot.storage.staff import add_staff
from bot.storage.subscriptions import ensure_subscriber
from tests.support import graph_api as meta
from tests.support.dashboard import PASSWORD, login
from tests.support.dashboard import csrf as _csrf
from tests.support.handover import claimed_over_whatsapp, post_form, whatsapp_with_dashboard
from tests.support.handover import officer as officer_of
from tests.support.shipped import shipped_normalize
from tests.support.telegram_api import FakeTelegram, callback_update, text_update
from tests.support.telegram_harness import Bench, telegram_settings, webhook_bot
from tests.support.whatsapp import ANI, WhatsApp

CHAT = 4242


@pytest.fixture
async def bot(tmp_path: Path, tg: FakeTelegram) -> AsyncIterator[Bench]:
    async with webhook_bot(telegram_settings(tmp_path, tg), tg) as bench:
        await add_staff(bench.service.db, "petugas", PASSWORD)
        await add_staff(bench.service.db, "petugas2", PASSWORD)
        yield bench


def officer(bench: Bench) -> aiohttp.ClientSession:
    assert bench.client is not None
    return officer_of(bench.client)


async def test_a_resident_asks_for_a_person_and_an_officer_answers(bot: Bench, tg: FakeTelegram) -> None:
    asked = await bot.deliver(text_update(1, CHAT, "mau bicara dengan petugas"))
    assert asked.intent == "handover"
    told = tg.sent_to(CHAT)[-1]
    assert "petugas" in told and "119" in told
    async with officer(bot) as first, officer(bot) as second:
        assert await login(first) == 302  # type: ignore[arg-type]
        assert await login(second, username="petugas2") == 302  # type: ignore[arg-type]
        queue = await (await first.get("/dashboard/conversations")).text()
        found = re.search(r'href="/dashboard/conversations/(\d+)"', queue)
        assert found, queue
        page = f"/dashboard/conversations/{found[1]}"
        opened = await (await first.get(page)).text()
        assert "mau bicara dengan petugas" in opened and str(CHAT) not in opened  # no platform id shown
        held = await post_form(first, page, f"{page}/claim")
        assert 'id="reply"' in held
        refused = await post_form(second, page, f"{page}/claim")  # a second officer cannot take it
        assert 'id="error"' in refused and 'id="reply"' not in refused
        case = await store.get(bot.service.db, int(found[1]))
        assert case is not None and case.officer == "petugas"

        await post_form(first, page, f"{page}/reply", text="Halo Bu, saya Rina dari Dinkes. Ada yang bisa dibantu?")
        await bot.channel.drain()  # the reply goes out through the answer outbox, like the bot's answers
        assert tg.sent_to(CHAT)[-1].endswith("Halo Bu, saya Rina dari Dinkes. Ada yang bisa dibantu?")
        stored = [
            r for r in await answer_outbox.rows(bot.service.db, "telegram") if r.update_id.startswith("handover:")
        ]
        assert [(r.chat, r.status) for r in stored] == [(f"telegram:{CHAT}", answer_outbox.SENT)]
        assert "terkirim" in await (await first.get(page)).text()  # the page follows the outbox row
        events = await store.events(bot.service.db, case.id)
        assert [e.delivery for e in events if e.kind == store.OFFICER] == [store.DELIVERED]

        sent_before = len(tg.sent_to(CHAT))
        quiet = await bot.deliver(text_update(2, CHAT, "jadwal imunisasi campak kapan ya"))
        assert quiet.intent == "handover" and quiet.replies == ()
        assert len(tg.sent_to(CHAT)) == sent_before  # the bot said nothing: the officer answers
        new = await (await first.get(f"{page}/events?after={events[-1].id}")).json()
        assert [e["text"] for e in new["events"]] == ["jadwal imunisasi campak kapan ya"]

        await post_form(first, page, f"{page}/close")
        await bot.channel.drain()
        assert "selesai" in tg.sent_to(CHAT)[-1]
        kinds = [(e.kind, e.officer) for e in await store.events(bot.service.db, case.id)]
        assert ("claimed", "petugas") in kinds and ("closed", "petugas") in kinds
    back = await bot.deliver(text_update(3, CHAT, "jadwal imunisasi campak kapan ya"))
    assert back.intent != "handover" and back.replies  # the bot answers again


async def test_a_danger_sign_during_a_handover_gets_119_at_once(bot: Bench, tg: FakeTelegram) -> None:
    await bot.deliver(text_update(1, CHAT, "admin tolong"))
    case = await store.current(bot.service.db, f"telegram:{CHAT}")
    assert case is not None and await store.claim(bot.service.db, case.id, "petugas")
    urgent = await bot.deliver(text_update(2, CHAT, "anak saya kejang dan tidak sadar"))
    assert urgent.intent == "emergency" and "119" in tg.sent_to(CHAT)[-1]
    still = await bot.deliver(text_update(3, CHAT, "baik bu, terima kasih"))
    assert still.intent == "handover"  # the officer still holds the chat afterwards


async def test_the_button_after_a_fallback_opens_a_handover(bot: Bench, tg: FakeTelegram) -> None:
    fallback = await bot.deliver(text_update(1, CHAT, "berapa harga rendang di pasar"))
    assert "handover:open" in [b.payload for r in fallback.replies for b in r.buttons]
    pressed = await bot.deliver(callback_update(2, CHAT, "handover:open"))
    assert pressed.intent == "handover"
    assert await store.current(bot.service.db, f"telegram:{CHAT}") is not None


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("mau bicara dengan petugas", True),
        ("admin tolong", True),
        ("bisa chat sama orang?", True),
        ("saya mau ngobrol sama admin", True),
        ("hubungkan ke petugas dong", True),
        ("sambungin ke admin manusia dong", True),
        ("tolong alihkan ke operator", True),
        ("aku pengen ngomong sm petugasnya aja", True),
        ("ada cs yg beneran?", True),
        ("bisa ngobrol sama dokter beneran ga?", True),
        ("can I speak to a real person please", True),
        ("boleh tak cakap dengan petugas?", True),
        ("cara menghubungi dokter di puskesmas", False),
        ("obat asli atau palsu", False),
        ("saya orang asli pekanbaru, bisa ikut uhc?", False),
        ("ada operator yang bisa saya ajak bicara?", True),
        ("botnya ga ngerti, saya mau sama orang aja", True),
        ("saya butuh bantuan petugas", True),
        ("connect me to an agent please", True),
        ("orang yang kena tbc harus langsung berobat?", False),
        ("apakah petugas posyandu datang ke rumah?", False),
        ("someone in my house has TB, should I get checked?", False),
        ("bantuan langsung tunai dari pemerintah", False),
        ("kamu manusia atau robot?", False),  # asks what the bot is: small talk
        ("ini bot ya? bukan orang?", False),
        ("ini mesin apa manusia betulan sih?", False),  # what the bot is, with "betulan" beside the person
        ("are you a bot or a real human?", False),
        ("kamu robot atau orang? saya mau bicara sama orang saja", True),
        ("petugas puskesmas bilang anak saya harus imunisasi ulang, benar tidak ya dok?", False),
        ("jadwal imunisasi", False),
        ("orang tua saya batuk", False),
        # someone to ask, now; a reply by a person; a health worker by their trade
        ("botnya ga nyambung, ada orang yg bisa bantu?", True),
        ("ada petugas jaga yg bs saya tanya?", True),
        ("ada orang yang bisa bantu daftar bpjs?", False),  # help with a topic the bot answers
        ("admin ada?", True),
        ("petugasnya online ga", True),
        ("admin, jadwal posyandu bulan ini kapan", False),
        ("pak petugas tolong dibalas", True),
        ("wa saya ga dibalas petugas puskesmas", False),  # a complaint, not a request
        ("min tolong balas manual dong jangan otomatis", True),
        ("kak saya mau tanya langsung ke orang aja", True),
        ("mau chat sama nakes", True),
        ("hubungkan saya dengan dokter", True),
        ("orang yg kena dbd bisa sembuh?", False),
        # a longer message that asks for a person in one of its clauses, as a wish; one that tells it happened
        ("sudah tiga kali saya tanya di sini dan masih bingung juga, saya mau bicara dengan petugas saja", True),
        ("Could I talk to an officer please? It is about my mother's card and it cannot wait", True),
        (
            "kemarin saya sudah bicara dengan petugas puskesmas, katanya harus ke dinas, jadi berkas apa yang dibawa?",
            False,
        ),
        # Riau Malay and chat spellings read normalised; a person asked to do it; someone there
        ("ado petugas yang boleh ambo telpon tak?", True),
        ("bisa ngmg sm org beneran gk", True),
        ("tolong diurus sama admin aja ya", True),
        ("saya butuh dibantu admin", True),
        ("jawaban botnya muter2, minta cs aja", True),
        ("halo, ada orangnya ga?", True),
        ("orang bilang vaksin bikin demam, betul?", False),
        ("kamu siapa? org beneran ato mesin", False),  # what the bot is
        ("kata petugas posyandu anak saya harus dibantu bidan, benar?", False),
        ("please connect me to an officer", True),
        ("can you transfer me to a real person", True),
    ],
)
def test_what_counts_as_asking_for_a_person(text: str, asks: bool) -> None:
    from bot.engine.features.handover import asks_for_a_person

    normalize = shipped_normalize()  # as the bot reads it: the message normalised, and each clause of a longer one
    assert asks_for_a_person(text, normalize(text), normalize) is asks


# --- storage, on SQLite and PostgreSQL ---------------------------------------------------------


async def test_two_officers_can_never_both_hold_one_conversation(database: Database) -> None:
    await migrations.upgrade(database)
    case = await store.open_case(database, "telegram:1", "telegram", "id", "admin tolong", datetime.now(UTC))
    again = await store.open_case(database, "telegram:1", "telegram", "id", "halo?", datetime.now(UTC))
    assert again.id == case.id  # one open handover per resident
    won = await asyncio.gather(*(store.claim(database, case.id, f"petugas{i}") for i in range(6)))
    assert sum(won) == 1
    holder = f"petugas{won.index(True)}"
    assert await store.close(database, case.id, "someone-else") is None  # only the holder closes it
    closed = await store.close(database, case.id, holder)
    assert closed is not None and closed.status == store.CLOSED
    assert await store.current(database, "telegram:1") is None
    assert not await store.claim(database, case.id, "late")
    kinds = [(e.kind, e.officer) for e in await store.events(database, case.id)]
    assert kinds == [("opened", None), ("claimed", holder), ("closed", holder)]


# --- WhatsApp: free text inside the 24-hour window, the inviting template outside it ------------


@pytest.fixture
async def wa(tmp_path: Path) -> AsyncIterator[WhatsApp]:
    async with whatsapp_with_dashboard(tmp_path) as bot:
        yield bot


async def _claimed_over_whatsapp(wa: WhatsApp) -> tuple[str, TestClient]:
    page, _case = await claimed_over_whatsapp(wa)
    return page, wa.client


async def test_whatsapp_inside_the_window_gets_the_officers_words(wa: WhatsApp) -> None:
    page, client = await _claimed_over_whatsapp(wa)
    token = _csrf(await (await client.get(page)).text())
    before = len(wa.graph.accepted)
    await client.post(f"{page}/reply", data={"csrf_token": token, "text": "Halo, saya petugas Dinkes."})
    await wa.hook.drain()  # through the answer outbox
    sent = wa.graph.accepted[before:]
    assert [meta.text_of(m) for m in sent] == ["👤 Petugas: Halo, saya petugas Dinkes."]
    assert "terkirim" in await (await client.get(page)).text()
    assert await wa.say(ANI, "terima kasih") == []  # the bot stays quiet while the officer holds the chat


async def test_whatsapp_outside_the_window_sends_the_template_that_invites_a_reply(wa: WhatsApp) -> None:
    page, client = await _claimed_over_whatsapp(wa)
    await ensure_subscriber(wa.service.db, f"whatsapp:{ANI}", "whatsapp")
    await whatsapp_window.close(wa.service.db, f"whatsapp:{ANI}")  # a day has passed
    token = _csrf(await (await client.get(page)).text())
    before = len(wa.graph.accepted)
    await client.post(f"{page}/reply", data={"csrf_token": token, "text": "Maaf baru sempat membalas."})
    sent = wa.graph.accepted[before:]
    assert [m["type"] for m in sent] == ["template"] and sent[0]["template"]["name"] == "pesan_baru"
    shown = await (await client.get(page)).text()
    assert "jendela 24 jam WhatsApp tertutup: warga diundang membalas" in shown
