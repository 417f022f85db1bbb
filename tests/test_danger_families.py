"""Danger sign families read by the detector itself (fast): each family is a mechanism, not a set's line.

Regional sound changes, word order, the past and a present turn, birth dates as ages, senses of a word.
The chat-level behaviour is in tests/test_danger.py; these check the detector's reading directly.
"""

from __future__ import annotations

import pytest

from bot.engine.danger_text import minang
from bot.engine.understanding import Understanding
from bot.knowledge.content import load_content
from tests.support.settings import CONTENT


@pytest.fixture(scope="module")
def danger() -> Understanding:
    content, problems = load_content(CONTENT)
    assert content is not None, problems
    return Understanding(content)


@pytest.mark.parametrize(
    ("word", "standard"),
    [
        ("damam", "demam"),  # the first syllable's a is Indonesian e
        ("kapalo", "kepala"),  # and final o is a
        ("adiak", "adik"),
        ("kuduak", "kuduk"),
        ("anjiang", "anjing"),
        ("paruik", "perut"),
        ("taruih", "terus"),
        ("paneh", "panas"),
        ("digigik", "digigit"),
        ("tajatuah", "terjatuh"),
        ("badarah", "berdarah"),
        ("kapanehan", "kepanasan"),  # with its suffix
    ],
)
def test_minang_words_have_their_standard_form_among_the_candidates(word: str, standard: str) -> None:
    assert standard in minang(word)


@pytest.mark.parametrize(
    "message",
    [
        "adiak ambo digigik anjiang liar di jalan, badarah",
        "cucu ambo damam tinggi, lehernyo kaku, muntah taruih",
        "apak ambo tajatuah dari batang karambia, indak sadar",
        "mandeh muntah taruih, lamah bana, indak amuah minum",
    ],
)
def test_minang_descriptions_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "anak demam sedikit, tengkuk tidak kaku, masih main",  # a negation is never the stray word in a phrase
        "cucu ambo damam saketek, kuduak indak kaku, lai main",
        "my neck is not stiff, just a mild fever",
    ],
)
def test_a_negation_inside_a_phrase_is_not_skipped(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message
