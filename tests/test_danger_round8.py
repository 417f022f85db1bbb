"""Round 8 danger families, read by the detector itself: each a mechanism a resident's other wordings also hit.

Words typed without their vowels in a hurry ("kpl", "skt prt", "ssk nfs"); words typed without spaces
("tolongadiksayapingsan"); heat with a hot body or twitching; hot oil splashed with the skin turned white; following
someone who died, a farewell letter written, a way already chosen; something swallowed with no cough; a snake that
lunged; hands and feet cold after a fever fell, a warning sign told before "the fever went down"; a nosebleed for
an hour; coughing after a fall into water; the waters told apart from their breaking, a baby not felt moving; a fall
and no standing up; a baby's birth told with its date; speech lost since the morning; words that come out wrong, a leg
dragged; a chest stepped on; a lip swollen with a hoarse voice after a trigger; only snoring when spoken to; something
put in the mouth, then drooling; lockjaw after a rusty nail; "take care of mum" and a phone switched off; wanting
everything to stop.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "kakek sy tb2 mlt mncng, tngn kanan lmh gk bs angkat",  # vowels left out of most words
        "ibu sy ssk nfs bgt, bbr biru",
        "ank sy kjg2 dr td, bdn pns",
        "suami sy pgsn di kmr mndi, gk bngn2",
        "tolongadiksayapingsantidakbangun",  # no spaces at all
        "anaksayakejang dari tadi",
        "pak rt kami habis kerja bakti siang bolong, sekarang badannya panas kayak bara dan muntah",
        "my uncle was roofing in this heat all day, now he is twitching and hot to touch",
        "hot oil from the pan splashed on my son's arm, the skin went white",
        "sejak almarhum bapak pergi, ibu bilang pengen nyusul",
        "my brother left a farewell letter on his desk",
        "i have a plan and i want to say goodbye to everyone",
        "cucu saya kayak nelan sesuatu, tidak bisa batuk, mukanya merah",
        "ular tadi nyambar betis bapak di kebun",
        "panas adik sudah turun tadi subuh, tapi kaki tangannya dingin sekali",
        "ibu saya gusinya berdarah, panasnya sudah turun",
        "bapak mimisan sudah 1 jam, belum berhenti juga",
        "anak sy kecebur ke empang, sudah dikeluarkan tapi batuk batuk terus dan pucat",
        "ketuban istri saya kayaknya pecah, ngucur terus dari tadi",
        "sejak tadi pagi bayi di perut tidak terasa nendang sama sekali",
        "ibu jatuh di teras, tidak bisa berdiri lagi",
        "what do i do, my grandpa fell and now he cant walk",  # the safety net's line before round 8
        "bayi kami lahir 3 minggu lalu, sekarang kuning sampai telapak kaki",
        "bapak dari pagi tidak bisa bicara",
        "kakek bangun tidur bicaranya belepotan, kaki kanannya diseret",
        "my aunt's words come out wrong and the room is spinning for her",
        "dada om saya rasanya kayak diinjak, keringetan dingin",
        "habis makan kerang, bibir adik bengkak dan suaranya serak",
        "orang jatoh dari motor di depan warung, diajak bicara cuma ngorok",
        "balita kami tadi ngemut sesuatu, sekarang ngiler terus dan tidak bisa batuk",
        "bapak kena paku berkarat seminggu lalu, sekarang rahangnya kaku susah buka mulut",
        "abang kirim pesan jaga ibu ya, sekarang hpnya mati",
        "my daughter says she wants it all to stop",
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
        "mau nyusul teman ke posyandu, masih buka?",  # catching up with someone, nobody died
        "napas ngos-ngosan habis naik tangga 4 lantai, wajar kan",
        "kena cipratan minyak sedikit, merah sedikit perih saja",
        "anak saya lahir 2 minggu lalu, sehat, kapan imunisasi pertamanya?",
        "nenek jatuh kemarin tapi sekarang sudah bisa jalan biasa",
        "suara saya serak dari pagi, tidak bisa bicara keras",
        "ada sesuatu yang mau saya tanyakan tapi tidak bisa bicara di telepon",
        "rahang saya kaku kalau bangun tidur",
        "mau bikin surat pamit dari kantor",
        "bibir bengkak habis cabut gigi, suara agak serak",
        "saya mau nulis surat wasiat untuk pembagian warisan",
        "nenek kangen cucu, pengen nyusul ke jakarta",
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


@pytest.mark.parametrize(
    ("message", "emergency"),
    [
        ("Is there a cheap hotel close to SSK II airport?", False),  # a name in capitals, not "sesak"
        ("mau ke RSUD naik apa dari terminal BRT ya", False),
        ("TOLONG BAPAK SAYA SSK NFS BIBIR BIRU", True),  # a shouted message keeps its hurried words
        ("ibu sy ssk nfs bgt dr td", True),
    ],
)
def test_capitals_are_names_unless_the_message_shouts(danger: Understanding, message: str, emergency: bool) -> None:
    assert (danger.danger(message) is not None) is emergency


@pytest.mark.parametrize(
    "message",
    [
        "adik saya pamit di grup keluarga, katanya capek hidup dan mau mengakhiri semuanya",
        "my friend said goodbye to everyone in our group chat tonight and says he will end his life",
    ],
)
def test_a_farewell_in_a_group_chat_is_no_story(danger: Understanding, message: str) -> None:
    """A chat group is where people say goodbye before ending their life: it is not news or a film."""
    assert danger.danger(message) is not None
