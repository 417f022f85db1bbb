"""Immunization through the chat (the same path as `chat --jsonl`), with expectations read from the content."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.i18n import format_date
from bot.runtime import Runtime
from bot.storage import subscriptions
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.immunization import RAW, expected, in_lang, label_of, months_days, shift
from tests.support.settings import make_settings

TODAY = date(2026, 11, 23)


def labels_at(age: str) -> list[str]:
    return [
        label_of(d) for v in RAW["vaccines"] if not v.get("provinces") for d in v["doses"] if str(d.get("age")) == age
    ]


def vaccine_named(name: str) -> dict:
    return next(v for v in RAW["vaccines"] if name in v["names"])


@pytest.fixture
def talk(service: Runtime) -> Chat:
    return Chat(service, today=TODAY)


@pytest.mark.parametrize(
    ("question", "age"),
    [
        ("imunisasi apa untuk bayi 2 bulan?", "2 bulan"),
        ("bayi 2 bln imunisasi apa aja", "2 bulan"),
        ("imunisasi bayi dua bulan", "2 bulan"),
        ("umur 9 bln vaksin apa", "9 bulan"),
        ("anak 1,5 tahun imunisasi apa", "18 bulan"),
        ("18 bulan imunisasinya apa ya", "18 bulan"),
        ("anak sy umur 4 bulan hrs imunisasi apa", "4 bulan"),
    ],
)
async def test_due_at_an_age(talk: Chat, question: str, age: str) -> None:
    result = await talk.say(question)
    assert result["intent"] == "imunisasi_usia"
    first_block = text_of(result).split("\n\n")[0]
    for label in labels_at(age):
        assert label in first_block
    assert "gratis" in text_of(result)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("kapan BCG?", "bcg"),
        ("bcg kapan ya kak", "bcg"),
        ("kpn vaksin campak", "campak"),
        ("vaksin rotavirus kapan", "rota"),
        ("campaknya kapan ya", "campak"),  # the vaccine with its "-nya"
    ],
)
async def test_when_a_vaccine_is_given(talk: Chat, question: str, name: str) -> None:
    result = await talk.say(question)
    assert result["intent"] == "imunisasi_vaksin"
    vaccine = vaccine_named(name)
    text = text_of(result)
    assert in_lang(vaccine["name"]) in text
    for dose in vaccine["doses"]:
        assert label_of(dose) in text
        if "age" in dose and "age_text" not in dose:
            assert str(dose["age"]) in text


async def test_rotavirus_answer_states_its_limits(talk: Chat) -> None:
    text = text_of(await talk.say("kapan vaksin rotavirus"))
    last = next(d for d in vaccine_named("rota")["doses"] if "max_age" in d)
    assert last["max_age"] in text
    assert "4 minggu" in text


@pytest.mark.parametrize(
    "question",
    [
        "anak saya lahir 3 Agustus 2026, imunisasi berikutnya apa?",
        "anak saya lahir 03-08-2026 imunisasi selanjutnya apa",
        "lahir 3/8/26 imunisasi berikutnya",
        "anak lahir tgl 3 agustus, imunisasinya kapan lagi",
        "lahir 3 agt 2026 jadwal imunisasinya",
        "tolong dijadwalin imunisasinya, lahirnya 03/08/2026",  # a date in digits is a date, not three numbers
    ],
)
async def test_personal_schedule_from_any_date_spelling(talk: Chat, question: str) -> None:
    result = await talk.say(question)
    assert result["intent"] == "imunisasi_pribadi"
    text = text_of(result)
    birth = date(2026, 8, 3)
    assert format_date(birth, "id") in text  # "Senin, 3 Agustus 2026"
    want = expected(birth, TODAY)
    due = [e for e in want.values() if e.group == "due"]
    coming = sorted({e.on for e in want.values() if e.group == "coming"})
    assert due and all(e.label in text for e in due)
    assert all(format_date(day, "id") in text for day in coming)
    assert "imun:remind:yes" in payloads_of(result)


async def test_guided_step_asks_for_the_birth_date(talk: Chat) -> None:
    asked = await talk.say("jadwal imunisasi anak saya")
    assert asked["intent"] == "imunisasi_pribadi"
    assert "tanggal lahir" in text_of(asked).lower()
    answered = await talk.say("17 september 2026")
    assert answered["intent"] == "imunisasi_pribadi"
    assert format_date(date(2026, 9, 17), "id") in text_of(answered)


@pytest.mark.parametrize("typed", ["3 Agustus 2027", "12 mei 1850", "31-02-2026"])
async def test_impossible_birth_dates_get_a_question_not_a_crash(talk: Chat, typed: str) -> None:
    result = await talk.say(f"anak saya lahir {typed} imunisasi berikutnya apa")
    assert result["intent"] == "imunisasi_pribadi"
    assert "?" in text_of(result) or "ketik" in text_of(result).lower()
    # The step stays open: the corrected date is understood on its own.
    fixed = await talk.say("3 agustus 2026")
    assert format_date(date(2026, 8, 3), "id") in text_of(fixed)


async def test_child_older_than_the_infant_schedule(talk: Chat) -> None:
    limit = months_days(RAW["personal_until"])
    birth = shift(TODAY, limit, -1) - timedelta(days=30)
    result = await talk.say(f"anak saya lahir {birth:%d-%m-%Y} imunisasi apa")
    assert "BIAS" in text_of(result)
    assert "intent:imunisasi_bias" in payloads_of(result)


async def test_reminder_is_stored_only_when_the_parent_says_yes(service: Runtime) -> None:
    parent = Chat(service, user="ibu_ani", today=TODAY)
    await parent.say("anak saya lahir 3 Agustus 2026")
    done = await parent.say("ya, Adik Budi")
    assert "Adik Budi" in text_of(done)
    rows = await subscriptions.child_reminders(service.db, "console:ibu_ani")
    assert [(r.birth_date, r.nickname) for r in rows] == [(date(2026, 8, 3), "Adik Budi")]

    other = Chat(service, user="ibu_sri", today=TODAY)
    await other.say("lahir 10/10/2026 imunisasi berikutnya")
    no = await other.say("tidak")
    assert no["intent"] == "imunisasi_pribadi"
    assert await subscriptions.child_reminders(service.db, "console:ibu_sri") == []

    third = Chat(service, user="pak_joko", today=TODAY)
    await third.say("anak lahir 1 oktober 2026")
    pressed = await third.say("@btn imun:remind:yes")
    assert "1 Oktober 2026" in text_of(pressed)
    rows = await subscriptions.child_reminders(service.db, "console:pak_joko")
    assert [(r.birth_date, r.nickname) for r in rows] == [(date(2026, 10, 1), None)]
    # Saying yes again for the same child does not store it twice.
    await third.say("anak lahir 1 oktober 2026")
    await third.say("iya")
    assert len(await subscriptions.child_reminders(service.db, "console:pak_joko")) == 1


@pytest.mark.parametrize(
    ("question", "intent", "must"),
    [
        ("anak saya telat imunisasi, gimana?", "imunisasi_kejar", "puskesmas"),
        ("anak sy tlat imunisasi gmn", "imunisasi_kejar", "puskesmas"),
        ("imunisasi kejar", "imunisasi_kejar", "Buku KIA"),
        ("vaksin HPV untuk siapa?", "imunisasi_bias", "perempuan"),
        ("hpv buat anak kelas berapa", "imunisasi_bias", "Kelas 5"),
        ("imunisasi anak sekolah", "imunisasi_bias", "BIAS"),
        ("demam setelah imunisasi", "imunisasi_kipi", "119"),
        ("anak panas abis imunisasi", "imunisasi_kipi", "puskesmas"),
        ("efek samping vaksin", "imunisasi_kipi", "Sumber"),
        ("jadwal imunisasi lengkap", "imunisasi_jadwal", "Kelas 1"),
        ("imunisasi gratis?", "imunisasi", "gratis"),
        ("imunisasi di puskesmas bayar gak", "imunisasi", "gratis"),
        ("bayi kejang setelah imunisasi", "emergency", "119"),
        ("imunisasi bayi baru lahir apa", "imunisasi_usia", "HB0"),
        ("arti imunisasi dasar lengkap apa ya", "imunisasi", "sebelum umur 1 tahun"),  # what "lengkap" means
        ("vaksin flu untuk anak ada di puskesmas?", "imunisasi_tambahan", "influenza"),  # not a child with the flu
    ],
)
async def test_topic_questions(talk: Chat, question: str, intent: str, must: str) -> None:
    result = await talk.say(question)
    assert result["intent"] == intent
    assert must in text_of(result)


async def test_catch_up_lists_the_content_limits(talk: Chat) -> None:
    text = text_of(await talk.say("anak saya telat imunisasi"))
    for vaccine in RAW["vaccines"]:
        if vaccine.get("catch_up"):
            assert " ".join(in_lang(vaccine["catch_up"]).split())[:40] in " ".join(text.split())


async def test_whole_schedule_lists_every_dose_by_age(talk: Chat) -> None:
    text = text_of(await talk.say("jadwal imunisasi lengkap"))
    for vaccine in RAW["vaccines"]:
        for dose in vaccine["doses"]:
            assert label_of(dose) in text
    assert "IDAI" in text


async def test_changing_a_dose_age_in_content_changes_the_answer(content_dir: Path, tmp_path: Path) -> None:
    service = await Runtime.open(make_settings(tmp_path, content=content_dir), watch_interval=None)
    try:
        chat = Chat(service, today=TODAY)
        before = text_of(await chat.say("anak saya lahir 3 Agustus 2026"))
        last_dated = next(d for v in RAW["vaccines"] for d in v["doses"] if str(d.get("age")) == "12 bulan")
        assert format_date(date(2027, 8, 3), "id") in before
        path = content_dir / "immunization.yaml"
        old = f"{{label: {label_of(last_dated)}, age: 12 bulan}}"
        source = path.read_text(encoding="utf-8")
        assert old in source
        path.write_text(source.replace(old, f"{{label: {label_of(last_dated)}, age: 15 bulan}}"), encoding="utf-8")
        assert service.holder.reload()
        after = text_of(await chat.say("anak saya lahir 3 Agustus 2026"))
        assert format_date(date(2027, 11, 3), "id") in after
        assert format_date(date(2027, 8, 3), "id") not in after
        at_15 = text_of(await chat.say("imunisasi umur 15 bulan apa"))
        assert label_of(last_dated) in at_15.split("\n\n")[0]
    finally:
        await service.close()


async def test_a_broken_schedule_edit_is_refused_with_its_line(content_dir: Path) -> None:
    from bot.knowledge.content import load_content

    path = content_dir / "immunization.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("age: 9 bulan}", "age: sembilan bulan}", 1), "utf-8")
    content, problems = load_content(content_dir)
    assert content is None
    assert any(p.file == "immunization.yaml" and p.line > 1 and "age" in p.message for p in problems.errors)


async def test_another_question_inside_the_step_is_answered(talk: Chat) -> None:
    await talk.say("jadwal imunisasi anak saya")
    result = await talk.say("anak demam 2 hari setelah imunisasi")
    assert result["intent"] == "imunisasi_kipi"
    await talk.say("jadwal imunisasi anak saya")
    assert (await talk.say("umurnya 4 bulan"))["intent"] == "imunisasi_usia"


async def test_words_said_with_the_yes_are_not_taken_for_a_nickname(service: Runtime) -> None:
    parent = Chat(service, user="ibu_rina", today=TODAY)
    await parent.say("anak saya lahir 5 Oktober 2026")
    done = await parent.say("ok ditunggu ya")
    assert "ditunggu" not in text_of(done).lower().split("imunisasi")[1]  # no child called "ditunggu"
    rows = await subscriptions.child_reminders(service.db, "console:ibu_rina")
    assert [(r.birth_date, r.nickname) for r in rows] == [(date(2026, 10, 5), None)]
    named = Chat(service, user="ibu_wati", today=TODAY)
    await named.say("anak saya lahir 6 Oktober 2026")
    await named.say("iya, namanya dinda")
    rows = await subscriptions.child_reminders(service.db, "console:ibu_wati")
    assert [r.nickname for r in rows] == ["dinda"]
