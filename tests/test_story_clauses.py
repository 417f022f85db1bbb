"""Which clause of a story asks: in a message that marks its questions with "?", a statement that only
mentions "harus" or "bisa" tells what was said; a clause saying what the resident wants still asks; a
question that points back ("itu wajib?") is read with the story told before it. Through `chat --jsonl`."""

from __future__ import annotations

from bot.engine.story import clauses
from tests.support.chat import Chat


async def test_what_someone_said_must_be_done_is_told_not_asked(chat: Chat) -> None:
    result = await chat.say(
        "Saya hamil 4 bulan anak pertama. Selama ini periksa di bidan dekat rumah, belum pernah ke puskesmas. "
        "Mertua bilang harus periksa lab juga. Sebenarnya yang wajib diperiksa apa aja?"
    )
    assert result["intent"] == "anc", result["intent"]


async def test_a_planned_dose_told_in_passing_is_not_the_question(chat: Chat) -> None:
    result = await chat.say(
        "Anak saya 10 bulan, bulan lalu harusnya suntik campak, tapi dari kemarin dia batuk pilek dan ada ruam "
        "merah sedikit. Posyandu minggu depan. Sebaiknya tetap dibawa atau tunggu sembuh dulu?"
    )
    assert result["intent"] == "imunisasi_sakit", result["intent"]


async def test_a_clause_that_says_what_is_wanted_still_asks(chat: Chat) -> None:
    result = await chat.say(
        "Saya kader posyandu baru di kelurahan Tangkerang Barat, bulan depan ikut bantu bidan. Saya mau belajar "
        "jadwal imunisasi dasar lengkap bayi dulu supaya bisa menjelaskan ke warga. Boleh minta rinciannya?"
    )
    assert result["intent"] == "imunisasi_jadwal", result["intent"]


def test_clauses_keep_their_order_and_question_marks() -> None:
    assert clauses("Anak saya 9 bulan. Sudah campak? Kalau belum, di mana ya?") == [
        "Anak saya 9 bulan",
        "Sudah campak?",
        "Kalau belum",
        "di mana ya?",
    ]
