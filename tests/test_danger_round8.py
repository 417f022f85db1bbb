"""Round 8 danger families, read by the detector itself: each a mechanism a resident's other wordings also hit.

Words typed without their vowels in a hurry ("kpl", "skt prt", "ssk nfs"); words typed without spaces
("tolongadiksayapingsan").
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.shipped import shipped_content


@pytest.fixture(scope="module")
def danger() -> Understanding:
    return Understanding(shipped_content())


@pytest.mark.parametrize(
    "message",
    [
        "kakek sy tb2 mlt mncng, tngn kanan lmh gk bs angkat",  # vowels left out of most words
        "ibu sy ssk nfs bgt, bbr biru",
        "ank sy kjg2 dr td, bdn pns",
        "suami sy pgsn di kmr mndi, gk bngn2",
        "tolongadiksayapingsantidakbangun",  # no spaces at all
        "anaksayakejang dari tadi",
    ],
)
def test_round8_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "jdwl imnssi bln dpn kpn ya",  # shorthand that names no sign
        "ssk nfs nya udh hlg sjk kmrn, skrg sdh sht",  # shorthand for a sign that is over
        "mau tanya jadwal posyandu diperhimpunan warga",  # a long word of its own is not split
        "dinas peternakan buka jam berapa",
    ],
)
def test_round8_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    ("typed", "word"),
    [("kpl", "kepala"), ("skt", "sakit"), ("prt", "perut"), ("kjg", "kejang"), ("sblh", "sebelah"), ("mka", "muka")],
)
def test_a_word_without_its_vowels_is_read_as_the_word(danger: Understanding, typed: str, word: str) -> None:
    assert word in danger._danger.words(f"x {typed} x"), typed
