"""The six questions of the issue, and everyday/slang variants, answered through the chat like `chat --jsonl`."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from tests.support.chat import Chat, payloads_of, text_of

# (what residents type, the intent, what the answer must say)
QUESTIONS = [
    # the six questions of the issue
    ("apakah saya bisa berobat gratis pakai KTP?", "uhc", ["KTP", "Pekanbaru"]),
    ("cara daftar BPJS gratis dari pemkot", "uhc_daftar", ["KTP", "Kartu Keluarga", "puskesmas", "hari yang sama"]),
    ("BPJS saya nonaktif, bagaimana?", "uhc_nonaktif", ["HRD", "Dinas Sosial", "0811-8165-165"]),
    ("saya karyawan, bisa ikut UHC?", "uhc_karyawan", ["pemberi kerja", "PPU"]),
    ("cek status BPJS", "uhc_status", ["Mobile JKN", "0811-8165-165", "0811-8750-400", "165"]),
    ("kelas berapa kalau UHC?", "uhc_kelas", ["kelas III", "KRIS"]),
    # the same, as people type them in chat
    ("bisa berobat gratis pake ktp gak kak", "uhc", ["KTP"]),
    ("berobat gratis cukup ktp?", "uhc", ["KTP"]),
    ("sy mau daftar bpjs gratis dari pemkot caranya gmn", "uhc_daftar", ["Kartu Keluarga"]),
    ("cara ngurus bpjs gratis pemkot", "uhc_daftar", ["Kartu Keluarga"]),
    ("bpjs aku ga aktif lg, hrs gmn", "uhc_nonaktif", ["HRD"]),
    ("kartu bpjs sy gak bisa dipake", "uhc_nonaktif", ["HRD"]),
    ("aku kerja di pabrik, bisa dpt bpjs gratis gak", "uhc_karyawan", ["pemberi kerja"]),
    ("sy pegawai swasta bs ikut uhc?", "uhc_karyawan", ["pemberi kerja"]),
    ("cek bpjs aktif ga", "uhc_status", ["0811-8750-400"]),
    ("gimana cara cek status bpjs ku", "uhc_status", ["Mobile JKN"]),
    ("uhc kls brp min", "uhc_kelas", ["KRIS"]),
    ("bpjs gratis dpt kelas brp", "uhc_kelas", ["kelas III"]),
    ("iuran bpjs kls 1 brp", "jkn_iuran", ["Rp150.000", "Rp42.000"]),
    ("bawa apa aja buat daftar bpjs gratis", "uhc_dokumen", ["KTP", "Kartu Keluarga"]),
]


@pytest.mark.parametrize(("question", "intent", "says"), QUESTIONS)
async def test_question_is_answered(service: Runtime, question: str, intent: str, says: list[str]) -> None:
    result = await Chat(service, user="q").say(question)
    assert result["intent"] == intent, question
    text = text_of(result)
    for fact in says:
        assert fact in text, (question, fact)
    assert "uhc:start" in payloads_of(result) or "uhc:ktp:0" in payloads_of(result)


async def test_fact_answers_name_their_source_and_review_date(service: Runtime) -> None:
    for question, intent, _ in QUESTIONS:
        if intent == "uhc":
            continue
        text = text_of(await Chat(service, user="src").say(question))
        assert "Sumber:" in text and "diperiksa" in text, question


async def test_no_answer_ever_asks_for_a_nik(service: Runtime) -> None:
    """The bot may warn about a NIK; it must never ask for one."""
    for question, _, _ in QUESTIONS:
        text = text_of(await Chat(service, user="nik").say(question)).lower()
        assert "kirim nik" not in text.replace("jangan kirim nik", "")
        assert "masukkan nik" not in text and "ketik nik" not in text


async def test_the_menu_button_opens_the_check(chat: Chat) -> None:
    menu = await chat.say("menu")
    assert "intent:uhc" in payloads_of(menu)
    result = await chat.say("@btn intent:uhc")
    assert result["intent"] == "uhc" and "uhc:ktp:0" in payloads_of(result)
