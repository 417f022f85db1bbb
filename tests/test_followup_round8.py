"""Follow-ups and stories that point back (round 8): the cost of what was just listed, the story's other question
asked again, an English story whose question points at what it told. Played through `chat --jsonl` as one
resident ("menu" between conversations clears what the last one was about); the wording is our own."""

from __future__ import annotations

from tests.support.chat import text_of
from tests.support.cli import chat_jsonl, intents


def test_asking_the_cost_after_a_childs_vaccines_asks_whether_immunization_is_free(env: dict[str, str]) -> None:
    # The answers by age or birth date list vaccines and say nothing of cost; the general entry says they are free.
    said = chat_jsonl(
        [
            "imunisasi anak 6 bulan apa aja",
            "itu bayar?",
            "menu",
            "which vaccines does a 2 month old baby get",
            "is it free?",
            "menu",
            "anak saya lahir 10 juni 2026, jadwal imunisasinya apa",
            "gratis kan?",
        ],
        env,
    )
    assert intents(said)[:2] == ["imunisasi_usia", "imunisasi"] and "gratis" in text_of(said[1])
    assert intents(said)[3:5] == ["imunisasi_usia", "imunisasi"] and "free" in text_of(said[4])
    assert intents(said)[6:] == ["imunisasi_pribadi", "imunisasi"]  # not "Tanggal lahir anak Anda?" again


TWO_QUESTIONS = (
    "pagi min, mau tanya dua hal. bpjs gratis dari pemko syaratnya apa aja? dan suami saya batuk sudah 3 minggu, "
    "periksa tbc di mana?"
)


def test_the_storys_other_question_asked_again_gets_the_offered_answer(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            TWO_QUESTIONS,
            "yang soal suami saya tadi gimana?",
            "menu",
            TWO_QUESTIONS,
            "you did not answer my other question",
            "menu",
            TWO_QUESTIONS,
            "tadi sudah ke posyandu",  # tells, and names another place: not the question offered
            "menu",
            TWO_QUESTIONS,
            "oh iya satu lagi, posbindu di mana",  # a new question
        ],
        env,
    )
    assert said[0]["intent"] == "uhc_dokumen" and said[3]["intent"] == "uhc_dokumen"
    assert said[1]["intent"] == "tbc"
    assert said[4]["intent"] == "tbc"
    assert said[7]["intent"] != "tbc"
    assert said[10]["intent"] == "posbindu"


def test_an_english_story_whose_question_points_back_at_what_it_told(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "My baby had her DPT shot yesterday and she has a fever tonight. My mother says to give paracetamol "
            "syrup, is that what you recommend here as well?",
            "menu",
            # "is that done at every puskesmas" says something of its own: what was told is not all it asks
            "A young mother asked me if the city offers free HIV tests for pregnant women. I believe all pregnant "
            "women should be screened. Is that done at every puskesmas?",
        ],
        env,
    )
    assert said[0]["intent"] == "imunisasi_perawatan" and "paracetamol" in text_of(said[0]).lower()
    assert said[2]["intent"] != "imunisasi_td_hamil"


def test_a_question_after_an_acknowledgement_is_answered_without_it(env: dict[str, str]) -> None:
    # The acknowledgement's words dilute the question after it; a wish or an announced question stays as it was.
    said = chat_jsonl(
        [
            "oh gt, pengen liat jadwal imunisasi lengkap dong",
            "menu",
            "semoga bapak ibu petugas sehat selalu ya, aamiin",
        ],
        env,
    )
    assert said[0]["intent"] == "imunisasi_jadwal"  # not "Maksud Anda...?"
    assert said[2]["intent"] in {"smalltalk", "fallback"}
