"""Look-alikes by family, read by the detector itself (round 13, helper lookM): general readings, not sentences.

A thing is the clause's subject (a phone, a laptop, a TV "kejang-kejang"; a car or a phone in the water), its owner
and small adverbs between ("laptop adek kejang kejang"); an animal named right after "kayak/seperti" is a comparison
("galak kayak anjing"); a cramp told as "kayak kejang" of the calf or a muscle; "kalau ..., harus ngapain?" asks
ahead; a rumour in a chat group or a public figure is far away; a sign "waktu bayi" is past; a cut already sewn
is handled; dying told of a battery or a shop; an owned pet told with its kind ("kucing belang saya"). Each family has an emergency beside it that must stay one (a parent unsure: "kayak kejang gitu"; a
thing only where it happens: "di mobil"; a real bite told first, the animal guessed after).
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        # other senses: a thing as the subject
        "tablet anak saya kejang kejang layarnya, servis resmi di pekanbaru di mana",
        "printer kami kejang terus dari pagi, ada teknisi dinas yang bisa datang?",
        "mobil pak rt tenggelam waktu banjir kemarin, semua orang selamat",
        "ponselnya kecebur ember, sudah dijemur",
        "batre hp saya sekarat, boleh numpang ngecas di loket?",  # dying: a battery, a shop
        "toko kelontong kami sekarat sejak ada minimarket, ada pelatihan umkm?",
        "kucing belang saya kejang kejang dari pagi, dokter hewan yang buka di mana",  # a pet told with its kind
        # a simile
        "bos baru galak kayak anjing mau gigit semua orang, stres saya",
        "kalau habis jalan jauh ototnya kayak kejang gitu, wajar kah",
        # hypothetical, asked ahead
        "kalau nenek mendadak kejang di rumah harus ngapain sebelum ambulans datang?",
        # news about someone far away
        "di grup wa sekolah katanya ada murid keracunan jajanan di kota lain, bener ga",
        "artis idola saya masuk icu karena serangan jantung, semoga cepat pulih",
        "kiper timnas pingsan di lapangan semalam, semoga lekas pulih",
        # past and handled
        "anak pertama saya dulu step waktu bayi, sekarang sudah sd, boleh vaksin campak?",
        "tiga hari lalu tangan kena pisau berdarah banyak, sudah dijahit, jahitannya kapan dibuka",
    ],
)
def test_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        "tolong anak saya kayak kejang gitu, matanya ke atas, dipanggil tidak menyahut",  # a parent unsure
        "bayi kami kejang kejang di mobil, sekarang masih di jalan",  # a car only where it happens
        "ayah jatuh dari motor lalu kejang",
        "kakek sekarat di kamar, napasnya tinggal satu satu",  # dying, a person
        "kucing liar cakar saya sampai berdarah banyak tidak berhenti",  # an animal's verb, not its kind
        "anak saya pemain bola, tadi pingsan di lapangan tidak sadar",  # one's own child who plays
        "digigit binatang kayak anjing liar di ladang tadi, lukanya dalam dan berdarah",  # the bite told first
        "tangan adik digigit binatang di semak, kayak anjing, lukanya dalam",  # the guess in a clause of its own
        "anak tenggelam di kolam renang, baru diangkat, tidak bernapas",
        "dadanya seperti diremas dari tadi, keringat dingin, ayah 58 tahun",  # a simile that is the sign
        "dulu pernah kejang waktu bayi, tapi sekarang kejang lagi sudah 5 menit",  # past, then again now
    ],
)
def test_emergencies_beside_them_stay(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message
