"""British and American spellings meet in one form (bot/engine/spelling.py)."""

from __future__ import annotations

import pytest

from bot.engine.spelling import american


@pytest.mark.parametrize(
    ("british", "us"),
    [
        ("centre", "center"),
        ("centres", "centers"),
        ("immunisation", "immunization"),
        ("immunise", "immunize"),
        ("hospitalised", "hospitalized"),
        ("paediatric", "pediatric"),
        ("paediatrician", "pediatrician"),
        ("anaemia", "anemia"),
        ("haemorrhage", "hemorrhage"),
        ("gynaecologist", "gynecologist"),
        ("oestrogen", "estrogen"),
        ("diarrhoea", "diarrhea"),
        ("programme", "program"),
        ("counselling", "counseling"),
        ("litre", "liter"),
        ("fibre", "fiber"),
    ],
)
def test_a_british_spelling_becomes_the_american_one(british: str, us: str) -> None:
    assert american(british) == us
    assert american(us) == us  # the American one stays


@pytest.mark.parametrize(
    "word", ["puskesmas", "entre", "realm", "isolation", "fire", "vaccine", "hour", "your", "four"]
)
def test_other_words_stay(word: str) -> None:
    assert american(word) == word
