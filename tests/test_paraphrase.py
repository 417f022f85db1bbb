"""Generalising past the content's own phrasings: colloquial word forms, the letter-sequence second
opinion (bot/engine/paraphrase.py), asking when two topics are close, and an acknowledgement beside
small talk after an answer."""

from __future__ import annotations

import pytest

from bot.engine import understanding as understanding_module
from bot.engine.colloquial import standard
from bot.engine.understanding import CONFIDENT, Understanding
from tests.support.chat import Chat, payloads_of
from tests.support.shipped import shipped_content


@pytest.fixture(scope="module")
def u() -> Understanding:
    return Understanding(shipped_content())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ngecek", "cek"),  # nge- for me-
        ("nunggu", "tunggu"),  # n- swallowed the t
        ("nyuruh", "suruh"),
        ("ngukur", "ukur"),
        ("dapet", "dapat"),  # e for a in the last syllable
        ("deket", "dekat"),
        ("resepin", "resep"),  # -in for -kan
        ("aktifinnya", "aktif"),
        ("sebenernya", "sebenarnya"),
    ],
)
def test_a_colloquial_form_reads_as_the_word_it_bends(typed: str, expected: str) -> None:
    known = {"cek", "tunggu", "suruh", "ukur", "dapat", "dekat", "resep", "aktif", "sebenarnya"}
    assert standard(typed, known.__contains__) == expected


def test_a_possessive_comes_off_only_a_function_word() -> None:
    function_words = {"harus"}.__contains__
    assert standard("harusnya", {"harus", "tes"}.__contains__, function_words) == "harus"
    assert standard("tesnya", {"harus", "tes"}.__contains__, function_words) is None  # "the test", not "testing!"


def test_a_word_no_rule_leads_to_a_known_word_stays_as_typed() -> None:
    assert standard("bitcoin", {"cek", "tunggu"}.__contains__) is None
    assert standard("ngopi", {"cek"}.__contains__) is None  # "kopi" is not a word the bot knows here


def test_the_normaliser_undoes_colloquial_forms_nobody_listed(u: Understanding) -> None:
    assert u.normalize("ngecek bpjs") == "cek bpjs"  # was corrected to "ngeces", a typo of nothing asked
    assert "sebenarnya" in u.normalize("sebenernya buat apa")


def test_a_lone_letter_weighs_nothing_unless_the_content_uses_it(u: Understanding) -> None:
    assert u.keys("imunisasi anak 9 bulan y") == u.keys("imunisasi anak 9 bulan")
    assert u.keys("hepatitis b") != u.keys("hepatitis")


# Messages the word matcher alone was unsure of when written; content that grows may make some confident.
UNSURE_ALONE = {
    "kis sama jkn sama aja ga": "uhc",
    "saya diabetes, boleh puasa ramadan gak?": "diabetes",
    "puskesmas daerah tampan yg mn aja": "puskesmas_area",
    "bapak ambo darah tinggi, nak periksa kat mane yang tak bayar": "hipertensi",
    "mau ukur tekanan darah tanpa bayar bisa ke mana": "hipertensi",  # from the labelled set, unsure alone on 2026-11-30
    # Round 11: with residents' phrasings shipped the five above are answered by the words alone (the first four
    # are themselves residents' messages of the tuning sets, now in content/phrasings.yaml); this one was unsure alone.
    "anak lemas aja habis disuntik harus gimana": "imunisasi_kipi",
}


def test_the_second_opinion_answers_an_unsure_match_both_stages_agree_on(
    u: Understanding, monkeypatch: pytest.MonkeyPatch
) -> None:
    lifted = []
    for text, intent in UNSURE_ALONE.items():
        alone = u.match(text)
        second = u.match(text, second=True)[0]
        if alone and alone[0].score < CONFIDENT and second.score == CONFIDENT:
            assert alone[0].intent_id == intent == second.intent_id, (text, alone, second)
            lifted.append(text)
    assert lifted, "the content now answers every example alone: add one the word matcher is unsure of"
    monkeypatch.setattr(understanding_module, "AGREE_NEAR", 1.01)  # the nearest variant must agree, and be near
    u.forget()  # the matches read with the shipped constant are remembered by text
    try:
        assert all(u.match(text, second=True)[0].score < CONFIDENT for text in lifted)
    finally:
        monkeypatch.undo()
        u.forget()  # the module's other tests share `u`: none may meet a match read with the patched constant


@pytest.mark.parametrize("text", ["bitcoin naik ga minggu ini", "harga tiket pesawat pku jakarta minggu depan"])
def test_the_second_opinion_does_not_lift_an_out_of_scope_question(u: Understanding, text: str) -> None:
    matches = u.match(text, second=True)
    assert not matches or matches[0].score < CONFIDENT


def test_the_nearest_variants_are_ranked_the_same_every_time(u: Understanding) -> None:
    u.match("saya diabetes, boleh puasa ramadan gak?", second=True)  # builds the second stage
    assert u._paraphrases is not None
    first = u._paraphrases._nearest("cek bpjs aktif")
    assert first == u._paraphrases._nearest("cek bpjs aktif")
    assert [s for _, s in first] == sorted((s for _, s in first), reverse=True)


# A vaccine at a hospital paid by BPJS: using the card, or where immunization is given. ("imunisasi bayi bisa di rumah
# sakit pakai bpjs?", the example until round 11, is a resident's message labelled `imunisasi`, now a phrasing of it.)
CLOSE_TOPICS = "suntik imunisasi bayi di rumah sakit ditanggung bpjs?"


def test_two_close_topics_are_asked_about_not_guessed(u: Understanding) -> None:
    matches = u.match(CLOSE_TOPICS)
    assert matches[0].score >= CONFIDENT
    assert u.torn(matches)
    assert not u.torn(u.match("imunisasi anak 9 bulan"))


async def test_close_topics_get_maksud_anda(chat: Chat) -> None:
    result = await chat.say(CLOSE_TOPICS)
    assert result["intent"] == "clarify"
    assert {"intent:uhc_pakai", "intent:imunisasi_sakit"} <= set(payloads_of(result))


async def test_an_acknowledgement_after_an_answer_is_small_talk_not_a_follow_up(chat: Chat) -> None:
    await chat.say("alamat puskesmas rejosari di mana")
    result = await chat.say("oke deh nanti saya telepon aja")
    assert result["intent"] == "smalltalk"
