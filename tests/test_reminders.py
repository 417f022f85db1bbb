"""The chat side: /pengingat, berhenti from anywhere, /siaran only for cadres and only to their own area."""

from __future__ import annotations

from datetime import date

from bot.runtime import Runtime
from bot.storage import broadcasts, outbox, roles, subscriptions
from tests.support.chat import Chat, payloads_of, text_of

TODAY = date(2026, 11, 23)


async def test_subscribe_by_kelurahan_name_then_stop_then_again(service: Runtime) -> None:
    chat = Chat(service, user="warga1", today=TODAY)
    await chat.say("/pengingat")
    done = await chat.say("Kampung Melayu")
    assert "Kampung Melayu" in text_of(done)
    row = await subscriptions.subscriber(service.db, "console:warga1")
    assert row is not None and row.active and row.kelurahan_code == "14.71.01.1004"
    stopped = await chat.say("berhenti")
    assert stopped["intent"] == "unsubscribe" and "tidak akan menerima" in text_of(stopped)
    row = await subscriptions.subscriber(service.db, "console:warga1")
    assert row is not None and not row.active
    await chat.say("/pengingat")
    await chat.say("Kampung Melayu")
    row = await subscriptions.subscriber(service.db, "console:warga1")
    assert row is not None and row.active


async def test_stop_words_win_inside_another_flow(service: Runtime) -> None:
    chat = Chat(service, user="warga2", today=TODAY)
    await chat.run("/pengingat", "Kampung Melayu", "/pengingat")  # subscribed, and a flow is open again
    for word in ("stop", "/berhenti", "Unsubscribe"):
        result = await chat.say(word)
        assert result["intent"] == "unsubscribe"


async def test_non_cadre_cannot_start_siaran(service: Runtime) -> None:
    chat = Chat(service, user="biasa", today=TODAY)
    result = await chat.say("/siaran")
    assert result["intent"] == "siaran" and "hanya untuk kader" in text_of(result)
    follow = await chat.say("Besok posyandu")  # no flow was opened
    assert follow["intent"] != "siaran"
    pressed = await chat.say("@btn rem:aud:all")
    assert "tidak berlaku" in text_of(pressed)
    assert await broadcasts.broadcasts_of(service.db, None) == []


async def test_cadre_reaches_only_their_own_area(service: Runtime) -> None:
    db = service.db
    for i in range(3):
        await subscriptions.subscribe_area(db, f"telegram:{i}", "telegram", "id", "14.71.01.1004")
    for i in range(3, 8):
        await subscriptions.subscribe_area(db, f"telegram:{i}", "telegram", "id", "14.71.02.1001")
    await roles.grant(db, "console:kader", roles.CADRE, "14.71.01.1004")
    chat = Chat(service, user="kader", today=TODAY)
    asked = await chat.say("/siaran")
    assert "rem:abort" in payloads_of(asked)
    when = await chat.say("Posyandu Mawar buka Kamis jam 08.00, bawa buku KIA.")
    assert "rem:aud:all" not in payloads_of(when) and "rem:now" in payloads_of(when)
    sneaky = await chat.say("@btn rem:aud:all")  # a cadre cannot pick "everyone" even by hand
    assert "tidak berlaku" in text_of(sneaky)
    await chat.say("/siaran")
    await chat.say("Posyandu Mawar buka Kamis jam 08.00, bawa buku KIA.")
    preview = await chat.say("besok jam 08.00")
    assert "3 orang" in text_of(preview) and "rem:send" in payloads_of(preview)
    confirmed = await chat.say("ya")
    assert "#" in text_of(confirmed)
    (row,) = await broadcasts.broadcasts_of(db, "console:kader")
    assert row.audience == "14.71.01.1004" and row.author_role == "cadre"
    listing = await chat.say("/siaranku")
    assert f"rem:cancel:{row.id}" in payloads_of(listing)
    cancelled = await chat.say(f"@btn rem:cancel:{row.id}")
    assert "dibatalkan" in text_of(cancelled)


