"""Round 9 danger families, read by the detector itself: each a mechanism a resident's other wordings also hit.

Emergencies: a little bleeding that will not stop; a child at someone's pills with a count of them; a throat that
"ketutup"; a lethal dose asked "just asking"; whose baby it is between the child and its age ("anak istri saya 3
minggu"); a tight belly before term with spotting; a pregnancy found out last week.
Look-alikes: a bare number before a unit of time is an age or a span, not a temperature ("baru 40 hari"); "tiba-tiba"
inside a "kalau ..." question; "no emergency" is a negation; "nangis kejer" is crying hard; a child's lisp or speech
therapy; a thorn's prick; a traffic jam at an accident; a bite on a sock; a near miss with poison; a safe dose asked;
a phone fallen in a pond; a celebrity on television; "panas hati"; a medicine named for the sign.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "istri sy hamil 28 minggu, flek sedikit tapi tidak berhenti dari subuh",  # little, but it will not stop
        "my wife is 30 weeks pregnant, only a little blood but it wont stop",
        "anak sy makan obat jantung kakeknya, 5 butir hilang, sekarang lemas",  # a count of someone's pills
        "habis makan udang badan saya bentol semua, tenggorokan kayak ketutup",  # "ketutup" is "tertutup"
        "cuma nanya, dosis mematikan obat tidur berapa ya",  # a lethal dose asked "just asking"
        "how many pills would kill a person, just curious",
        "anak istri saya baru 3 minggu, badannya panas tinggi dari sore",  # whose child it is, then its age
        "hamil 7 bulan, perutnya kencang terus dan keluar flek darah",  # a tight belly before term, spotting
        "found out i was pregnant last month, now heavy bleeding and cramps",  # the pregnancy goes on
    ],
)
def test_round9_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "cucu saya baru 39 hari, kapan imunisasi bcg?",  # an age in days, not 39 degrees
        "kata orang tua ibu nifas tidak boleh keluar rumah sebelum 40 hari, benar?",
        "kalau nenek tiba tiba jatuh di kamar mandi, pertolongan pertamanya apa?",  # "tiba-tiba" in a supposed event
        "what should i do if someone suddenly collapses at a wedding? just asking",
        "can I save 119 in my phone? no emergency, just preparing",  # "no emergency" is no "nomor emergency"
        "adik saya nangis kejer minta mainan di toko",  # crying hard
        "anak sy 3 tahun ngomongnya masih cadel, perlu terapi wicara?",  # a child's speech, no stroke
        "tangan saya ketusuk duri mawar, berdarah dikit",  # a thorn's prick
        "ada kecelakaan di jalan riau, macet total, lewat mana ya",  # an accident as traffic
        "anjing tetangga gigit sepatu anak saya, kakinya tidak kena",  # a bite on a shoe
        "anak saya hampir minum minyak tanah, untung ketahuan sebelum diminum",  # a near miss
        "dosis yang aman paracetamol untuk anak 10 kg berapa?",  # a safe dose
        "handphone saya kecebur di sungai, masih bisa diservis?",  # a thing in the water
        "di tv ada artis kena stroke, gimana cara mencegahnya",  # a celebrity on television
        "panas hati saya lihat kelakuan tetangga",  # anger, no fever
        "obat sesak napas untuk nenek bisa ambil di puskesmas?",  # a medicine named for the sign
    ],
)
def test_round9_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    ("message", "emergency"),
    [
        ("bayi saya 40 hari, suhunya 40", True),  # the age is read, and the temperature after it still is
        ("bayi saya baru 40 hari, mau imunisasi", False),
    ],
)
def test_a_number_before_a_unit_is_an_age(danger: Understanding, message: str, emergency: bool) -> None:
    assert (danger.danger(message) is not None) is emergency, message
