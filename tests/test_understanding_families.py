"""Families of single messages the matcher answered confidently on the wrong topic (round 7, issue 19).

Each row is a wording written here, not copied from a blind set: a resident's other wordings of the same
question must be answered on the right entry, or asked about ("Maksud Anda...?"), never answered elsewhere.
"""

from __future__ import annotations

import pytest

from tests.support.first_answer import answered


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The posbindu of a kelurahan: the service named, not the puskesmas of the area.
        ("posbindu di kelurahan sidomulyo ada tidak", "posbindu"),
        ("posyandu di kelurahan saya ada di mana", "posyandu"),
        # Checking that one is registered is the status check, not the eligibility flow.
        ("cek apakah saya sudah terdaftar peserta jkn", "uhc_status"),
        ("nik saya sudah masuk uhc atau belum", "uhc_status"),
        # A self-paying member in arrears who wants the city to pay: the KIS/PBI/self-pay entry.
        ("bpjs mandiri saya nunggak, bisa dipindah ke yang dibayar pemko?", "uhc_kis"),
        ("tunggakan mandiri harus lunas dulu baru bisa ke pbi pemda?", "uhc_kis"),
        ("sudah tidak sanggup bayar iuran mandiri, mau ganti ke yang gratis", "uhc_kis"),
        # The neighbours keep their own questions.
        ("puskesmas di kecamatan bukit raya", "puskesmas_area"),
        ("bpjs mati setelah kena phk", "uhc_nonaktif"),
        ("jadwal posyandu kapan", "posyandu"),
    ],
)
def test_the_family_is_answered_on_its_own_entry(text: str, intent: str) -> None:
    assert answered(text) == intent


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("biaya rawat inap anak kena dbd ditanggung bpjs?", "dbd"),
        ("operasi usus buntu bisa pakai bpjs gratis?", "uhc"),
        ("kalau opname karena tifus ditanggung bpjs tidak", "uhc"),
    ],
)
def test_never_answered_on_the_neighbouring_topic(text: str, wrong: str) -> None:
    assert answered(text) != wrong
