"""Round 13 danger families (set L tuned on), read by the detector itself: each a way residents describe a sign.

Emergencies: bitten told with "ke-" ("kegigit", "kepatuk"); a baby not felt moving in Riau Malay ("tak rase");
someone else's words of suicide told by a relative ("says he'll kill himself"); diarrhoea told as trips to the
toilet ("bolak balik wc") with dark urine; a limb bent after a fall ("bengkok", a clause after it no question);
blood flowing from a pulled tooth without the word "darah"; an insecticide by its everyday name with drooling and
tiny pupils; a monitor lizard's bite; the baby's hand or foot out first (Buku KIA); the free ambulance's number
wanted now ("perlu sekarang"). A sentence telling a high temperature after a low one still counts. From set K's
lines the rules still missed: a card "still active" clears nobody; no answer when called; a throat getting tight;
sight lost on one side; a chin that cannot touch the chest.
Look-alikes: cramps in Riau Malay ("urat tarik"); a baby under 3 months at 37.5-37.9 after a shot; upset at
someone's behaviour ("sesak liat kelakuan"); breathing told normal again; an IGD visit last week; a borrowed
village ambulance next week; asking "to be prepared"; a first-aid myth asked in general; land and forest fires;
a fever denied right after it ("demam nggak, ..."); fear of a named sign ("takut stroke"); a birth due months
ahead ("mau lahiran 2 bulan lagi").
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "bapak kegigit ular pas di kebun sawit, kakinya bengkak",  # "ke-" for bitten
        "suami kepatuk ular waktu ngambil kayu, sekarang muntah",
        "sy hamil 8 bulan, dah tak rase budak gerak dari pagi",  # not felt moving, Riau Malay
        "my friend says he is going to kill himself tonight and now his phone is off",  # told by someone else
        "nenek bolak balik ke toilet dari semalam, lemas sekali",  # diarrhoea told as trips
        "anak dari pagi bolak balik kamar mandi, pipisnya sedikit warna teh",
        "adik jatuh dari pohon, tangannya bengkok tidak benar, nangis terus",  # a bent limb after a fall
        "habis cabut gigi tadi pagi, ngocor terus sampai sekarang, sudah ganti kapas berkali kali",  # a pulled tooth
        "anak sy minum obat serangga, ngiler banyak dan matanya jadi kecil",  # insecticide, its signs
        "kaki bapak digigit biawak, sekarang bengkak dan demam",  # a monitor lizard
        "istri mau melahirkan di rumah, tangan bayi keluar duluan",  # Buku KIA: a hand out first
        "nomor ambulans gratis berapa? perlu sekarang buat bawa kakek",  # the number wanted now
        "bayi sy 2 bulan panas, pagi 37,6 sekarang 39",  # a high temperature after a low one
        "bapak tiba2 dadanya kayak ditindih, napas pendek2. kartu bpjs nya masih aktif ga?",  # a card "still active"
        "my grandmother fell in the bathroom and is not answering when we call her",  # no answer when called
        "I'm allergic to shrimp and ate some by mistake, my throat is getting tight",  # the throat tightening
        "ibu dari tadi tidak bisa lihat yang sebelah kanan, jalannya oleng",  # sight lost on one side
        "anak demam tinggi dari semalam, tidak bisa nempelin dagu ke dada",  # a stiff neck told by the chin
    ],
)
def test_round13_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "betis ambo kejang tiap malam, urat tarik, ape ubat die",  # cramps, Riau Malay
        "bayi 2 bulan habis imunisasi agak hangat 37,7, nyusu seperti biasa",  # below 38 under 3 months
        "dada sesak liat kelakuan tetangga tiap hari",  # a figure of speech
        "kemarin adik sempat sesak karena debu, sudah diuap dan sekarang napasnya normal",  # breathing normal again
        "bulan lalu kepala anak dijahit di igd, kapan jahitannya dilepas",  # an IGD visit in the past
        "can we borrow the village ambulance next week to take my uncle home from the hospital?",
        "what does a stroke look like? my father is 70 and I want to be prepared",  # asking to be ready
        "kalau kegigit ular boleh diisap racunnya?",  # a first-aid myth asked in general
        "hutan terbakar lagi dekat kampung, asapnya tebal, masker gratis di mana",  # a forest fire
        "badan pegal, demam nggak, boleh pijat di puskesmas?",  # a fever denied right after it
        "tensi bapak 160, takut stroke, cek kolesterol di mana ya",  # fear of a named sign
        "istri mau lahiran 2 bulan lagi, bpjs kami mati, gimana biar aktif lagi?",  # a birth months ahead
    ],
)
def test_round13_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message
