"""Danger sign families read by the detector itself (fast): each family is a mechanism, not a set's line.

Regional sound changes, word order, the past and a present turn, birth dates as ages, senses of a word.
The chat-level behaviour is in tests/test_danger.py; these check the detector's reading directly.
"""

from __future__ import annotations

import pytest

from bot.engine.danger_forms import minang
from bot.engine.understanding import Understanding
from tests.support.shipped import shipped_content


@pytest.fixture(scope="module")
def danger() -> Understanding:
    return Understanding(shipped_content())


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


@pytest.mark.parametrize(
    "message",
    [
        # the ability told after the verb: "dibangunkan tidak bisa", "menyusu tidak mau"
        "kakek dari subuh dibangunin gak bisa, cuma mengerang",
        "bayi saya 10 hari, menyusu tidak mau sejak pagi",
        # the past, then "this time" with something lasting: happening now
        "adik dulu pernah kejang waktu demam, tapi kali ini sudah 10 menit belum berhenti",
        "he had a seizure years ago but this time it has been going on for ages and won't stop",
        # a birth told as a date this month: a newborn
        "bayi saya lahir tanggal 20 bulan ini, badannya panas",
        "our baby was born last week and now she is hot and not feeding",
        # a described sign without its usual noun
        "bab anak saya hitam pekat seperti aspal, dia pucat sekali",
        "demam adik sudah reda tapi sekarang gusinya berdarah dan lemas sekali",
        "buat apa hidup kalau cuma jadi beban, mending saya pergi biar semua tenang",
        "obat tikus sudah saya siapkan, nanti kalau rumah sepi mau saya minum",  # a plan: 'nanti kalau' is no hypothetical
        "bapak kerja seharian di ladang kepanasan, sekarang tidak nyambung diajak bicara",
        # round 4's own probe, families: an engine burning indoors; a last message; a nosebleed that goes on
        "genset menyala di dalam rumah semalaman, pagi ini ibu dan adik pusing dan muntah",
        "adik kirim pesan 'ini yang terakhir ya', hpnya tidak diangkat",
        "mimisan bapak tidak berhenti dari tadi, bajunya penuh darah",
        "my sister says she has been saving her pills and sees no reason to wake up",
        # after "was fine", a sign told with "tapi sekarang" combines with what led up to it (a lucid interval)
        "anak jatuh dari ayunan kepala duluan, tadi baik saja tapi sekarang muntah dan tidak nyambung",
        # what follows "tidak tahu" rules nothing out
        "saya digigit kucing liar, tidak tahu sudah divaksin atau belum kucingnya",
        # a small snake, a little bleach: never mild
        "adik dipatuk ular kecil di kebun, tangannya membengkak",
        "anak saya minum pemutih sedikit, sekarang muntah",
        # a fever that fell with words between, then cold and weak (dengue's critical phase)
        "panas adik saya sudah turun dari pagi tapi makin lemas, tangan kakinya dingin",
        "lah indak ado gunonyo ambo iduik, nio mati se",  # Minang: -uik for -up (iduik, hidup)
        "a stray dog bit my nephew's leg, the dog was never vaccinated",  # a denied not_if rules nothing out
        "anak saya demam sejak minggu lalu, sekarang kejang",  # 'sejak minggu lalu' is still going on
        "anak saya kejang sejak minggu lalu berulang kali, hari ini tidak sadar",
        # 'later' in another sentence does not make a 'kalau' hypothetical
        "mau tanya jadwal posyandu bulan depan. kakek dari tadi kalau dipanggil tidak menyahut sama sekali",
    ],
)
def test_described_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        # "I did not notice", opening its clause
        "maaf saya tidak sadar jadwal posyandu sudah lewat, masih bisa ikut?",
        "aku gak nyadar kartu bpjs sudah tidak aktif, cara aktifkan gimana",
        # asked ahead: a sign after "kalau/if" when the message speaks of later
        "anak saya imunisasi besok, kalau nanti demam setelahnya harus bagaimana?",
        "my baby gets her shots tomorrow, what should I do if she has a fever after?",
        # the past, and "this time" with nothing lasting after it
        "dulu pernah kejang waktu kecil, kali ini mau tanya jadwal imunisasi",
        "my toddler had a febrile seizure last year, should I give paracetamol earlier this time when she gets a fever?",
        "kemarin adik kejang, sudah dibawa ke rs dan pulang, kapan boleh imunisasi lagi?",  # taken care of
        "adik kemarin kejang demam, tadi baik saja tapi sekarang mau tanya jadwal imunisasi",  # nothing after
        "tali pusar bayi kapan biasanya lepas? sekarang masih kering",  # a cord, not a rope
        "anak saya digigit kucing sendiri, sudah divaksin lengkap kucingnya, goresan tipis",
        # a past time closing the clause, however far from the sign; a month gone by
        "keracunan makanan di acara kantor suami bulan lalu, klaim asuransinya ke mana?",
        "my son was bitten by a stray dog in March and had all his shots, does he need a booster?",
        "batuk sedikit sejak 3 hari, tidak demam, no breathing problem, perlu ke dokter?",
        "i want to know the signs of stroke for my grandma's caregiver",
    ],
)
def test_look_alike_families_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        # a letter left out of a short word ("pans" panas, "mium" minum, "npas" napas) or of an age's unit
        "bayi saya 3 mnggu badannya pans sekali",
        "anak saya mium cairan pembersih lantai",
        "adik tersedak kacang, tidak bisa narik npas",
        "my baby is 2 moth old and has a fever of 38.5",
        "anak saya menret terus dari pagi, matanya cekung",  # 'mencret' as the phrases spell it, read 'diare'
    ],
)
def test_a_letter_left_out_still_reads(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        # the guards read typos too: "frst aid", "smal burn", "bbas kejang", "yesteray"
        "what's the frst aid for a burn? cool water for how long?",
        "how do i treat a smal burn from the stove?",
        "obat kejang anak harus diminum sampai kapan? sudah 1 tahun bbas kejang",
        "thanks, the ambulance yesteray was really fast",
        "Sy lagi jagain keponakan, mau tanya jadwal imunisasi",  # a root under a suffix is no guard's typo
        "serum anti bisa ular ada di rs mana saja?",  # a word of its own ('serum') is no typo ('setrum')
        "my daughter fell off her bike, scraped her elbow, we cleaned it and she is running around again",
        "tangan saya sering kesemutan kalau main hp lama, stroke bukan ya?",  # asking whether it is one
    ],
)
def test_guards_read_typos_too(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message
