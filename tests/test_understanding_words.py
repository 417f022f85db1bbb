"""Residents' own words for things the content names officially (round 8, issue 19).

"klinik pemerintah" is the puskesmas, "kartu berobat gratis" the free JKN, Riau Malay "selsema", "terlepas",
"gune", and an English "... or not?" asks yes or no. Each row is a wording written here, not copied from a
blind set; the neighbouring entries keep their own questions.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.first_answer import answered, shipped_understanding


@pytest.fixture(scope="module")
def u() -> Understanding:
    return shipped_understanding()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("klinik pemerintah terdekat", "puskesmas terdekat"),
        ("nearest government clinic", "nearest puskesmas"),
        ("kartu berobat gratis", "bpjs gratis"),
        ("kartu berobat saya hilang", "kartu bpjs saya hilang"),
        ("budak tengah selsema", "anak sedang pilek"),
        ("is it active or not", "is it active atau tidak"),
        ("namanya dicoret", "namanya dinonaktifkan"),
        ("bini ambo mengandung", "istri saya hamil"),
        ("kad bpjs ambo", "kartu bpjs saya"),
    ],
)
def test_everyday_names_read_as_the_content_says(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Unofficial names
        ("klinik pemerintah yang paling dekat di mana", "puskesmas"),
        ("where is a government clinic close to me", "puskesmas"),
        ("kartu berobat gratis dari pemkot daftarnya di mana", "uhc_daftar"),
        ("kartu berobat saya masih hidup atau sudah mati", "uhc_status"),
        # Status check ("still usable?", "active or not?") against a card already off
        ("is my jkn card active or not", "uhc_status"),
        ("apakah kartu jkn ibu saya masih berlaku", "uhc_status"),
        ("nama ibu saya dicoret dari pbi, kenapa ya", "uhc_nonaktif"),
        ("kartu bpjs tidak bisa dipakai lagi", "uhc_nonaktif"),
        # Eligibility, not registration
        ("siapa saja yang berhak dapat uhc", "uhc"),
        # Riau Malay words
        ("budak tengah selsema, boleh disuntik?", "imunisasi_sakit"),
        ("ambo terlepas jadwal suntik budak, macam mane?", "imunisasi_kejar"),
        ("vaksin campak tu gune die untuk ape", "imunisasi_vaksin"),
        # Posyandu asked by its day, not the puskesmas's hours
        ("posyandu dekat rumah buka hari apa", "posyandu"),
        ("i keep worrying and cannot sleep, is there someone to talk to", "kesehatan_jiwa"),
        # English chat words that say nothing of the topic ("I'm", "since", "too") no longer count against it
        ("I'm 6 months pregnant, do I need any vaccine?", "imunisasi_td_hamil"),
        ("my son is 6 months old, which vaccines does he need now", "imunisasi_usia"),
        # Riau Malay: "serabut" is a troubled mind; "mengadu" beside it is to confide, not to complain
        ("kepale ambo serabut, susah tido, nak mengadu kat mane", "kesehatan_jiwa"),
        ("nak mengadu pasal pelayanan puskesmas yang teruk", "pengaduan"),
    ],
)
def test_the_family_is_answered_on_its_own_entry(text: str, intent: str) -> None:
    assert answered(text) == intent
