"""Which clause of a story asks: in a message that marks its questions with "?", a statement that only
mentions "harus" or "bisa" tells what was said; a clause saying what the resident wants still asks; a
question that points back ("itu wajib?") is read with the story told before it. Through `chat --jsonl`."""

from __future__ import annotations

import pytest

from bot.engine.story import clauses
from tests.support.chat import Chat

STORIES = [
    pytest.param(  # "Mertua bilang harus periksa lab juga." tells what was said
        "Saya hamil 4 bulan anak pertama. Selama ini periksa di bidan dekat rumah, belum pernah ke puskesmas. "
        "Mertua bilang harus periksa lab juga. Sebenarnya yang wajib diperiksa apa aja?",
        "anc",
        id="told-must-is-not-asked",
    ),
    pytest.param(  # the dose that was due is told in passing; the question is whether to come while ill
        "Anak saya 10 bulan, bulan lalu harusnya suntik campak, tapi dari kemarin dia batuk pilek dan ada ruam "
        "merah sedikit. Posyandu minggu depan. Sebaiknya tetap dibawa atau tunggu sembuh dulu?",
        "imunisasi_sakit",
        id="planned-dose-told-in-passing",
    ),
    pytest.param(  # "Saya mau belajar jadwal ..." says what is wanted: it asks, though it ends with a full stop
        "Saya kader posyandu baru di kelurahan Tangkerang Barat, bulan depan ikut bantu bidan. Saya mau belajar "
        "jadwal imunisasi dasar lengkap bayi dulu supaya bisa menjelaskan ke warga. Boleh minta rinciannya?",
        "imunisasi_jadwal",
        id="what-is-wanted-asks",
    ),
    # A short message: a question with a clause told beside it, which dilutes it as a story's words do.
    pytest.param("posyandu tu ape? jiran ambo cakap ade tiap bulan", "posyandu", id="short-question-and-aside"),
    pytest.param("stunting itu apa ya? anak sy 3 thn badannya kecil", "stunting", id="short-question-then-told"),
]


@pytest.mark.parametrize(("told", "intent"), STORIES)
async def test_the_clause_that_asks_is_answered(chat: Chat, told: str, intent: str) -> None:
    result = await chat.say(told)
    assert result["intent"] == intent, result["intent"]


def test_clauses_keep_their_order_and_question_marks() -> None:
    assert clauses("Anak saya 9 bulan. Sudah campak? Kalau belum, di mana ya?") == [
        "Anak saya 9 bulan",
        "Sudah campak?",
        "Kalau belum",
        "di mana ya?",
    ]
    assert clauses("anak 1,5 thn, imunisasi apa aja") == ["anak 1,5 thn", "imunisasi apa aja"]  # a number
