"""The understanding: normaliser, danger signs, matcher, and how the dialogue uses them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.engine import topic_net
from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.engine.understanding import CONFIDENT, UNSURE, Understanding
from bot.knowledge.check import check_directory
from tests.support.chat import Chat, payloads_of, text_of
from tests.support.settings import CONTENT
from tests.support.shipped import shipped_content


@pytest.fixture(scope="module")
def u() -> Understanding:
    return Understanding(shipped_content())


# --- the normaliser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anak sy umur 2 bln", "anak saya umur 2 bulan"),
        ("gmn caranya, udh blm?", "bagaimana caranya sudah belum"),
        ("pkm terdekat dmn", "puskesmas terdekat dimana"),
        ("bumil", "ibu hamil"),
        ("gak aktif", "nonaktif"),  # two passes: gak -> tidak, then "tidak aktif" -> nonaktif
        ("tensi tinggi", "hipertensi"),
        ("DBD!!!", "demam berdarah"),
    ],
)
def test_slang_and_abbreviations_become_standard_words(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


def test_case_punctuation_and_stretched_letters(u: Understanding) -> None:
    assert u.normalize("  TOLONGGG dong KAKKK...?? ") == "tolong dong kak"
    assert u.normalize("maaaf") == "maaf"  # a real double letter survives
    assert u.normalize("imunisasiii") == "imunisasi"


def test_reduplication_and_glued_numbers(u: Understanding) -> None:
    assert u.normalize("anak2") == "anak"
    assert u.normalize("kejang-kejang") == "kejang"
    assert u.normalize("umur 9bln") == "umur 9 bulan"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("dua bulan", "2 bulan"),
        ("sembilan bulan", "9 bulan"),
        ("dua belas bulan", "12 bulan"),
        ("delapan belas bulan", "18 bulan"),
        ("tiga puluh lima tahun", "35 tahun"),
        ("dua puluh tahun", "20 tahun"),
        ("seratus", "100"),
        ("sebulan", "1 bulan"),
        ("setahun", "1 tahun"),
    ],
)
def test_number_words_become_digits(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("imunisai", "imunisasi"),
        ("puskesms", "puskesmas"),
        ("posiandu", "posyandu"),
        ("stuntng", "stunting"),
        ("kejng", "kejang"),
    ],
)
def test_typos_are_corrected_towards_known_words(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


def test_real_words_and_short_words_are_not_corrected(u: Understanding) -> None:
    assert u.normalize("pertandingan bola") == "pertandingan bola"  # a real word that looks like none of ours
    assert u.normalize("rendang") == "rendang"
    assert u.normalize("abc") == "abc"


def test_empty_huge_and_odd_input(u: Understanding) -> None:
    assert u.normalize("") == ""
    assert u.match("") == []
    assert u.match("?!… 😀") == []
    assert u.danger("") is None
    huge = "imunisasi bayi " * 2000
    assert u.match(huge)[0].score <= 1.0


# --- danger signs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "sign"),
    [
        ("anak saya kejang2", "kejang"),
        ("bayi sy step", "kejang"),
        ("anakku kejng", "kejang"),
        ("suami gk sadarkan diri", "tidak_sadar"),
        ("nenek pinsan", "tidak_sadar"),
        ("sesek nafas berat", "sesak_berat"),
        ("bumil pendarahan", "bahaya_kehamilan"),
        ("bayi saya umur 1 bulan panas tinggi", "bayi_demam_tinggi"),
        ("pengen bundir", "bunuh_diri"),
        ("aku capek hidup", "bunuh_diri"),
    ],
)
def test_danger_signs_are_found_through_slang_and_typos(u: Understanding, message: str, sign: str) -> None:
    found = u.danger(message)
    assert found is not None and found.id == sign


def test_suicide_risk_is_the_mental_kind(u: Understanding) -> None:
    found = u.danger("aku ingin mengakhiri hidup")
    assert found is not None and found.kind == "mental"


def test_everyday_look_alikes_are_not_danger(u: Understanding) -> None:
    assert u.danger("saya tidak sadar kalau jadwal imunisasi anak sudah lewat") is None
    assert u.danger("demam setelah imunisasi normal tidak") is None
    assert u.danger("apa saja tanda bahaya kehamilan") is None
    assert u.danger("cek tekanan darah ibu hamil") is None


def test_danger_words_far_apart_in_a_long_message_do_not_combine(u: Understanding) -> None:
    text = "bayi saya sehat kok, cuma mau tanya jadwal posyandu bulan depan dan apakah suhu di ruangan terlalu tinggi"
    assert u.danger(text) is None


# --- the matcher ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("cek kesehatan gratis buat ultah", "ckg"),
        ("vit a bulan apa", "vitamin_a"),
        ("gejala tbc", "tbc"),
        ("tes hiv rahasia ga", "hiv"),
        ("3m plus", "psn_3m"),
        ("darah tinggi", "hipertensi"),
        ("kencing manis", "diabetes"),
        ("vaksin corona", "vaksin_covid"),
    ],
)
def test_short_everyday_questions_find_the_faq(u: Understanding, question: str, intent: str) -> None:
    best = u.match(question)[0]
    assert (best.intent_id, best.score >= CONFIDENT) == (intent, True)


def test_scores_are_ordered_unique_and_bounded(u: Understanding) -> None:
    matches = u.match("jadwal imunisasi bayi umur 2 bulan", limit=5)
    assert len(matches) == len({m.intent_id for m in matches}) <= 5
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_english_questions_match_in_an_english_session(u: Understanding) -> None:
    assert u.match("symptoms of dengue", lang="en")[0].intent_id == "dbd"
    assert u.match("where can I check my blood sugar", lang="en")[0].intent_id == "diabetes"


def test_questions_about_something_else_score_below_unsure(u: Understanding) -> None:
    for question in ("harga cabai hari ini", "resep rendang", "skor bola semalam", "siapa presiden sekarang"):
        assert all(m.score < UNSURE for m in u.match(question)), question


def test_words_of_another_business_are_declined_beside_health_words(u: Understanding) -> None:
    # content/language.yaml `off_topic`: the health words around a job, a pet or a parking lot do not make it ours
    for question in ("info lowongan bidan di rumah sakit", "parkir motor di puskesmas bayar?", "vaksin anjing dimana"):
        assert all(m.score < UNSURE for m in u.match(question)), question
    assert u.match("jam buka puskesmas")[0].score >= CONFIDENT  # the same words without one still answer


def test_a_place_name_says_where_not_what_is_asked(u: Understanding) -> None:
    # puskesmas_area's variants name places too; the posyandu question must still win on its own word
    assert u.match("kapan jadwal posyandu di kelurahan tangkerang tengah")[0].intent_id == "posyandu"
    assert u.match("alamat puskesmas rejosari")[0].intent_id == "puskesmas_cari"
    assert u.match("puskesmas di kecamatan tampan apa saja")[0].intent_id == "puskesmas_area"


def test_a_word_every_topic_uses_does_not_name_the_entry(u: Understanding) -> None:
    # "bayar tidak?" scores high on the immunization entry by "bayar" alone: asked about, not answered (NAMES_TOPIC)
    assert u.match("bayar tidak?")[0].score >= CONFIDENT and not u.names("bayar tidak?", "imunisasi")
    assert u.names("imunisasi di puskesmas bayar tidak?", "imunisasi")
    assert not u.names("nomornya berapa?", "puskesmas_cari") and u.names("nomor telepon dinkes berapa", "kontak_kantor")


async def test_a_message_that_does_not_name_its_topic_is_asked_about(chat: Chat) -> None:
    (answer,) = await chat.run("bayar tidak?")
    assert answer["intent"] == "clarify"


def test_vaccine_je_is_japanese_encephalitis_not_saja(u: Understanding) -> None:
    assert u.normalize("vaksin JE ada?") == "imunisasi japanese encephalitis ada"
    assert u.normalize("itu je") == "itu saja"  # Riau Malay "je" elsewhere


# --- in the dialogue ------------------------------------------------------------------------


async def test_dialogue_answers_falls_back_and_raises_the_alarm(chat: Chat) -> None:
    answer, other, danger, mental = await chat.run(
        "kapsul vit a dibagi bulan apa kak", "harga cabai hari ini", "anak sy kejng2", "pengen bundir aja"
    )
    assert answer["intent"] == "vitamin_a" and "Februari" in text_of(answer)
    assert other["intent"] == "fallback"
    assert danger["intent"] == "emergency" and "119" in text_of(danger)
    assert mental["intent"] == "emergency" and "SEJIWA" in text_of(mental)


async def test_a_near_miss_offers_the_closest_topics(chat: Chat, u: Understanding) -> None:
    # Vague one- or two-word messages: on the real content at least one of them is a near miss.
    vague = ["dinkes", "anak saya demam", "periksa", "cek", "gratis", "info bpjs", "darah", "info kartu"]
    near = [
        text
        for text in vague
        if UNSURE <= u.match(text)[0].score < CONFIDENT
        and not topic_net.agrees(u.topic_net.read(text), u.match(text)[0].intent_id, u.match(text)[0].score)
    ]  # one the learned second opinion is sure of is answered instead ("dinkes": the office's hours)
    assert near, "no vague message lands between UNSURE and CONFIDENT"
    for text in near[:2]:
        offered = [m.intent_id for m in u.match(text) if m.score >= UNSURE]
        result = await chat.say(text)
        assert result["intent"] == "clarify"
        assert payloads_of(result) == [*(f"intent:{i}" for i in offered), "menu"]


async def test_faq_answers_name_source_and_review_date(chat: Chat) -> None:
    result = await chat.say("gejala demam berdarah apa aja")
    assert result["intent"] == "dbd"
    assert "Sumber:" in text_of(result)


# --- the content itself ---------------------------------------------------------------------


def test_content_check_passes_on_the_real_content() -> None:
    out = io.StringIO()
    assert check_directory(CONTENT, out, CODE_NEEDS) == 0, out.getvalue()


def test_faq_entries_have_short_titles_and_checked_facts() -> None:
    mine = {p.name for p in (CONTENT / "faq").glob("*.yaml")} - {"imunisasi.yaml", "puskesmas.yaml", "uhc.yaml"}
    entries = [i for i in shipped_content().intents.intents if Path(i.file).name in mine]
    assert len([i for i in entries if i.answer is not None]) >= 18
    for intent in entries:
        assert len(intent.title.get("id")) <= 20, intent.id  # WhatsApp button labels are cut at 20
        if intent.answer is not None:
            assert intent.source and intent.reviewed is not None, intent.id
            assert intent.answer.has("en"), intent.id


def test_language_file_problems_are_reported_with_lines(content_dir: Path) -> None:
    path = content_dir / "language.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnumbers_extra: 1\n", encoding="utf-8")
    out = io.StringIO()
    assert check_directory(content_dir, out, CODE_NEEDS) == 1
    assert "language.yaml:" in out.getvalue()


@pytest.mark.parametrize("text", ["cek kesehatan gratis syaratnya apa", "syarat ckg"])
def test_the_requirements_of_the_free_health_check_are_ckg_not_uhc_documents(u: Understanding, text: str) -> None:
    best = u.match(text)[0]
    assert best.intent_id == "ckg" and best.score >= CONFIDENT, best


async def test_the_fallback_offers_the_topics_the_question_came_closest_to_first(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = await chat.say("stunting pengaruh ke kecerdasan")
    assert answered["intent"] == "stunting"  # the learned second opinion is sure of the unsure pick (topic_net.agrees)
    monkeypatch.setattr(topic_net.TopicNet, "read", lambda *_: None)  # the matcher alone
    result = await chat.say("stunting pengaruh ke kecerdasan")
    assert result["intent"] == "fallback"  # not sure enough to answer...
    assert payloads_of(result)[0] == "intent:stunting"  # ...but stunting is offered first
    unrelated = await chat.say("harga tiket pesawat ke jakarta berapa")
    assert unrelated["intent"] == "fallback"
    assert payloads_of(unrelated)[0] == "intent:imunisasi"  # nothing close: the main menu as before
