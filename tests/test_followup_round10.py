"""Follow-ups that ask something else than the answer in hand (round 10): a follow-up that names an entry of another
topic by its whole title, and a follow-up in the immunization thread that asks no fact of the age or vaccine in hand.
Played through `chat --jsonl` as one resident ("menu" between conversations clears what the last one was about);
the wording is our own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import chat_jsonl


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db", "PSEUDONYM_KEY": "k"}


def intents(answers: list[dict[str, Any]]) -> list[str]:
    return [a["intent"] for a in answers]


def test_a_follow_up_naming_another_topics_entry_by_its_title_asks_that_entry(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "apa itu stunting",
            "kalau di posyandu bisa ditimbang dan diukur?",
            "menu",
            "berat badan anak umur 2 tahun idealnya berapa",
            "bisa ditimbang di posyandu?",
        ],
        env,
    )
    assert intents(said)[:2] == ["stunting", "posyandu"]
    assert intents(said)[4] == "posyandu"


def test_a_title_named_after_a_place_or_as_also_or_as_a_choice_stays_with_the_thread(env: dict[str, str]) -> None:
    # After a puskesmas a service is asked there; "juga" asks the same again; "atau" weighs two places.
    said = chat_jsonl(
        [
            "imunisasi bayi 6 bulan apa saja",
            "di posyandu juga?",
            "menu",
            "anak saya susah makan, mpasi yang bagus apa",
            "sebaiknya ke posyandu atau ke puskesmas?",
        ],
        env,
    )
    assert intents(said)[1] != "posyandu"
    assert intents(said)[4] != "posyandu"


def test_a_follow_up_in_the_vaccine_thread_that_asks_no_fact_of_it_asks_its_sibling(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "bayi 4 bulan imunisasinya apa aja",
            "kalau anaknya lagi pilek ringan?",
            "menu",
            "vaksin dpt itu untuk apa",
            "bengkaknya lama nggak sesudah disuntik",
        ],
        env,
    )
    assert intents(said)[:2] == ["imunisasi_usia", "imunisasi_sakit"]
    assert intents(said)[3:] == ["imunisasi_vaksin", "imunisasi_kipi"]


def test_a_follow_up_that_asks_a_fact_of_the_age_stays_with_the_age(env: dict[str, str]) -> None:
    said = chat_jsonl(["bayi 2 bulan imunisasinya apa", "habis itu kapan lagi?", "berapa kali suntiknya?"], env)
    assert intents(said)[:2] == ["imunisasi_usia", "imunisasi_usia"]
    assert intents(said)[2] != "imunisasi_sakit"
