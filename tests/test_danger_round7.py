"""Round 7 danger families, read by the detector itself: each a mechanism a resident's other wordings also hit.

Suicide told of someone else; a help number asked for with "emergency services"; an owned animal as the
patient; a medicine, a cost or a claim asked for a sign; a condition years old; a first-aid kit; an everyday
phrase ("bisa kejang") that never reaches across a comma.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.chat import Chat, text_of


@pytest.mark.parametrize(
    "message",
    [
        "he wants to take his own life",  # a third person, four words from the verb
        "my brother said he wants to end his life",
        "teman saya chat katanya mau mengakhiri hidupnya",
        "how do i call emergency services in indonesia right now",
        "what number do i call for the emergency department, quick",
        "anak saya demam, tiba2 bisa kejang, badannya kaku",  # "bisa kejang" is an everyday phrase only in one clause
        "my dog bit my son, he is bleeding a lot",  # the bite signs skip the pet guard
        "kucing saya cakar anak saya, sekarang anak saya sesak napas dan bengkak",  # a person between
        "anak ambo telan ubat banyak, mengantuk sangat",  # a medicine right before a sign, no "untuk"
        "alergi obat muka bengkak sesak",
        "anak saya sudah 3 tahun, tiba tiba kejang",  # years, but sudden now
        "ayah saya seharian manen sawit di bawah terik, sekarang jalannya sempoyongan",  # heat, then staggering
        "my uncle worked in the sun all day and now he is stumbling",
        "bayi saya kuning sampai telapak kakinya",  # yellow to the soles, a baby of any age
        "our baby looks yellow down to his feet and is very sleepy",
        "habis disuntik antibiotik, tangan ibu bengkak dan dia mau pingsan",  # a trigger, swelling, faint
        "ada dua titik berdarah di betis adik, kayaknya ular",  # two puncture marks told as dots
        "darah dari lukanya tidak berhenti walau sudah ditekan kain",  # bleeding that will not stop
        "the cut on his hand keeps bleeding and wont stop",
        "sebuah motor nabrak nenek saya di depan rumah",  # a vehicle struck someone
        "a truck knocked down my neighbour",
        "anak ambo badan kejat kejat, mata ke atas",  # Riau Malay "kejat"
        "baru aja jatuh dari motor, kakinya bengkok tidak wajar",  # "baru aja" is just now; "tidak wajar" asks nothing
    ],
)
def test_round7_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "kucing saya muntah terus dari pagi",  # an owned animal is the patient
        "anjing saya sesak napas, dokter hewan terdekat di mana",
        "my dog is having a seizure, is there a vet nearby",
        "kucing ambo kejang2, nak bawa ke dokter haiwan",
        "obat untuk sesak napas apa ya",  # a medicine for a sign
        "salep untuk luka bakar yang bagus apa",
        "what cream for burns do you recommend",
        "klaim bpjs untuk luka bakar bisa?",  # a cost or a claim
        "biaya operasi patah tulang berapa ya",
        "kakek sudah 3 tahun lumpuh sebelah karena stroke, mau tanya obat darah tinggi",  # years old
        "my mother has been paralysed on one side for 4 years after a stroke, can she get home visits",
        "kotak obat darurat di rumah isinya apa saja",  # a first-aid kit
        "anjing liar di kompleks kami banyak, belum ada yang digigit, lapor ke mana",
        "hati saya terluka ditinggal pacar",  # a figure of speech
        "hati saya terluka parah ditinggal nikah",
        "bayi saya kuning sedikit di muka, sudah dijemur",
        "mobil saya nabrak pagar, bumpernya penyok",  # a vehicle struck a thing
        "mimisan anak saya sudah berhenti setelah ditekan",
        "cek darah tidak berhenti antrinya",
    ],
)
def test_round7_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        "panik, bapak saya tiba tiba pucat dan keringat dingin",  # a plea, a person, a state: no sign reads it
        "gimana ini, nenek saya pucat sekali dan dingin",
        "what do i do, my grandpa fell and now he is crying and shaking",  # round 8: "cant walk" after a fall is a sign
    ],
)
def test_the_safety_net_reads_someone_in_trouble_now(danger: Understanding, message: str) -> None:
    """No sign reads these; 119 comes first all the same: the learned net's emergency answer when it is sure
    (round 16), else the safety net's line ahead of the normal answer."""
    assert danger.danger_rules(message) is None, message
    assert danger.danger(message) is not None or danger.trouble(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "tolong saya mau tanya jadwal imunisasi anak saya yang demam kemarin",  # a question about a service
        "dulu anak saya pernah jatuh, tolong info posyandu",  # the past
        "aduh anak saya demam sedikit, boleh imunisasi?",  # mild
        "anak sy kejedot pintu, memar biru di jidat, gimana biar cepet ilang?",  # how to heal fast
        "nobody had some spotting, we were just scared",
    ],
)
def test_the_safety_net_stays_quiet_on_mild_past_and_questions(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None and danger.trouble(message) is None, message


async def test_the_safety_net_leads_the_normal_answer_with_119(chat: Chat) -> None:
    result = await chat.say("istri saya hamil 8 bulan, kakinya bengkak")  # the model fires, not sure: the line
    assert result["intent"] != "emergency"  # no false emergency: the normal answer stands
    assert result["replies"][0]["text"].startswith("⚠️") and "119" in result["replies"][0]["text"]


async def test_a_sure_safety_net_answers_the_emergency(chat: Chat) -> None:
    result = await chat.say("gimana ini, nenek saya pucat sekali dan dingin")  # no sign's words; the model is sure
    assert result["intent"] == "emergency"
    assert result["replies"][0]["text"].startswith("⚠️") and "119" in result["replies"][0]["text"]


@pytest.mark.parametrize("message", ["nomor igd rs terdekat", "min minta no igd rs terdekat cepet", "igd terdekat"])
async def test_asking_for_the_igd_number_answers_119_first_then_the_igds(chat: Chat, message: str) -> None:
    result = await chat.say(message)
    assert result["intent"] == "emergency", message
    text = text_of(result)
    assert text.index("119") < text.index("IGD rumah sakit di"), text
