"""Residents' everyday names for vaccines, diseases, programmes and documents (round 14, issue 19).

The words in content/language.yaml's round-14 block were written from field knowledge (how parents, Pekanbaru
residents and expats name each injection, illness, card and programme), not mined from the blind sets; every
sentence here is written for this test. Words with an everyday second sense stay as typed.
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
        ("vaksin 5 in 1", "imunisasi pentavalen"),
        ("hexaxim", "pentavalen ipv"),
        ("imunisasi tetes", "imunisasi opv"),
        ("vaksin rotarix", "imunisasi rotavirus"),
        ("suntik caten", "imunisasi tetanus catin"),
        ("anak kena db", "anak kena demam berdarah"),
        ("tengkes", "stunting"),
        ("premi bpjs", "iuran bpjs"),
        ("bpjs ketenagakerjaan", "bpjamsostek"),
        ("pedulilindungi", "satusehat"),
        ("rsj", "rumah sakit jiwa"),
    ],
)
def test_everyday_names_read_as_the_content_says(u: Understanding, typed: str, expected: str) -> None:
    assert u.normalize(typed) == expected


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("hb saya rendah waktu hamil", "hb"),  # haemoglobin as often as hepatitis B
        ("ada flek waktu hamil", "flek"),  # spotting in pregnancy, not TB ("flek paru")
        ("formulirnya perlu ttd siapa", "ttd"),  # a signature as often as iron tablets
        ("ke er mana yang dekat", "er"),  # the danger signs read emergency-room words themselves
    ],
)
def test_words_with_a_second_sense_stay_as_typed(u: Understanding, typed: str, kept: str) -> None:
    assert kept in u.normalize(typed).split()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("anak saya kena db, trombositnya turun", "dbd"),
        ("suntik caten di puskesmas mana saja", "imunisasi_td_hamil"),
        ("calon manten wajib suntik tt ga", "imunisasi_td_hamil"),
        ("hexaxim sama pentabio bedanya apa", "imunisasi_vaksin"),
        ("ketinggalan jadwal imunisasi 2 bulan gimana", "imunisasi_kejar"),
        ("anak ambo kuntet, tengkes tu ape", "stunting"),
        ("premi bpjs kelas 3 berapa sebulan", "jkn_iuran"),
        ("my wife needs iron pills during pregnancy", "ttd_hamil"),
        ("where is the community health centre near me", "puskesmas"),
        ("my baby is malnourished what should i do", "gizi_buruk"),
        ("pemeriksaan kesehatan gratis pkg itu apa", "ckg"),
        ("kb susuk bisa di puskesmas?", "puskesmas_layanan"),
        ("gula basah bisa sembuh ga", "diabetes"),
        ("bulan penimbangan kapan", "posyandu"),
        ("i feel anxious all the time, who can i talk to", "kesehatan_jiwa"),
        ("berobat ke rsj pakai bpjs bisa", "kesehatan_jiwa"),
        ("mau tambal gigi di puskesmas bisa?", "puskesmas_layanan"),
        ("where can i get a medical certificate for work", "puskesmas_layanan"),
    ],
)
def test_the_everyday_name_reaches_its_entry(text: str, intent: str) -> None:
    assert answered(text) == intent


def test_bpjs_ketenagakerjaan_is_not_health_insurance() -> None:
    assert answered("bpjs ketenagakerjaan bisa dipakai berobat tidak") is None
