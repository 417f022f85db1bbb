"""Danger sign families read by the detector itself (fast): each family is a mechanism, not a set's line.

Regional sound changes, word order, the past and a present turn, birth dates as ages, senses of a word.
The chat-level behaviour is in tests/test_danger.py; these check the detector's reading directly.
"""

from __future__ import annotations

import pytest

from bot.engine.danger_spellings import minang
from bot.engine.understanding import Understanding


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
        # help asked for in other words: "no" for "nomor", a service's number, a car to fetch, who to call
        "nmr ambulans brp ya, darurat bgt",
        "tolong kasih no igd terdekat, cepat",
        "no ambulans dong min buruan",
        "ada kontak rumah sakit yang bisa jemput pasien sekarang? darurat",
        "harus telepon siapa ini, darurat, bapak jatuh tidak bangun",
        "who do i call, this is an emergency",
        "what number do i call for an ambulance, hurry",
        "bisa kirim mobil jemput pasien ke rumah? urgent",
        # suicide without its name: things given away, "won't see me again", a burden that should vanish, cuts
        "pacar saya bilang jangan cari dia lagi, barang barangnya dibagiin ke temen",
        "adik saya bagi bagi barang kesayangannya, bilang kita tidak akan ketemu lagi",
        "my brother is giving away his stuff and said we wont see him again",
        "udah capek nyusahin semua orang, mending aku menghilang saja",
        "aku cuma jadi beban, lebih baik aku tidak ada saja",
        "i am just a burden, better if i disappear",
        "anak saya ada sayatan baru di lengannya, dia kunci diri di kamar",
        "my daughter has fresh cuts on her wrists",
        "temen aku nyilet tangannya lagi, berdarah",
        # poisoning: a wild mushroom in Malay ("kulat"), charcoal or a generator in a closed room
        "anak saya makan kulat dari hutan, sekarang muntah muntah",
        "sekeluarga pusing dan muntah setelah genset dinyalakan di dalam rumah",
        "pakai anglo arang di kamar tertutup semalam, sekarang semua lemas dan pusing",
        "charcoal burning in the closed room, now we all have headache and vomiting",
        # choking: hands at the throat, no sound, no cough
        "anak saya megang leher, tidak bisa bersuara, tadi makan permen",
        "he is clutching his throat and cant cough",
        "balita tadi main koin, sekarang tidak bisa nangis dan tidak bisa batuk",
        # a newborn's small fit; "kejam" typed for "kejang" with a fever; a mild sign that grew
        "bayi 10 hari tangannya nyentak nyentak terus",
        "newborn 5 days old twitching and lip smacking, keeps going",
        "bayi baru lahir matanya berkedip kedip terus dan kakinya mengayuh",
        "anak saya kejam dari tadi, badannya panas tinggi",
        "hamil 7 bulan keluar darah sedikit, sekarang makin banyak",
        "bleeding a little at 30 weeks pregnant, now getting heavier",
        # unable to bear living; not wanting to be in the world; a burden out of reach; no way out, on a bridge
        "aku dah tak larat hidup",
        "aku udah gak mau ada di dunia ini",
        "adik saya bilang capek jadi beban, sekarang tidak bisa dihubungi",
        "i dont see a way out, ive been standing on the bridge",
        "gimana cara manggil ambulans ke rumah, nenek jatuh",  # how to call one is asking for the number
        # guards that must not reach: home care, a turn after "dirawat di rs", a place, "nobody" with a comma
        "kakek dirawat di rumah saja, sekarang sesak berat bibirnya biru",
        "ibu saya dirawat di rs, tapi sekarang di rumah kejang lagi",
        "anak saya di mobil kejang dari tadi",
        "tak ada siapa di rumah, anak saya kejang",
        "suami saya bilang maaf untuk semuanya, hpnya tidak aktif sekarang",
        "saya risiko tinggi, sekarang dada sakit sekali menjalar ke lengan kiri keringat dingin",
        # round 6, the grammar's gaps (bench/danger_grammar.py): something heavy fallen on someone; a big blade; a wound
        # that keeps bleeding; something hot spilt; heat with delirium or vomiting; a fever with delirium
        "bapak ketimpa pohon sawit di kebun",
        "abang kena parang waktu nebas rumput, berdarah",
        "luka di kaki anak saya keluar darah terus dari tadi",
        "my dad cut his leg deep and blood is pouring",
        "adik ketumpahan kuah panas di dadanya",
        "nenek kena uap panas dandang, kulitnya mengelupas",
        "mertua saya abis narik becak siang panas, sekarang ngelantur",
        "bapak kerja di lapangan panas, muntah dan pusing berat",
        "anak demam tinggi dari kemarin, sekarang meracau tidak kenal orang",
        # dengue: little urine (never mild), pain under the ribs; pregnancy: a pressure from 160, a high fever in words
        "adik demam hari ke 4, pipisnya sedikit",
        "bapak demam 3 hari, ulu hatinya nyeri",
        "istri hamil 30 minggu, tensinya 170, pusing",
        "saya hamil 6 bulan, demam tinggi menggigil",
        # signs that are one clue alone: epilepsy flaring, one eye gone dark, slurred speech, a drooping mouth, a rope
        "kakek ayannya kambuh",
        "bapak tiba tiba matanya gelap sebelah",
        "ibu dari tadi ngomongnya pelo",
        "my grandpa is slurring",
        "nenek ngeces sebelah",
        "saya udah nyiapin tali",
        "my baby will die please help, he is blue",
        # other words for a sign already known
        "my son ate shrimp and his throat feels like closing",
        "bayi saya 10 hari dadanya cekung waktu napas",
        "anak saya minum obat kebanyakan",
        "suami demam tinggi, kalau nunduk kesakitan",
        "adiak ambo tagelam di batang aia",
        "dada bapak nyeri, lemas tidak kuat berdiri",
        "ada nomor ugd terdekat?",  # "ada ... igd" with a word between is no "rs yang ada igd"
        "anak saya indak sadar dah dari tadi",  # "tidak sadar sudah" is "did not notice" only before a time or a date
        # round 6, the families set E's misses belong to, told in other words: ages in Malay and Minang number
        # words; a baby who is blue; the head bent back; the whole body stiff and shaking; coffee-ground vomit;
        # bleeding that does not stop, on blood thinners; "tidak sanggup" as a message reads it; ending one's life
        "bayi kami baru due bulan, badannya anget",
        "anak ambo umua sabulan labiah, damam",
        "tolong bayi sy biru",
        "adik demam tinggi, kepalanya tertarik ke belakang",
        "nenek tiba2 badannya tegang, tangannya gemetar",
        "bapak demam 4 hari, muntahnya hitam kayak ampas kopi",
        "mimisan kakek gak mampet dari tadi",
        "nenek minum obat pengencer darah, sekarang mimisan",
        "handuknya sudah basah darah, lukanya di kepala",
        "aku tidak sanggup hidup lagi",
        "rasanya pengen ngilangin nyawa sendiri",
        # round 6, the guards' twins (bench/danger_lookalikes.py): a first-aid question after a sign told now; a turn to
        # one's own people after the news or homework; a doctor on duty; a service's name as a place or before someone
        "budak saye kejang dah 10 minit tak berhenti, macam mane nak tolong?",
        "nenek berdarah tidak berhenti dari tadi, pertolongan pertamanya apa?",
        "anak saya kejang dari tadi, kalau begini harus bagaimana?",
        "lagi nonton berita, tiba tiba bapak saya pingsan tidak bangun bangun",
        "tengah tengok berita, tibe tibe atok sesak nafas teruk, bibir biru",
        "we were watching the news when my dad suddenly passed out and is not waking up",
        "i was doing homework and suddenly my brother cant breathe and his lips are blue",
        "ada dokter jaga? nenek kejang kejang sudah 10 menit",
        "dah jage tapi adik saye tetap pengsan tak bangun bangun",
        "anak saya di klinik kejang dari tadi tidak berhenti",
        "habis terapi bapak sesak napas berat, bibirnya biru",
        "bapak ada sejarah strok, sekarang tiba tiba mukanya mencong dan cakapnya pelo",
        # negation across two words stops at the clause; "already discharged" clears only what came before a turn
        "belum ada yang datang menolong dan anak saya kejang dari tadi tidak berhenti",
        "no one has come yet and my dad passed out and is not waking up",
        "sudah keluar dari rs, tapi sekarang bapak saya sesak napas berat, bibirnya biru",
        "mau lapor ada kecelakaan di jalan, korbannya kepalanya berdarah dan tidak sadar",
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
        # a number asked for without urgency, things given away for a move, a burden without vanishing
        "no hp bidan desa berapa ya, mau konsultasi",
        "nomor puskesmas rumbai berapa ya min",
        "who do i call to book an immunisation",
        "dia bagi bagi barang bekas ke tetangga karena mau pindah rumah",
        "barang barangnya dibagiin ke panti asuhan, mau tanya donasi obat",
        "mending aku pergi saja ke puskesmas besok ya",
        "aku merasa jadi beban karena belum kerja, ada konseling gratis?",
        "bosen bgt hidup gini2 aja, pengen pindah kerja",  # bored is not unable to bear
        # surgery scars, a kitchen cut, mould, a barbecue, habits, normal newborn trembling, "kejam" as cruel
        "bekas sayatan operasi caesar gatal, normal?",
        "jari saya tersayat pisau waktu masak, sedikit",
        "kulat di dinding kamar mandi bahaya ga buat bayi",
        "bakar arang buat sate di halaman, aman kan",
        "genset di luar rumah berisik, ada aturan?",
        "anak saya suka pegang leher kalau ngantuk, normal ga",
        "permen karet tertelan, anaknya biasa saja main",
        "bayi 2 minggu dagunya gemetar kalau nangis, normal?",
        "bayi baru lahir sering kaget kagetan, wajar?",
        "suami saya kejam, sering marah, ada konseling?",
        # already admitted; "risiko"/"nanti kena"; a thing that sinks or burns; nobody; a video; a simile;
        # "sudah biasa saja" and "semua selamat" after the sign
        "hamil 8 minggu ada flek sedikit sekali, sudah ke bidan katanya aman",
        "nenek dirawat di rs karena stroke, jam besuk kapan ya",
        "my mom is admitted to the icu after a heart attack, how do we get the bpjs referral",
        "bapak berisiko tinggi kena serangan jantung kata dokter, olahraga apa yang aman",
        "jangan makan durian banyak nanti kena stroke, betul ga",
        "motor saya tenggelam waktu banjir, bisa klaim?",
        "mobilnya terbakar di parkiran, untung kosong",
        "tidak ada yang kena gigit anjing itu, cuma kaget",
        "tidak ada yang pingsan kok, cuma panik",
        "nonton video orang kejang di tiktok, serem, cara nolongnya gimana",
        "tidur saya kayak orang mati, susah bangun pagi",
        "kemarin sempat pusing, sekarang sudah biasa saja, boleh donor?",
        "rumah tetangga kebakaran minggu lalu, semua selamat",
        # round 6: a bare number is no fever ("39 minggu"); a burn told as only red; a parent's "bingung" is no delirium
        "hamil 39 minggu, belum ada kontraksi, kapan ke bidan?",
        "tangan kena setrika sebentar, cuma merah, tidak melepuh",
        "rs mana yang ada igd?",
        "saya tidak sadar sudah jam 12, masih bisa daftar?",
        "anak saya demam, saya bingung kasih obat apa",
        "kata dokter hasil labnya tidak jelas, harus ulang?",
        "minum kopi panas pagi ini enak",
        "baju bayi warna biru ukuran berapa ya",  # a blue thing a baby has
        "kado bayi biru atau pink yang bagus?",
        # round 6 (bench/danger_lookalikes.py): asked ahead ("kalau ... pertolongan pertamanya apa"); a service's
        # topic; history in Malay and English; recovered; homework and a drama in Malay; an idiom
        "kalau bapak saya kena stroke pertolongan pertamanya apa?",
        "kalau cucu saye kejang macam mane nak tolong?",
        "what should i do if my son ever has a seizure?",
        "poli untuk stroke buka jam berapa?",
        "pengobatan luka bakar ditanggung bpjs tidak?",
        "which hospital has a specialist for heart attacks?",
        "berapa biaya kontrol kejang demam di puskesmas?",
        "mak saye ade sejarah kejang, boleh derma darah?",
        "i passed out when i was little, can it come back?",
        "my dad had a heart attack last week but has fully recovered, when is the follow up?",
        "budak saye ade kerje sekolah pasal strok, ade bahan?",
        "tengok drama, ade babak orang cube bunuh diri",
        "is there a class on preventing food poisoning?",
        "ada dokter spesialis stroke di rs mana?",
        "hampir mati ketawa nonton lawak",
        # negation across two words or over the sign's own modifier; recovered in everyday words; learning first aid;
        # a treatment's topic with a modifier; an ambulance some day; a cramp
        "nobody had a seizure, we were just scared",
        "my daughter has no food poisoning, just a cold",
        "alhamdulillah istri saya hamil 7 bulan tidak keluar flek, mau tanya obat batuk",
        "suami saya kemarin pingsan, sekarang sudah segar lagi, mau tanya surat sakit",
        "budak saye kejang semalam, dah segar balik lepas makan",
        "my mum had a stroke last week, already discharged, how do i claim bpjs?",
        "nak belajar tolong orang lemas dalam air, ade kelas?",
        "does bpjs cover treatment for febrile seizures?",
        "is the ambulance free for bpjs members, just in case we need it some day?",
        "urat betis tegang masa tidur, kejang urat je, dah hilang",
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
        # two letters swapped in a chat word or a phrase's word, or under a suffix; a letter typed twice
        "anak saya munatber dari pagi, lemse sekali",
        "gusinay berdarah, demam 4 hari",
        "bayi 3 minggu pipiis tidak ada dari pagi, lemas",
        "adik digigit ular, kakinya bengkakk besar",
        "gigi adik bekancing dari tadi",  # Malay be- for ter- ("terkancing")
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
