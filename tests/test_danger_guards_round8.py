"""Round 8 guards, read by the detector itself: the look-alikes a blind writer finds past round 7's guards.

Each row is a family, in words of its own: an event that is over and well now ("ketawa lagi", "no injuries"),
a death's cause told after the fact, prevention asked in chat and Malay words ("nyegah", "elak"), a school
lesson, a story from a chat group, fear of a bite that has not happened, a burning feeling of the weather
or the heart, "nobody / no thoughts of" before a sign, and a plain "not urgent". Beside them, emergencies
with the same words that must still be read: the guards say "not now", never "not this person".
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "anjing liar di pasar mau dilaporkan ke mana? so far none has bitten anybody",  # "none" says nobody
        "lagi banyak pikiran kerjaan, tapi tidak ada niat bunuh diri, mau konseling di puskesmas",
        "feeling low since my divorce, no thoughts of harming myself, is counselling free?",
        "om saya meninggal karena serangan jantung bulan ini, cek jantung di posbindu bisa?",  # a death's cause
        "gimana nyegah stroke buat kakek yang tensinya tinggi?",  # prevention, chat spelling
        "macam mana nak elak strok haba masa gotong royong tengah hari?",
        "the hepatitis shot for my 3 week old, can it give her a fever?",
        "materi pelajaran pmr minggu ini: cara memeriksa orang pingsan",  # a school lesson
        "ada yang share di grup whatsapp video orang kejang di jalan, itu editan ga sih",
        "anak saya kecemplung kolam renang tadi, sempat minum air, terus ketawa lagi dan main",  # over, well now
        "jatuh dari sepeda tadi pagi, cuma luka kecil di lutut, puskesmas buka sabtu?",
        "takut anak kegigit ular di kebun belakang, cara ngusir ular gimana?",  # fear of what has not happened
        "siang ini terik sekali, kulit berasa kebakar, posyandu tetap buka?",  # the weather's burn
        "adik saya kalau disuruh belajar pura pura pingsan hehe",  # a joke
        "kalau misalnya nenek sesak napas, igd terdekat mana? nenek sehat kok, cuma buat jaga jaga",
        "want to take mum for a blood pressure check tomorrow, not urgent, which puskesmas is open?",
        "anak kalau tidur tangannya suka menyentak seperti step, kata nenek biasa, benar tidak?",
        "mahasiswa kebidanan mau magang di igd puskesmas, daftarnya ke mana?",  # a service asked about, not called
        "posyandu mau pasang poster nomor darurat 119, boleh minta desainnya?",
        "she coughed after swallowing bath water last week and is fine now, is that something to worry about?",
    ],
)
def test_round8_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    found = danger.danger(message)
    assert found is None, f"{message} -> {found.id if found else None}"


@pytest.mark.parametrize(
    "message",
    [
        "one of the kids fainted at the pool and is not waking up",  # "of" between no negation and a sign
        "saya takut, anak saya kejang dari tadi tidak berhenti",  # fear with a sign told as happening
        "bapak biasanya sehat kok, tapi sekarang tiba2 mulutnya mencong dan bicaranya pelo",  # a turn after "well"
        "tadi ketawa lagi, tapi sekarang anak saya kejang dan tidak sadar",
        "anak saya tenggelam di kolam, sudah diangkat tapi tidak bernapas",
        "my dad is having chest pain spreading to his arm right now, no injury, he just sat down",
        "kaki anak digigit anjing liar, berdarah, takut rabies",  # fear after the bite: the bite is told
    ],
)
def test_round8_emergencies_with_the_same_words(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "bayi saya 3 minggu, napasnya kadang bunyi ngorok pas tidur tapi nyusunya kuat, wajar ga?",
        "my 1 month old sometimes breathes fast when asleep but feeds well, is this normal?",
        "tadi dibius di dokter gigi, sekarang mulut sebelah mencong dan bicara pelo, wajar kan?",
    ],
)
def test_round8_unsure_look_alike_gets_the_safety_line(danger: Understanding, message: str) -> None:
    """Asked "is it normal?" with a calm side told: the normal answer, led by the net's "if this is an emergency"."""
    assert danger.danger(message) is None, message
    net = danger.trouble(message)
    assert net is not None and net.kind == "net", message


@pytest.mark.parametrize(
    "message",
    [
        "bayi 6 minggu demam 38,5 tapi nyusunya kuat, normal ga?",  # a young baby's fever skips the soft guard
        "luka di kaki anak darahnya ngalir terus walau sudah ditekan 20 menit, wajar ga?",  # nothing calm told
        "napas bayi kadang berhenti lama dan bibirnya biru, kakinya bengkok tidak wajar",  # "tidak wajar" asks nothing
    ],
)
def test_round8_normal_questions_that_stay_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message
