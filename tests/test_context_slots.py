"""What a follow-up carries from the thread: the vaccine, the child's age or birth date goes along, while the
answer stays the one in hand (or the one the message alone clearly asks for); a statement tells more about
the question in hand. Each conversation is played through the `chat --jsonl` driver, as one user."""

from __future__ import annotations

from datetime import date

from bot.service import BotService
from tests.support.chat import Chat, text_of


async def test_a_short_question_after_side_effects_stays_with_the_side_effects(chat: Chat) -> None:
    first, second = await chat.run("anak saya demam setelah suntik campak kemarin, wajar?", "berapa lama biasanya?")
    assert first["intent"] == "imunisasi_kipi"
    assert second["intent"] == "imunisasi_kipi", second["intent"]  # not the measles vaccine's own entry


async def test_a_message_that_clearly_asks_another_entry_takes_the_vaccine_along(chat: Chat) -> None:
    first, second = await chat.run("vaksin polio diberikan umur berapa", "kalau sudah lewat umurnya bagaimana?")
    assert first["intent"] == "imunisasi_vaksin"
    assert second["intent"] == "imunisasi_kejar", second["intent"]


async def test_when_after_an_age_is_still_about_ages(chat: Chat) -> None:
    await chat.run("bayi 2 bulan imunisasi apa saja", "kalau 3 bulan?")
    result = await chat.say("habis itu kapan lagi?")
    assert result["intent"] == "imunisasi_usia", result["intent"]


async def test_weeks_ago_is_when_not_the_childs_age(chat: Chat) -> None:
    first = await chat.say("2 minggu lalu anak saya disuntik bcg, sekarang bekasnya bernanah")
    assert first["intent"] == "imunisasi_kipi"
    result = await chat.say("perlu diolesi salep?")
    assert result["intent"] == "imunisasi_kipi", result["intent"]
    assert "umur 2 minggu" not in text_of(result).lower()  # no schedule for a child "2 weeks old"


async def test_a_statement_keeps_the_question_in_hand(chat: Chat) -> None:
    first = await chat.say("pindah dari dumai ke pekanbaru, bpjs saya gimana")
    assert first["intent"] == "uhc_pindah"
    result = await chat.say("saya peserta bpjs mandiri kelas 2")
    assert result["intent"] == "uhc_pindah", result["intent"]  # it tells, it does not ask the fees


async def test_a_statement_that_changes_which_answer_fits_gets_that_answer(chat: Chat) -> None:
    await chat.say("cara daftar uhc gimana")
    result = await chat.say("saya karyawan pabrik")
    assert result["intent"] == "uhc_karyawan", result["intent"]


async def test_what_a_resident_wants_is_a_new_question_not_a_statement(chat: Chat) -> None:
    await chat.say("kartu bpjs saya nonaktif")
    result = await chat.say("saya mau daftar uhc pemko")
    assert result["intent"] == "uhc_daftar", result["intent"]


async def test_a_question_that_points_back_is_about_the_answer_in_hand(chat: Chat) -> None:
    """ "-nya" points at the thread: "obatnya" after blood pressure control is that medicine, not a puskesmas."""
    first = await chat.say("penderita darah tinggi harus kontrol tiap bulan?")
    assert first["intent"] == "ptm_kontrol"
    for question in ("obatnya ada di puskesmas ga?", "obatnya gratis kalau pakai bpjs?"):
        result = await chat.say(question)
        assert result["intent"] == "ptm_kontrol", (question, result["intent"])


async def test_a_slight_question_after_the_hiv_test_asks_about_the_test(chat: Chat) -> None:
    """ "ktp" is UHC's word, but "harus pakai ktp?" after the HIV test asks about the test."""
    first = await chat.say("saya ingin tes hiv")
    assert first["intent"] == "hiv"
    result = await chat.say("harus pakai ktp?")
    assert result["intent"] == "hiv", result["intent"]


async def test_a_whole_new_question_still_leaves_the_thread(chat: Chat) -> None:
    await chat.say("saya ingin tes hiv")
    result = await chat.say("cara daftar bpjs gratis pemko")
    assert result["intent"].startswith("uhc"), result["intent"]


async def test_when_a_vaccine_is_due_after_a_childs_schedule_is_that_childs_date(service: BotService) -> None:
    chat = Chat(service, today=date(2026, 11, 30))
    first = await chat.say("anak saya lahir 3 september 2026, jadwal imunisasinya?")
    assert first["intent"] == "imunisasi_pribadi"
    result = await chat.say("kalau yang campak kapan?")
    assert result["intent"] == "imunisasi_pribadi", result["intent"]
    assert "3 Juni 2027" in text_of(result)  # MR 1 at 9 months of this child