async def test_staff_grants_cadre_in_chat_and_cadres_cannot(service: Runtime) -> None:
    await roles.grant(service.db, "console:staf", roles.STAFF, None)
    staff = Chat(service, user="staf", today=TODAY)
    result = await staff.say("/kader telegram:77 14.71.01")
    assert "Sukajadi" in text_of(result)
    grant = await roles.role_of(service.db, "telegram:77")
    assert grant is not None and grant.role == roles.CADRE and grant.may_reach("14.71.01.1004")
    assert not grant.may_reach("14.71.02.1001") and not grant.may_reach(None)
    other = Chat(service, user="bukan", today=TODAY)
    refused = await other.say("/kader telegram:78 14.71.01")
    assert "hanya untuk petugas" in text_of(refused) and await roles.role_of(service.db, "telegram:78") is None
    revoked = await staff.say("/kader hapus telegram:77")
    assert "dicabut" in text_of(revoked) and await roles.role_of(service.db, "telegram:77") is None


async def test_personal_immunization_reminders_three_days_before_and_on_the_day(service: Runtime) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.broadcast import messages

    content = service.holder.current
    zone = ZoneInfo("Asia/Jakarta")
    today = date(2026, 11, 23)
    birth = next(
        today - timedelta(days=n)
        for n in range(1, 400)
        if any(
            due == today + timedelta(days=3) for _, due in messages.doses_due(content, today - timedelta(days=n), today)
        )
    )
    vaccine = next(v.get() for v, due in messages.doses_due(content, birth, today) if due == today + timedelta(days=3))
    db = service.db
    await subscriptions.add_child_reminder(db, "telegram:42", "telegram", birth, "Adik", "id")
    await subscriptions.subscribe_area(db, "telegram:42", "telegram", "id", "14.71.01.1004")
    morning = datetime(2026, 11, 23, 7, 0, tzinfo=zone)
    assert await messages.queue_child_reminders(db, content, morning) >= 1
    assert await messages.queue_child_reminders(db, content, morning) == 0  # never queued twice
    rows = [r for r in await outbox.delivery_rows(db) if r.user_key == "telegram:42"]
    texts = [r.text for r in rows if vaccine in r.text]
    assert texts and "Adik" in texts[0] and "berhenti" in texts[0]
    assert all(outbox.utc(r.next_attempt_at).astimezone(zone).hour == 8 for r in rows)  # not before 08:00
    # on the due day itself, another one; at night nothing; after "berhenti" nothing
    due_day = datetime.combine(today + timedelta(days=3), datetime.min.time(), tzinfo=zone).replace(hour=9)
    assert await messages.queue_child_reminders(db, content, due_day.replace(hour=21)) == 0
    await subscriptions.unsubscribe(db, "telegram:42")
    assert await messages.queue_child_reminders(db, content, due_day) == 0
    await subscriptions.ensure_subscriber(db, "telegram:42", "telegram", "id")
    assert await messages.queue_child_reminders(db, content, due_day) >= 1


async def test_an_english_parent_gets_the_dose_label_in_english(service: Runtime) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from bot.broadcast import messages

    content = service.holder.current
    today = date(2026, 11, 23)

    def translated_due(birth: date) -> list[tuple[str, str]]:
        due = messages.doses_due(content, birth, today)
        return [
            (v.get("id"), v.get("en")) for v, on in due if on == today + timedelta(days=3) and v.get("en") != v.get()
        ]

    birth = next(today - timedelta(days=n) for n in range(1, 400) if translated_due(today - timedelta(days=n)))
    indonesian, english = translated_due(birth)[0]  # e.g. "Polio tetes 2" / "Oral polio 2 (OPV)"
    await subscriptions.add_child_reminder(service.db, "telegram:43", "telegram", birth, None, "en")
    morning = datetime(2026, 11, 23, 7, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert await messages.queue_child_reminders(service.db, content, morning) >= 1
    texts = [r.text for r in await outbox.delivery_rows(service.db) if r.user_key == "telegram:43"]
    assert any(english in t for t in texts) and not any(indonesian in t for t in texts)


async def test_a_birth_date_typed_when_asked_for_a_kelurahan_gets_the_childs_schedule(service: Runtime) -> None:
    chat = Chat(service, today=date(2026, 11, 30))
    asked = await chat.say("tolong ingatkan jadwal imunisasi anak saya lewat wa")
    assert asked["intent"] == "pengingat"
    # The bot asked for a kelurahan; a birth date is the child's own schedule, not an unknown kelurahan.
    result = await chat.say("lahirnya 2 oktober 2026")
    assert result["intent"] == "imunisasi_pribadi", result["intent"]
    assert "kelurahan itu belum saya kenal" not in text_of(result)
