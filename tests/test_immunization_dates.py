"""Birth dates and ages as Indonesians type them (bot.topics.dates)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.knowledge.age import Age, parse_age
from bot.topics.dates import add_age, age_on, find_age, find_date

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Agustus 2026", date(2026, 8, 3)),
        ("03-08-2026", date(2026, 8, 3)),
        ("3/8/26", date(2026, 8, 3)),
        ("lahir tgl 3 agustus", date(2026, 8, 3)),
        ("3 agt 2026", date(2026, 8, 3)),
        ("3 ags 2026", date(2026, 8, 3)),
        ("3-agu-2026", date(2026, 8, 3)),
        ("anak saya lahir 3 agsutus 2026", date(2026, 8, 3)),
        ("2026-08-03", date(2026, 8, 3)),
        ("3.8.2026", date(2026, 8, 3)),
        ("lahirnya 17 Des 2025 kak", date(2025, 12, 17)),
        ("tgl 5 desember", date(2025, 12, 5)),  # no year and not yet this year: last December
        ("31 januari 2026", date(2026, 1, 31)),
        ("lahir 12 Mei 19", date(2019, 5, 12)),
        ("1 nopember 2026", date(2026, 11, 1)),
    ],
)
def test_birth_dates(text: str, expected: date) -> None:
    found = find_date(text, TODAY)
    assert found is not None and found.day == expected


@pytest.mark.parametrize("text", ["31-02-2026", "30 februari 2026", "12/13/2026"])
def test_impossible_dates_are_reported_not_guessed(text: str) -> None:
    found = find_date(text, TODAY)
    assert found is not None and found.day is None


@pytest.mark.parametrize("text", ["umur 2 bulan", "1,5 tahun", "anak saya 9 bln", "jam 8.30", "anak ke 2", ""])
def test_no_date_in_ages_and_numbers(text: str) -> None:
    assert find_date(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("umur 2 bulan", Age(2, 0)),
        ("9 bln", Age(9, 0)),
        ("1,5 tahun", Age(18, 0)),
        ("1.5 thn", Age(18, 0)),
        ("18 bulan", Age(18, 0)),
        ("bayi 2bln", Age(2, 0)),
        ("1 tahun 3 bulan", Age(15, 0)),
        ("6 minggu", Age(0, 42)),
        ("baru lahir", Age(0, 0)),
        ("sebulan", Age(1, 0)),
        ("setengah tahun", Age(6, 0)),
        ("1 thn lebih 2 bln", Age(14, 0)),
        ("2 tahun, 3 bulan", Age(27, 0)),
        # two ages apart: the child's is the older one (a dose or a delay happened at the younger)
        ("campak 9 bulan terlewat, sekarang 14 bulan", Age(14, 0)),
        ("skipped measles at 9 months, he is 14 months", Age(14, 0)),
        ("anak 6 bln blm imunisasi yg 4 bln", Age(6, 0)),
        ("demam 3 hari, anak 2 tahun", Age(24, 0)),
    ],
)
def test_ages(text: str, expected: Age) -> None:
    assert find_age(text) == expected


def test_number_words_come_from_the_content_list() -> None:
    assert find_age("dua bulan", {"dua": 2}) == Age(2, 0)
    assert find_age("dua belas bulan", {"dua": 2, "dua belas": 12}) == Age(12, 0)
    assert find_age("dua bulan") is None


@pytest.mark.parametrize("text", ["anak saya lahir 3 agustus", "kapan bcg", "anak ke 2", "umur 500 tahun"])
def test_no_age(text: str) -> None:
    assert find_age(text) is None


def test_calendar_months_end_on_the_last_day() -> None:
    assert add_age(date(2026, 1, 31), Age(1, 0)) == date(2026, 2, 28)
    assert add_age(date(2028, 1, 31), Age(1, 0)) == date(2028, 2, 29)
    assert add_age(date(2026, 1, 1), Age(6, 29)) == date(2026, 7, 30)
    assert age_on(date(2026, 1, 31), date(2026, 2, 28)) == Age(1, 0)
    assert age_on(date(2026, 8, 3), TODAY) == Age(3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2 bulan", Age(2, 0)), ("6 bulan 29 hari", Age(6, 29)), ("4 minggu", Age(0, 28)), ("1 tahun", Age(12, 0))],
)
def test_content_ages(text: str, expected: Age) -> None:
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["", "dua bulan", "2", "2 bulan lagi", "bulan 2"])
def test_content_ages_are_strict(text: str) -> None:
    assert parse_age(text) is None
