"""Follow-ups keep the thread: short elliptical messages are read against what the conversation is about.

Each test plays a conversation through the `chat --jsonl` driver, as one user.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.engine.types import Inbound
from bot.service import BotService
from tests.support.chat import Chat, text_of

TODAY = date(2026, 11, 30)


async def test_another_age_after_an_age_question(chat: Chat) -> None:
    first, second = await chat.run("imunisasi bayi 4 bulan apa", "yang 9 bulan?")
    assert first["intent"] == "imunisasi_usia"
    assert "4 bulan" in text_of(first)
    assert second["intent"] == "imunisasi_usia"
    assert "9 bulan" in text_of(second)
    assert "MR" in text_of(second) or "campak" in text_of(second).lower()


async def test_a_question_after_choosing_a_language_stands_alone(chat: Chat) -> None:
    """Pressing English is a setting, not a topic: the next question is not read as a follow-up to it."""
    for switch in ("@btn lang:en", "english please", "/bahasa"):
        await chat.say(switch)
        out = await chat.say("vaccines by blorp")
        assert out["intent"] != "bahasa", (switch, out)
        await chat.say("menu")


async def test_how_many_times_after_a_vaccine_question_is_about_that_vaccine(chat: Chat) -> None:
    first, second = await chat.run("vaksin rotavirus untuk apa", "berapa kali?")
    assert first["intent"] == "imunisasi_vaksin"
    assert second["intent"] == "imunisasi_vaksin"
    assert "Rotavirus" in text_of(second) or "rotavirus" in text_of(second)
    assert "PCV" not in text_of(second).split("\n")[0]


async def test_missed_doses_after_a_personal_schedule_are_that_childs(service: BotService) -> None:
    chat = Chat(service, today=TODAY)
    first = await chat.say("anak saya lahir 10 mei 2026, jadwal imunisasinya?")
    assert first["intent"] == "imunisasi_pribadi"
    missed = await chat.say("yang terlewat apa?")
    assert missed["intent"] in {"imunisasi_kejar", "imunisasi_pribadi"}
    assert "10 Mei 2026" in text_of(missed)  # the same child's own schedule, not the general catch-up rules


async def test_a_whole_question_after_a_personal_schedule_leaves_it(service: BotService) -> None:
    """ "puskesmas terdekat" weighs little, but says all the nearest-puskesmas entry asks: it is no follow-up
    to the child's schedule (it was read as one, asking the birth date again, in round 8's content)."""
    chat = Chat(service, today=TODAY)
    first = await chat.say("anak saya lahir 3 agustus 2026, imunisasi apa saja")
    assert first["intent"] == "imunisasi_pribadi"
    await chat.say("tidak")  # no reminders
    nearest = await chat.say("puskesmas terdekat")
    assert nearest["intent"] == "puskesmas", nearest
    # The same thread again: its own follow-up still reads against the child.
    again = await chat.say("anak saya lahir 3 agustus 2026, imunisasi apa saja")
    assert again["intent"] == "imunisasi_pribadi"
    missed = await chat.say("yang terlewat apa?")
    assert "3 Agustus 2026" in text_of(missed)


async def test_the_first_of_the_nearest_list_by_ordinal(chat: Chat) -> None:
    nearest = await chat.say("@loc 0.5255 101.4440")
    first_name = text_of(nearest).split("1. Puskesmas ", 1)[1].split(" —")[0].split("\n")[0]
    result = await chat.say("yang pertama buka sabtu?")
    assert result["intent"].startswith("puskesmas")
    assert first_name in text_of(result)
    assert "Sabtu" in text_of(result) or "sabtu" in text_of(result)


async def test_nearest_igd_from_the_same_location(chat: Chat) -> None:
    await chat.say("@loc 0.5255 101.4440")
    result = await chat.say("IGD yang dekat?")
    # Danger detection may read it as an emergency; either way the IGDs near the shared location are given.
    assert result["intent"] in {"rumah_sakit", "emergency"}
    assert "terdekat dari lokasi Anda" in text_of(result) or "IGD terdekat:" in text_of(result)


async def test_where_to_register_stays_in_uhc(chat: Chat) -> None:
    first = await chat.say("cara daftar uhc gratis pemko")
    assert first["intent"].startswith("uhc")
    result = await chat.say("daftarnya di mana?")
    assert result["intent"].startswith("uhc"), result["intent"]


async def test_a_new_topic_wins_over_the_context(chat: Chat) -> None:
    await chat.say("vaksin rotavirus untuk apa")
    result = await chat.say("puskesmas di kecamatan tampan")
    assert result["intent"].startswith("puskesmas")
    other = await chat.say("cara daftar bpjs gratis")
    assert other["intent"].startswith("uhc")


async def test_the_context_expires(service: BotService) -> None:
    user = "console:expiring"
    start = datetime(2026, 11, 30, 2, 0, tzinfo=__import__("datetime").UTC)
    await service.handle(Inbound(user, "console", text="vaksin rotavirus untuk apa", at=start))
    late = await service.handle(Inbound(user, "console", text="berapa kali?", at=start + timedelta(hours=2)))
    assert "Rotavirus" not in "\n".join(r.text for r in late.replies).split("\n")[0]


async def test_where_to_register_follows_the_topic_in_hand(chat: Chat) -> None:
    first = await chat.say("apa itu cek kesehatan gratis")
    assert first["intent"] == "ckg"
    result = await chat.say("daftarnya di mana?")
    assert result["intent"] == "ckg_daftar"  # alone, this reads as UHC registration


async def test_a_two_word_follow_up_stays_with_the_topic_in_hand(chat: Chat) -> None:
    first = await chat.say("hiv menular lewat apa saja")
    assert first["intent"] == "hiv_penularan"
    # Alone, "lewat apa lagi" reads as another topic with full confidence; here it asks about HIV again.
    result = await chat.say("terus lewat apa lagi")
    assert result["intent"] == "hiv_penularan", result["intent"]


async def test_a_short_message_without_its_own_topic_is_not_answered_on_another_topic(chat: Chat) -> None:
    first = await chat.say("darah tinggi harus kontrol rutin?")
    assert first["intent"] == "ptm_kontrol"
    # "obatnya ada di puskesmas?" alone is the puskesmas list; after blood pressure it may be either: ask.
    result = await chat.say("obatnya dapat di puskesmas?")
    assert result["intent"] in {"ptm_kontrol", "clarify"}, result["intent"]
    if result["intent"] == "clarify":
        assert result["replies"][0]["buttons"][0]["payload"] == "intent:ptm_kontrol"


async def test_a_follow_up_asks_another_entry_of_the_same_topic_about_the_same_place(chat: Chat) -> None:
    first = await chat.say("alamat puskesmas rejosari di mana")
    assert first["intent"] == "puskesmas_cari"
    # "jam" asks for the opening hours entry, and the answer is about the puskesmas just shown.
    hours = await chat.say("jam bukanya?")
    assert hours["intent"] == "puskesmas_jam"
    assert "Rejosari" in text_of(hours)


async def test_a_question_while_asked_for_an_area_is_answered(chat: Chat) -> None:
    asked = await chat.say("puskesmas di kelurahan xyz dimana")
    assert "Coba ketik nama kelurahan" in text_of(asked)
    # The bot asked where; "jam buka sabtu?" is not an area but another question, answered as one.
    result = await chat.say("jam buka sabtu?")
    assert result["intent"] == "puskesmas_jam"
    assert "Coba ketik nama kelurahan" not in text_of(result)


async def test_a_duration_after_a_side_effect_is_not_an_age(chat: Chat) -> None:
    await chat.say("bayi saya demam setelah imunisasi")
    result = await chat.say("sudah 2 hari belum turun")
    assert result["intent"] != "imunisasi_usia"
    assert "umur 2 hari" not in text_of(result)


async def test_a_missed_dose_stays_a_missed_dose(chat: Chat) -> None:
    first = await chat.say("anak saya telat imunisasi, umurnya 6 bulan")
    assert first["intent"] == "imunisasi_kejar"
    result = await chat.say("mulainya dari mana?")
    assert result["intent"] == "imunisasi_kejar"


async def test_a_word_two_topics_use_does_not_leave_the_topic_in_hand(chat: Chat) -> None:
    first = await chat.say("anak saya kurus, bisa dapat makanan tambahan dari puskesmas?")
    assert first["intent"] == "pertumbuhan_anak"
    # "syarat" is mostly UHC's word, but it names no topic of its own: it asks about the answer in hand.
    result = await chat.say("syaratnya apa?")
    assert not result["intent"].startswith("uhc"), result["intent"]


async def test_a_school_class_after_school_immunization_is_not_a_hospital_class(chat: Chat) -> None:
    await chat.say("imunisasi bias itu untuk kelas berapa")
    result = await chat.say("kalau kelas 6?")
    assert result["intent"] == "imunisasi_bias"


async def test_a_statement_that_tells_more_keeps_the_question_in_hand(chat: Chat) -> None:
    first = await chat.say("kartu bpjs saya tidak aktif lagi")
    assert first["intent"] == "uhc_nonaktif"
    # A statement, not a question: it says more about the inactive card, it does not ask what PBI is.
    result = await chat.say("dulu saya peserta pbi dari pemerintah")
    assert result["intent"] == "uhc_nonaktif"


async def test_after_an_emergency_a_place_asks_for_the_hospitals_it_listed(chat: Chat) -> None:
    first = await chat.say("tolong anak saya kejang kejang sekarang")
    assert first["intent"] == "emergency"
    result = await chat.say("yang dekat tangkerang?")
    assert result["intent"] == "rumah_sakit", result["intent"]
    assert "119" in text_of(result)
