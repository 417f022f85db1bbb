"""Round 10 danger families (set I tuned on), read by the detector itself: each a way residents describe a sign.

Emergencies: blood told by how it flows or pools ("netes terus ke lantai", "blood everywhere"); someone who only
groans when pinched or does not react when shaken and shouted at; fluids that will not stay down with weakness or
dry signs; a child slipped into a tub or a bucket ("kepleset", "kecebur"); Malay delirium in the heat ("melalut");
a burn over the whole body ("lecur satu badan"); a last chat with "besok"; things given away typed with "2"
("bagi2in"); the number of a car to fetch a sick person.
Look-alikes: a name that holds a sign's word ("rumah sakit", "demam berdarah", "emergency department"); a thing
that "strokes" (a phone that hangs); a fever denied with "sih enggak"; a mild word inside the phrase ("napasnya
agak bunyi"); a patient already taken to the IGD or already home; how to tell two signs apart; a wheeze that
eased; a light scratch with no blood from one's own cat; "tidak sadar sudah pukul"; hot weather; an accident
already handled; a home birth told as done; red spots with a fever asked as "is it dengue"; "KMS" (the growth
card) is no "kill myself"; a place of one word ("Limbungan", "Barat") is no sign's word; a breath-holding spell.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "suami kena pisau dapur waktu motong daging, darahnya netes terus ke lantai",  # how blood flows
        "my son cut his leg on broken glass, blood everywhere, the towel is soaked",
        "opung dicubit cuma merintih, habis itu diam lagi, biasanya sudah bangun jam segini",  # groans only
        "we shook him and shouted at him, nothing, he is still breathing",  # no reaction when shaken
        "bapak sy dari kemarin tidak bisa minum, lemas sekali, bibir kering",  # no fluids in, weak
        "my grandmother cant keep fluids down since yesterday and is very confused",
        "anak sy kecebur di bak mandi, sudah diangkat tapi lemas",  # slipped into a tub
        "cucu ambo kepleset masuk kolam ikan, sekarang tidak sadar",
        "atok kerja di kebun dari pagi, sekarang melalut dan badan panas",  # delirium in the heat
        "rumah sebelah terbakar, makcik tu melecur sekujur badan",  # a burn over the whole body
        "ini pesan terakhir aku, besok aku sudah pergi",  # a last message with "besok"
        "kakak sy bagi2in barangnya ke teman2, terus pamit pamitan",  # things given away, typed with "2"
        "ada mobil yang bisa jemput orang sakit sekarang? nomornya berapa",  # a car to fetch a sick person
    ],
)
def test_round10_families_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "tolong info jadwal poli anak rumah sakit umum daerah",  # "rumah sakit" holds no pain
        "what are the visiting hours at the emergency room of the city hospital? my aunt is a nurse there",
        "istri saya hamil 5 bulan, tetangga kena demam berdarah, perlu fogging?",  # "demam berdarah" no bleeding
        "laptop saya stroke lagi, aplikasi pendaftaran tidak bisa dibuka",  # a thing that hangs
        "tenggorokan gatal, batuk kering, demam sih enggak",  # a fever denied after it
        "bayi sy napasnya agak bunyi kalau tidur, hidungnya tersumbat ingus",  # a mild word inside the phrase
        "kemarin anak saya sudah dibawa ke igd, sekarang sudah pulang, surat kontrolnya ke mana",  # already seen
        "bagaimana cara membedakan kejang dan menggigil pada anak",  # how to tell apart
        "sesak saya sudah berkurang pakai inhaler, obatnya mau ambil lagi di mana",  # eased
        "kucing rumahan saya mencakar tangan, lecet sedikit, tidak keluar darah",  # a light scratch, no blood
        "tidak sadar sudah pukul 4, puskesmas masih buka?",  # did not notice the time
        "mimisan sebentar karena cuaca terik, sudah berhenti sendiri",  # hot weather, not a fever
        "tadi ada kecelakaan di depan pasar, sudah ditangani polisi, jalan mana yang lancar",  # handled
        "anak saya lahir di rumah dibantu bidan desa waktu itu, sekarang 3 bulan, imunisasi apa saja",  # done
        "anak demam 2 hari, muncul bintik merah di kaki, apakah itu tanda db?",  # spots asked as dengue
        "berat badan anak tidak naik di kms bulan ini, harus bagaimana",  # KMS, the growth card
        "cucu sy tiap ngamuk nahan napas sampai mukanya biru, trus nangis lagi, perlu ke dokter?",  # breath-holding
        "my son holds his breath when he is upset until his lips turn blue, then he is fine",
        "kakek tidak mau minum obat hipertensinya, katanya pusing",  # a medicine refused is no dehydration
        "pengambilan darah di lantai berapa ya di rsud?",  # a floor of the hospital, no blood on the floor
        "kulit kaki saya mengelupas seluruh badan gatal, salep apa",  # peeling skin is no burn
        "ada layanan antar jemput pasien cuci darah? nomornya berapa",  # a transport service
        "posyandu di Limbungan Baru buka jam berapa?",  # a place read as "limbung"
        "istri saya hamil 7 bulan, pusing, kami tinggal di Rumbai Barat, bidan terdekat di mana",  # "Barat" no "berat"
    ],
)
def test_round10_lookalikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message
