"""Danger signs generated from a grammar: recall per sign and per slot value, false alarms per look-alike kind.

    python -m bench.danger_grammar                    # every sign: recall per sign, gaps per slot value
    python -m bench.danger_grammar --sign stroke -v   # one sign label, with example misses per gap
    python -m bench.danger_grammar --write PATH       # the generated lines as a danger set (JSON lines)
    python -m bench.danger_grammar --chat             # the same lines through ONE `chat --jsonl` process

A tuning tool, not a blind set: the blind sets show how a new writer's wording fares, this shows why.
Each of the 22 sign labels of the blind sets has one grammar per language: the slots residents fill
(who it is about, the symptom words, the time, how bad, the frame of the message) and cores that put
them together ("{who} {sym} {time}"). Slot values are written from how residents of Riau write (everyday
Indonesian, chat spellings, Riau Malay, Minang, English, typos), not from any set's lines.

Lines are built one factor at a time: for every value of every slot, `--per` lines with that value and
the other slots drawn at random (a fixed seed), so a word the detector does not read shows as one
slot value with low recall, and a combination as a pair of values. Look-alikes are built the same way
from each sign's own words in frames that say it is not happening now (negated, resolved, past, a plan,
a question for later, a mild form), so a change that reads more words shows its false alarms too.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# --- who it is about ---------------------------------------------------------------------------------------
# fmt: off

WHO_ID = {
    "newborn": [
        "bayi saya yg baru lahir 5 hari", "anak sy baru lahir seminggu", "dedek bayi umur 10 hari", "bayi kami usia 2 minggu",
        "cucu saya yg baru lahir kemarin", "bayi baru lahir sy", "baby sy usia 3 hari", "bayi ponakan sy (12 hari)",
        "anak ambo baru lahia 6 hari", "budak aku baru lahir 4 hari", "bayiku yg umurnya 9 hari", "bayi sy 3 mgg",
        "dede bayi 1 minggu", "bayi yg baru lahiran kemaren",
    ],
    "infant": [
        "bayi saya 2 bulan", "anak sy umur 6 minggu", "bayi sy 1,5 bulan", "dedek umur 40 hari", "bayiku 2 bln",
        "bayi saya usia 10 minggu", "anak ambo umua 2 bulan", "budak aku 7 minggu", "cucu sy baru 2 bulan",
        "bayi kami (umur 1 bulan)", "bayi 8 minggu saya",
    ],
    "child": [
        "anak saya", "anak sy umur 3 thn", "balita saya", "adik saya yg 5 tahun", "anakku", "ponakan sy", "budak aku",
        "anak ambo", "cucu saya", "si kecil", "anak sy yg 7 tahun", "anak aku yg paling kecil", "adek sy",
        "bocah sy umur 4 taun",
    ],
    "pregnant": [
        "istri saya yg lagi hamil 7 bulan", "saya hamil 32 minggu", "bini sy hamil tua", "menantu sy hamil 8 bln",
        "aku lagi hamil 34 minggu", "istri sy hamil anak kedua, 30 minggu", "saya bumil 9 bulan", "adik ipar hamil 6 bulan",
        "bini ambo hamil 7 bulan", "isteri aku mengandung 8 bulan", "aku hamil 28 mgg",
    ],
    "elderly": [
        "bapak saya", "ibu sy yg udah sepuh", "mertua saya", "nenek sy", "kakek saya (70 th)", "abah", "mak ambo",
        "atok aku", "uwan", "apak ambo", "bapak mertua", "opung sy", "ortu sy",
    ],
    "adult": [
        "suami saya", "istri sy", "tetangga sebelah", "saya", "aku", "kawan kerja sy", "abang sy", "laki ambo",
        "kakak saya", "om saya", "laki aku", "teman kos sy",
    ],
}
WHO_EN = {
    "newborn": ["my newborn", "my baby (5 days old)", "our 10 day old baby", "my 2 week old", "my baby who was born last week"],
    "infant": ["my 2 month old", "my baby (6 weeks)", "our 7 week old baby", "my baby, 2 months old", "my 10 week old son"],
    "child": ["my son", "my daughter", "my 3 year old", "my kid", "my little boy", "my nephew", "my toddler"],
    "pregnant": ["my wife (32 weeks pregnant)", "I'm 34 weeks pregnant and", "my pregnant wife", "my sister, 30 weeks pregnant,"],
    "elderly": ["my dad", "my grandma", "my mother", "my grandfather", "my father in law", "my old mum"],
    "adult": ["my husband", "my wife", "my neighbour", "my friend", "my brother", "my coworker"],
}

TIME_ID = ["", "tiba-tiba", "tiba2", "tetiba", "dari pagi", "dari tadi", "udah 2 hari", "barusan", "sejak semalam",
           "td subuh", "mendadak", "dah dari tadi", "skrg"]  # fmt: skip
TIME_EN = ["", "suddenly", "since this morning", "for 2 days now", "just now", "all of a sudden", "right now"]
FRAME_ID = [
    "{c}", "tolong gimana ini, {c}", "{c}. harus gimana?", "{c}, tolong dok", "bu bidan, {c}", "{c} skrg gmn ni",
    "td pagi kami ke pasar, pulang2 {c}, saya bingung", "assalamualaikum, {c}", "{c}!! cepat tolong", "min {c}",
    "{c}, apa yg harus sy lakukan?", "maaf mengganggu malam2, {c}", "{c} 😭😭",
]  # fmt: skip
FRAME_EN = [
    "{c}", "please help, {c}", "{c}. what should I do?", "{c}, what do I do now", "hello, {c}",
    "we were at the market this morning and now {c}, I'm scared", "{c}!!! please", "{c}, is this an emergency?",
]  # fmt: skip

# Look-alike frames: the sign's own words told as not happening now.
CALM_ID = {
    "past": ["dulu waktu kecil {who} pernah {sym}, sekarang mau tanya jadwal posyandu", "tahun lalu {who} pernah {sym}, skrg udah sehat. kontrolnya kapan ya"],
    "resolved": ["kemarin {who} {sym}, udah dibawa ke rs dan sekarang udah sembuh, main seperti biasa", "{who} minggu lalu {sym}, alhamdulillah sudah pulang dan sehat"],
    "plan": ["kalau nanti {who} {sym}, apa yg harus saya lakukan?", "buat jaga2 aja, kalau {who} {sym} harus dibawa kemana?"],
    "question": ["mau tanya apa tanda2 {name}?", "apa bedanya {name} dengan masuk angin?", "materi penyuluhan kader: ciri2 {name} apa aja?"],
    "news": ["tadi nonton berita, ada orang {sym} di kampung sebelah", "di sinetron semalam ada adegan {who} {sym}"],
}  # fmt: skip
CALM_EN = {
    "past": ["{who} once had {name} years ago, now I want to ask about check ups", "last year {who} had {name}, now fine. when is the next check up?"],
    "resolved": ["yesterday {who} {sym}, we went to the hospital and now fine, back to normal"],
    "plan": ["just in case, what should I do if {who} {sym}?", "what should I do if {who} ever {sym} in the future?"],
    "question": ["what are the signs of {name}?", "is {name} the same as a cold?"],
    "news": ["saw on the news that someone {sym} in the next village"],
}
# fmt: on


@dataclass
class Grammar:
    label: str
    lang: str
    who: list[str]  # categories of WHO_ID / WHO_EN
    cores: list[str]  # "{who} {sym} {time}"; every {slot} is filled from slots or the shared ones
    slots: dict[str, list[str]]
    names: list[str] = field(default_factory=list)  # the sign's name, for look-alike questions ("stroke")
    neg: list[str] = field(default_factory=list)  # negated or mild forms: "{who} demam tapi tidak kejang"
    calm_sym: list[str] = field(default_factory=list)  # the sign told in a past/resolved/plan frame (else "sym")


def _g(label: str, lang: str, who: list[str], cores: list[str], **slots: list[str]) -> Grammar:
    names = slots.pop("names", [])
    neg = slots.pop("neg", [])
    calm_sym = slots.pop("calm_sym", [])
    return Grammar(label, lang, who, cores, slots, names, neg, calm_sym)


# fmt: off
ADULTS = ["elderly", "adult"]
ANYONE = ["child", "elderly", "adult"]

GRAMMARS: list[Grammar] = [
    # --- heart attack ---------------------------------------------------------------------------------
    _g("heart_attack", "id", ADULTS, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}", "{sym} {time}, {who} {extra}"],
       sym=["dadanya sakit kayak ditindih batu", "nyeri dada kiri tembus ke punggung", "dada kiri sakit menjalar ke lengan kiri",
            "dadanya sesak kayak diremas", "dada sakit keringat dingin", "megangin dada terus ambruk", "dada rasa terbakar sampai rahang",
            "dade sakit macam kene himpit", "dado sakik bana, paluah dingin", "dadanya nyeri hebat, mukanya pucat",
            "nyeri ulu hati tembus ke dada, keringetan dingin", "sakit dada kiri, tangan kiri kebas", "dada terasa berat bgt, napas sesak",
            "dadanya nyeri kayak ditusuk2", "ngeluh dada sakit bgt sampe ke lengan", "dadanya sakit gak ilang2 udah setengah jam",
            "kena angin duduk", "serangan jantung kayaknya", "jantungnya kumat, dada sakit", "dada kiri nyeri, keringat sebesar jagung"],
       extra=["pucat bgt", "keringat dingin", "mual mau muntah", "napasnya pendek2", "lemes", "gak kuat berdiri", "mukanya abu2"],
       names=["serangan jantung", "angin duduk"],
       neg=["{who} dada sakit kalau ditekan aja, abis angkat galon", "{who} nyeri dada dikit pas batuk, gak sesak", "{who} sakit hati diputusin pacar, dada rasanya sesak"],
       calm_sym=["kena serangan jantung", "dada sakit menjalar ke lengan"]),
    _g("heart_attack", "en", ADULTS, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["has crushing chest pain", "says his chest feels like an elephant is sitting on it", "has chest pain going down his left arm",
            "is clutching her chest", "has tight chest and cold sweat", "has pain in the chest spreading to the jaw",
            "chest is hurting so bad", "is having a heart attack i think", "has pressure in his chest that won't go away"],
       extra=["sweating a lot", "very pale", "feels sick", "short of breath", "can't stand up"],
       names=["a heart attack"],
       neg=["{who} has a sore chest only when I press on it, after the gym"], calm_sym=["had chest pain"]),
    # --- stroke -----------------------------------------------------------------------------------------
    _g("stroke", "id", ADULTS, ["{who} {time} {sym}", "{who} {sym} {time}", "{who} {time} {sym}, {sym2}"],
       sym=["mukanya mencong sebelah", "mulutnya miring ke kiri", "bibirnya turun sebelah", "ngomongnya pelo", "bicaranya gak jelas kayak orang mabuk",
            "tangan kanannya gak bisa diangkat", "separuh badannya lemes", "kaki kirinya lumpuh", "senyumnya gak simetris", "gak bisa ngomong",
            "mulut herot, cakap pelat", "muko mancong", "sebelah badan kebas", "matanya gelap sebelah", "kepala sakit hebat lalu muntah",
            "wajahnya jatuh sebelah", "tangan kirinya gak ada tenaga", "ngomongnya ngaco gak nyambung", "ngeces sebelah", "jalannya sempoyongan mau jatuh ke kanan",
            "kena stroke lagi kayaknya", "kecek indak jaleh"],
       sym2=["ngomongnya pelo", "tangannya lemes sebelah", "mukanya mencong", "pusing berputar", "muntah2"],
       names=["stroke"],
       neg=["{who} kesemutan abis duduk lama", "{who} pegal tangan abis angkat galon", "{who} mukanya mencong bercanda buat konten"],
       calm_sym=["kena stroke ringan", "mukanya mencong sebelah"]),
    _g("stroke", "en", ADULTS, ["{who} {time} {sym}", "{who} {sym} {time}, {sym2}"],
       sym=["face is drooping on one side", "is slurring his words", "can't lift her right arm", "smile looks crooked", "can't talk properly",
            "one side of his body went weak", "is having a stroke", "mouth is twisted to one side", "speech is garbled"],
       sym2=["and his arm is weak", "and she can't speak", "and his face looks uneven"],
       names=["a stroke"], neg=["{who} has numb legs after sitting cross legged"], calm_sym=["had a mild stroke"]),
    # --- seizure ------------------------------------------------------------------------------------------
    _g("seizure", "id", [*ANYONE, "infant"], ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["kejang2", "kejer2", "kelojotan", "step", "stip", "badannya kaku matanya ke atas", "matanya mendelik tangannya menghentak2",
            "mulutnya berbusa badannya kaku", "sawan", "ayannya kambuh", "kejang gak berhenti2", "menggelepar", "tangan kaki kaku terus gemeteran",
            "kejang abis demam tinggi", "tekejang2", "kejng", "step lagi gara2 panas", "sawan babi kambuh"],
       extra=["udah 5 menit", "gak sadar", "panas tinggi", "matanya ke atas", "gak berhenti"],
       names=["kejang demam", "epilepsi"],
       neg=["{who} demam tapi gak kejang", "{who} betisnya kejang kram abis renang", "{who} minum obat kejang rutin, udah 2 tahun bebas kejang"],
       calm_sym=["kejang demam", "step"]),
    _g("seizure", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["is having a seizure", "is fitting", "is shaking all over and stiff", "eyes rolled back and jerking", "is convulsing", "had a fit and it won't stop"],
       extra=["for 5 minutes now", "foam at the mouth", "high fever", "not responding"],
       names=["a seizure", "febrile seizures"], neg=["{who} has leg cramps at night"], calm_sym=["had a febrile seizure"]),
    # --- unconscious ---------------------------------------------------------------------------------------
    _g("unconscious", "id", ANYONE, ["{who} {time} {sym}", "{who} {sym} {time}", "{who} {time} jatuh, {sym}"],
       sym=["pingsan", "gak sadar", "gak sadarkan diri", "dipanggil gak nyahut", "dibangunin gak bangun2", "tergeletak di lantai gak gerak",
            "ambruk gak respon", "semaput", "pitam", "pengsan", "tak sedarkan diri", "indak sadar", "dicubit diem aja", "gak bangun2",
            "gak ada respon", "kelenger", "pinsan", "tdk sadar", "gk sadar2", "pingsan gak bangun lagi"],
       names=["pingsan"],
       neg=["{who} tidur pulas susah dibangunin, pas bangun biasa aja", "{who} hampir pingsan liat tagihan", "{who} tidak sadar kalau jadwal posyandu lewat"],
       calm_sym=["pingsan", "tidak sadar"]),
    _g("unconscious", "en", ANYONE, ["{who} {time} {sym}", "{who} {sym} {time}"],
       sym=["passed out", "is unconscious", "won't wake up", "collapsed and is not responding", "fainted and isn't waking", "is unresponsive"],
       names=["fainting"], neg=["{who} almost fainted at the queue but is fine"], calm_sym=["fainted"]),
    # --- breathing -------------------------------------------------------------------------------------------
    _g("breathing", "id", [*ANYONE, "infant"], ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["sesak napas", "susah napas", "napasnya megap2", "bibirnya biru", "napas bunyi ngik ngik", "dadanya narik ke dalam", "napas cepet bgt",
            "gak bisa napas", "nafas tersengal2", "asmanya kambuh, inhaler gak mempan", "keselek permen gak bisa batuk", "sesak sampe gak bisa ngomong",
            "semput", "angok sasak", "mengap2", "ngap2an", "napasnya berat bgt", "sesek bgt", "susah bernafas", "tercekik biji rambutan"],
       extra=["bibirnya kebiruan", "gak bisa ngomong", "dadanya naik turun", "udah pakai inhaler gak mempan", "lemes"],
       names=["sesak napas", "asma"],
       neg=["{who} ngos2an abis lari pagi, sekarang udah normal", "{who} pilek hidung tersumbat dikit, gak sesak", "{who} sesak hati liat harga cabe"],
       calm_sym=["sesak napas", "asma kambuh"]),
    _g("breathing", "en", [*ANYONE, "infant"], ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["can't breathe", "is struggling to breathe", "lips are turning blue", "is wheezing and gasping", "is choking and can't cough",
            "breathing very fast and ribs sucking in", "inhaler isn't helping"],
       extra=["can't talk", "blue lips", "very scared"],
       names=["asthma"], neg=["{who} is out of breath after football"], calm_sym=["had an asthma attack"]),
    # --- newborn -------------------------------------------------------------------------------------------
    _g("newborn", "id", ["newborn"], ["{who} {sym} {time}", "{who} {time} {sym}, {extra}", "{who}, {sym}"],
       sym=["gak mau nyusu", "gak mau netek", "lemes bgt diem aja", "kuning sampe telapak kaki", "badannya dingin", "tali pusarnya merah bernanah bau",
            "napasnya cepet", "napasnya merintih", "demam", "kejang", "tidur terus susah dibangunin", "nangisnya lemah", "badannya biru",
            "muntah hijau", "perutnya kembung keras", "pusarnya bengkak keluar nanah", "gak mau menyusu sama sekali", "kuningnya sampe kaki",
            "matanya bernanah", "malas nyusu, lemas", "panas", "tangannya nyentak2 terus", "dingin bgt badannya"],
       extra=["lemes", "gak mau nyusu", "nangis lemah", "diem aja"],
       names=["kuning pada bayi"],
       neg=["{who} kuning dikit di muka, nyusu kuat, aktif", "{who} tali pusarnya lepas, kering, gak merah", "{who} cegukan abis nyusu"],
       calm_sym=["kuning", "gak mau nyusu"]),
    _g("newborn", "en", ["newborn"], ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["won't feed", "is very floppy and sleepy", "is yellow down to the soles", "feels cold", "cord is red and smelly with pus",
            "is grunting and breathing fast", "has a fever", "is blue around the lips", "is vomiting green"],
       extra=["very sleepy", "weak cry"],
       names=["newborn jaundice"], neg=["{who} has slightly yellow face but feeds well"], calm_sym=["was jaundiced"]),
    # --- infant fever (under 3 months) -------------------------------------------------------------------
    _g("infant_fever", "id", ["infant", "newborn"], ["{who} {sym} {time}", "{who} {time} {sym}", "{who} {sym}, {extra}"],
       sym=["demam", "panas", "badannya panas 38,5", "suhunya 38", "anget bgt", "panas tinggi", "demam gak turun2", "meriang", "angek",
            "suhu 39", "badannya panas bgt", "demem", "dmam", "panasnya 38 koma 2", "suhu tubuhnya 38.4", "badan hangat terus"],
       extra=["rewel", "gak mau nyusu", "tidur terus", "nangis terus"],
       names=["demam pada bayi"],
       neg=["{who} abis imunisasi anget dikit, suhu 37,5, nyusu biasa", "{who} gak demam, cuma pilek", "{who} suhunya 36,8 normal kan"],
       calm_sym=["demam", "panas"]),
    _g("infant_fever", "en", ["infant", "newborn"], ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["has a fever", "has a temperature of 38.3", "feels hot", "is burning up", "has a fever of 38"],
       extra=["fussy", "sleeping a lot"],
       names=["fever in babies"], neg=["{who} temperature is 36.9, normal"], calm_sym=["had a fever"]),
    # --- dengue ----------------------------------------------------------------------------------------------
    _g("dengue", "id", ANYONE, ["{who} {fever}, {warn}", "{who} {warn}, {fever}", "{who} {dbd} {time}, {warn}"],
       fever=["demam hari ke-4", "demam 3 hari", "panasnya udah turun", "abis demam 5 hari", "panas turun tp", "demam tinggi dari senin", "damam 4 hari"],
       warn=["gusinya berdarah", "tangan kakinya dingin", "mimisan", "muntah terus", "perutnya sakit bgt", "lemes bgt gak mau bangun", "bab hitam",
             "ada bintik2 merah", "gelisah tangan dingin", "muntah darah", "ulu hatinya nyeri", "kaki tangan sejuk", "berdarah hidung",
             "pucat dan dingin"],
       dbd=["positif dbd", "kena demam berdarah", "trombositnya 40rb", "kata lab ns1 positif", "demam denggi", "dbd"],
       names=["demam berdarah", "dbd"],
       neg=["{who} demam 2 hari, masih main, minum banyak", "{who} trombositnya udah naik, udah pulang", "{who} cek ns1 negatif"],
       calm_sym=["kena dbd"]),
    _g("dengue", "en", ANYONE, ["{who} {fever} and now {warn}", "{who} has dengue, {warn}"],
       fever=["had fever for 4 days", "fever went down", "has been feverish since Monday"],
       warn=["gums are bleeding", "hands and feet are cold", "keeps vomiting", "has severe belly pain", "nosebleed", "is very restless", "black stool"],
       names=["dengue"], neg=["{who} had dengue last month, recovered"], calm_sym=["had dengue"]),
    # --- high fever with stiff neck --------------------------------------------------------------------------
    _g("high_fever_stiff_neck", "id", ANYONE, ["{who} {fever}, {neck}", "{who} {neck}, {fever} {time}", "{who} {fever} {time}, {neck}, {extra}"],
       fever=["demam tinggi", "panas tinggi", "demam 40", "demam", "damam tinggi", "suhunya 39,5", "badannya panas bgt", "meriang"],
       neck=["lehernya kaku", "kaku kuduk", "gak bisa nunduk", "tengkuknya keras", "lehernya tegang", "nangis kalau lehernya ditekuk",
             "kuduak kaku", "leher keras gak bisa ditekuk", "dagunya gak bisa nyentuh dada", "tengkuk kaku", "leher sakit kaku"],
       extra=["muntah", "silau liat lampu", "ngelantur", "kepala sakit bgt", "ngantuk terus"],
       names=["meningitis"],
       neg=["{who} leher pegal salah bantal, gak demam", "{who} demam dikit, leher gak kaku"], calm_sym=["demam dan leher kaku"]),
    _g("high_fever_stiff_neck", "en", ANYONE, ["{who} has {fever} and {neck}", "{who} {neck}, {fever}"],
       fever=["a high fever", "fever of 39.8", "a fever"],
       neck=["a stiff neck", "can't bend his neck", "neck is rigid", "can't put her chin on her chest"],
       names=["meningitis"], neg=["{who} has a stiff neck from sleeping wrong, no fever"], calm_sym=["had meningitis"]),
    # --- snake bite --------------------------------------------------------------------------------------------
    _g("snake_bite", "id", ANYONE, ["{who} {sym} {place}", "{who} {sym} {place}, {extra}", "{who} {time} {sym}"],
       sym=["dipatuk ular", "digigit ular", "kena patuk ulo", "kena patok ular hijau", "digigik ula", "kene patuk ular tedung", "dipagut ular",
            "digigit ular kobra", "kena gigit ular", "dipatok ular", "dipatuk uler"],
       place=["", "di kebun", "di sawah", "di kebun sawit", "pas nyari rumput", "di belakang rumah"],
       extra=["kakinya bengkak", "ada bekas taring", "pusing mual", "tangannya biru bengkak", "lemes"],
       names=["gigitan ular"], neg=["{who} liat ular di kebun, gak kena gigit", "{who} hampir dipatuk ular tapi sempat lari"],
       calm_sym=["dipatuk ular"]),
    _g("snake_bite", "en", ANYONE, ["{who} {sym} {place}", "{who} {sym}, {extra}"],
       sym=["got bitten by a snake", "was bitten by a cobra", "was struck by a snake"], place=["", "in the garden", "in the palm plantation"],
       extra=["leg is swelling", "two fang marks"], names=["snake bites"], neg=["{who} saw a snake but wasn't bitten"], calm_sym=["was bitten by a snake"]),
    # --- animal bite --------------------------------------------------------------------------------------------
    _g("animal_bite", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["digigit anjing liar", "digigit anjing tetangga sampe berdarah", "dicakar kucing liar", "digigit monyet", "digigit kelelawar",
            "kena gigit anjing kampung", "digigik anjiang", "kene gigit anjing", "digigit tikus got", "dicakar kucing jalanan sampe luka",
            "diserang anjing", "digigit anjing gila", "digigit beruk", "digigit musang"],
       extra=["lukanya dalam", "berdarah", "anjingnya gak tau vaksin apa belum", "kakinya luka"],
       names=["rabies"], neg=["{who} digigit kucing sendiri, udah vaksin lengkap, gak berdarah", "{who} dicakar kucing main, cuma gores tipis gak luka"],
       calm_sym=["digigit anjing"]),
    _g("animal_bite", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["got bitten by a stray dog", "was scratched by a stray cat", "was bitten by a monkey", "was bitten by a bat"],
       extra=["it's bleeding", "deep wound"], names=["rabies"], neg=["{who} was nipped by our vaccinated dog, no broken skin"],
       calm_sym=["was bitten by a dog"]),
    # --- poisoning -------------------------------------------------------------------------------------------------
    _g("poisoning", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["minum baygon", "keminum minyak tanah", "nelen obat sebotol", "makan racun tikus", "keracunan makanan muntah2", "minum pemutih",
            "nelan pil kb ibunya banyak", "makan jamur liar terus muntah", "ketelan kapur barus", "minum tiner", "minum obat tidur segenggam",
            "keracunan gas genset", "minum cairan pembersih lantai", "keracunan pestisida abis nyemprot", "minum bayclin", "minum racun rumput",
            "ketelan obat kakeknya", "keminum air aki", "termakan racun tikus", "nenggak obat nyamuk cair"],
       extra=["muntah2", "pusing", "mulutnya berbusa", "lemes", "sesak"],
       names=["keracunan"], neg=["{who} takut keracunan makanan kalau makan di luar", "{who} minum obat sesuai dosis dokter, aman"],
       calm_sym=["keracunan makanan"]),
    _g("poisoning", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["drank bleach", "swallowed rat poison", "took a whole bottle of pills", "drank kerosene", "ate wild mushrooms and is vomiting",
            "got into the cleaning products and drank some"],
       extra=["vomiting", "drowsy"], names=["poisoning"], neg=["{who} read about food poisoning"], calm_sym=["had food poisoning"]),
    # --- burn ---------------------------------------------------------------------------------------------------------
    _g("burn", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["kesiram air panas", "ketumpahan air mendidih", "kena minyak panas", "kulitnya melepuh", "kebakar kompor gas", "tersiram air panas di dada",
            "kena knalpot", "kena setrika", "kena api, tangannya melepuh", "luka bakar kena ledakan tabung gas", "melecur kena air panas",
            "tasiram aia angek", "kena petasan tangannya", "kesiram kuah panas", "kena air keras", "terbakar waktu bakar sampah"],
       extra=["melepuh besar", "kulitnya mengelupas", "nangis kesakitan", "lukanya luas"],
       names=["luka bakar"], neg=["{who} kulitnya merah abis berjemur di pantai", "{who} lidahnya kebakar makan sambal"],
       calm_sym=["kena luka bakar"]),
    _g("burn", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["got scalded with boiling water", "burned her arm on the stove", "spilled hot oil on his leg", "caught fire"],
       extra=["big blisters", "skin peeling"], names=["burns"], neg=["{who} has a sunburn from the beach"], calm_sym=["burned a finger"]),
    # --- drowning -------------------------------------------------------------------------------------------------------
    _g("drowning", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["tenggelam di kolam", "kelelep di sungai", "jatuh ke kolam", "hanyut terbawa arus", "ditemukan ngapung di bak mandi",
            "tenggelam di laut", "kecebur sumur", "jatuh ke parit", "kelemasan di sungai", "tagelam di batang aia", "kelelep di kolam renang",
            "jatuh dari perahu ke sungai"],
       extra=["udah diangkat tapi lemes", "gak napas", "gak sadar", "batuk2 muntah air", "bibirnya biru"],
       names=["tenggelam"], neg=["{who} takut tenggelam, mau les renang", "hp {who} tenggelam di kolam"], calm_sym=["hampir tenggelam"]),
    _g("drowning", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["nearly drowned in the pool", "was pulled out of the river", "fell into the pond"], extra=["not breathing", "coughing up water"],
       names=["drowning"], neg=["{who} is learning to swim"], calm_sym=["nearly drowned"]),
    # --- allergy ----------------------------------------------------------------------------------------------------------
    _g("allergy", "id", ANYONE, ["{who} {trigger}, {sym}", "{who} {sym} {trigger}", "{who} {trigger} {time}, {sym}"],
       trigger=["abis makan udang", "disengat tawon", "abis minum antibiotik", "abis makan kacang", "disengat lebah", "lepas makan ketam",
                "abis disuntik", "abis makan seafood"],
       sym=["bibirnya bengkak, sesak", "mukanya bengkak, sesak napas", "bentol seluruh badan dan pusing", "mata dan bibir bengkak", "tenggorokannya kayak tertutup",
            "gatal seluruh badan, sesak, mau pingsan", "lidahnya bengkak", "kaligata satu badan, semput", "biduran sekujur badan, lemes mau pingsan",
            "matanya bengkak sampe gak bisa buka"],
       names=["alergi berat", "anafilaksis"], neg=["{who} gatal dikit abis makan udang, gak bengkak", "{who} alergi debu, bersin2"],
       calm_sym=["alergi udang"]),
    _g("allergy", "en", ANYONE, ["{who} {trigger}, {sym}", "{who} {sym} {trigger}"],
       trigger=["after eating peanuts", "after a bee sting", "after the new antibiotic"],
       sym=["lips and tongue are swelling", "throat feels like closing", "hives all over and dizzy", "face swelling and can't breathe well"],
       names=["anaphylaxis"], neg=["{who} has a small itchy bump from a mosquito"], calm_sym=["had an allergic reaction"]),
    # --- suicide --------------------------------------------------------------------------------------------------------------
    _g("suicide", "id", ["self", "other"], ["{who} {sym}", "{who} {sym} {time}", "{sym}", "{sym}, {extra}"],
       sym=["pengen mati aja", "capek hidup", "mau bunuh diri", "udah gak kuat hidup", "mending aku gak ada", "mau loncat dari jembatan",
            "udah nyiapin tali", "mau minum obat semua biar selesai", "gak ada gunanya hidup", "mau mengakhiri semuanya", "pengen ilang aja dari dunia ini",
            "rasa nak mati je", "nak bunuh diri", "indak ado guno iduik", "mending mati", "pengen nyusul ibu aja", "udah nulis surat wasiat",
            "cape idup", "pgn mati", "pengen udahan aja hidupnya", "gak pengen bangun lagi besok", "lelah hidup", "pengen mati rasanya"],
       extra=["gak ada yg peduli", "udah gak kuat", "capek semuanya", "maafin aku"],
       names=["depresi"],
       neg=["mau mati ketawa liat video ini wkwk", "lagunya bikin pengen mati saking bagusnya", "{who} mati lampu dari tadi"],
       calm_sym=["pernah pengen mati"]),
    _g("suicide", "en", ["self_en", "other_en"], ["{who} {sym}", "{sym}", "{sym}, {extra}"],
       sym=["want to die", "want to kill myself", "don't want to live anymore", "tired of living", "wants to end it all", "is going to jump off the bridge",
            "have pills ready to end it"],
       extra=["nobody cares", "i can't go on"], names=["depression"], neg=["this homework is killing me lol", "dying to see the concert"],
       calm_sym=["felt low"]),
    # --- heavy bleeding -----------------------------------------------------------------------------------------------------------
    _g("heavy_bleeding", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["darahnya ngucur gak berhenti", "luka sobek dalam, darah banyak", "kena pisau, darah muncrat", "kena parang, darahnya deras",
            "mimisan gak berhenti sejam", "muntah darah", "berak darah banyak", "jarinya putus kena mesin", "lukanya gak berhenti berdarah",
            "tangan keiris kaca, darah mengalir terus", "kena dodos, luka dalam", "batuk darah", "kakinya robek kena seng, darahnya banyak",
            "berdarah2 kena celurit"],
       extra=["udah ditekan masih ngalir", "bajunya penuh darah", "pucat lemes", "pusing"],
       names=["perdarahan"], neg=["{who} jarinya keiris pisau dikit, udah berhenti", "{who} mimisan dikit tadi udah berhenti sendiri"],
       calm_sym=["luka berdarah"]),
    _g("heavy_bleeding", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["is bleeding a lot and it won't stop", "cut his leg deep and blood is pouring", "is vomiting blood", "nosebleed won't stop for an hour"],
       extra=["pale", "soaked through the towel"], names=["bleeding"], neg=["{who} has a small cut, stopped bleeding"], calm_sym=["had a nosebleed"]),
    # --- injury -------------------------------------------------------------------------------------------------------------------
    _g("injury", "id", ANYONE, ["{who} {sym} {time}", "{who} {time} {sym}, {extra}"],
       sym=["jatuh dari motor, kepala kebentur terus muntah", "kecelakaan motor, tulangnya keluar", "jatuh dari pohon, gak bisa gerakin kaki",
            "ditabrak mobil", "kesetrum listrik", "jatuh dari atap", "kepalanya kebentur lantai, muntah2 dan ngantuk", "tertimpa lemari",
            "jatuh dari tangga, kepala berdarah, linglung", "jatuh dari bumbung", "tajatuah dari batang karambia", "kecelakaan, kakinya patah",
            "kejedot tembok terus pingsan", "ketimpa pohon sawit"],
       extra=["gak bisa bangun", "bingung", "muntah", "lemes"],
       names=["patah tulang"], neg=["{who} jatuh dari sepeda cuma lecet, udah main lagi", "{who} kepala kejedot meja dikit, benjol aja, ceria"],
       calm_sym=["jatuh dari motor"]),
    _g("injury", "en", ANYONE, ["{who} {sym} {time}", "{who} {sym}, {extra}"],
       sym=["fell off the roof", "was hit by a car", "got electrocuted", "hit his head and keeps vomiting", "crashed his motorbike, bone sticking out"],
       extra=["can't move", "confused"], names=["head injuries"], neg=["{who} fell off his bike, just a scraped knee"], calm_sym=["fell off the bike"]),
    # --- dehydration ----------------------------------------------------------------------------------------------------------------
    _g("dehydration", "id", [*ANYONE, "infant"], ["{who} {gi} {time}, {dry}", "{who} {dry}, {gi}", "{who} {time} {gi}, {dry}"],
       gi=["muntah terus", "mencret", "diare", "muntah mencret", "muntaber", "berak cair terus", "cirit birit teruk", "muntah taruih", "menceret",
           "bab cair 8x", "muntah2", "diare 10x"],
       dry=["gak mau minum", "lemes bgt", "matanya cekung", "gak pipis dari pagi", "tiap minum muntah lagi", "bibirnya kering", "lemas tak larat",
            "lamah bana", "ngantuk terus", "mulutnya kering", "gak kencing seharian", "lemes gak bisa bangun"],
       names=["diare"], neg=["{who} mencret 2x, masih main, minum banyak", "{who} muntah sekali abis naik mobil, sekarang biasa"],
       calm_sym=["muntaber"]),
    _g("dehydration", "en", [*ANYONE, "infant"], ["{who} {gi} {time}, {dry}", "{who} {dry}, {gi}"],
       gi=["has been vomiting", "has diarrhea", "keeps throwing up"],
       dry=["won't drink", "very weak", "no wet diapers", "sunken eyes", "can't keep water down"],
       names=["dehydration"], neg=["{who} had loose stool once, drinking fine"], calm_sym=["had diarrhea"]),
    # --- heatstroke ----------------------------------------------------------------------------------------------------------------------
    _g("heatstroke", "id", ANYONE, ["{who} {heat}, {sym}", "{who} {sym} {heat}", "{who} {heat} {time}, {sym}"],
       heat=["abis kerja di ladang panas2", "kepanasan di lapangan", "habis upacara di bawah terik", "kepanasan", "seharian di bawah matahari",
             "abis main bola siang bolong", "terkunci di mobil panas", "abis narik becak siang panas", "kapanehan di sawah"],
       sym=["tiba2 pingsan", "ngelantur", "badan panas kering, bingung", "gak keringetan, linglung", "kejang", "lemes gak bisa bangun", "gak nyambung diajak ngomong",
            "muntah2 dan pusing berat", "badannya panas bgt tapi gak berkeringat"],
       names=["heatstroke", "sengatan panas"], neg=["{who} kepanasan dikit abis jemur baju, minum es udah seger", "{who} kulit gosong abis ke pantai"],
       calm_sym=["kepanasan"]),
    _g("heatstroke", "en", ANYONE, ["{who} {heat}, {sym}", "{who} {sym} {heat}"],
       heat=["after working in the sun all day", "after football in the midday heat", "was locked in a hot car"],
       sym=["is confused and not sweating", "collapsed", "is very hot and talking nonsense"],
       names=["heatstroke"], neg=["{who} got a bit hot in the sun, drank water and is fine"], calm_sym=["had heat exhaustion"]),
    # --- pregnancy -------------------------------------------------------------------------------------------------------------------------
    _g("pregnancy", "id", ["pregnant"], ["{who} {sym} {time}", "{who} {time} {sym}", "{who}, {sym}"],
       sym=["keluar darah banyak", "ketubannya pecah", "keluar air2 dari jalan lahir", "sakit kepala hebat, pandangan kabur", "muka dan tangan bengkak, pusing",
            "gerakan bayinya berkurang", "dedek di perut gak gerak", "kejang", "demam tinggi", "perutnya sakit bgt", "flek darah sama mules",
            "pendarahan", "ketuban rembes", "kepala pusing bgt matanya berkunang2", "perut kenceng terus, keluar darah", "bayinya gak nendang dari kemarin",
            "air ketubannya merembes", "keluar darah segar", "tekanan darahnya 170, kepala sakit", "bengkak muka, mata kabur"],
       names=["preeklamsia", "tanda bahaya kehamilan"], neg=["{who} mual muntah pagi biasa", "{who} kaki bengkak dikit sore2, normal kan", "{who} keputihan bening dikit"],
       calm_sym=["flek sedikit"]),
    _g("pregnancy", "en", ["pregnant"], ["{who} {sym} {time}", "{who} {sym}"],
       sym=["is bleeding heavily", "water broke", "has a severe headache and blurry vision", "baby is not moving", "has swollen face and hands and a headache",
            "is having a fit", "is bleeding and cramping"],
       names=["preeclampsia"], neg=["{who} has morning sickness"], calm_sym=["had spotting"]),
    # --- help number ---------------------------------------------------------------------------------------------------------------------------
    _g("help_number", "id", ["none"], ["{ask}", "{ask} {now}", "{now} {ask}", "{ask}, {why}"],
       ask=["nomor ambulans berapa", "minta no igd", "tolong kirim ambulans ke rumah", "nomor darurat berapa ya", "panggil ambulans gimana caranya",
            "butuh ambulans", "ada nomor ugd rs terdekat?", "nomor 119 bisa dihubungi?", "no telp ambulan", "nombor kecemasan berapa",
            "minta tolong panggilin ambulans", "mau nelpon ambulans ke nomor apa", "hubungi siapa kalau darurat", "ambulan dimana"],
       now=["", "sekarang", "cepat", "darurat", "tolong", "segera"],
       why=["bapak jatuh", "ibu sesak", "ada kecelakaan depan rumah", "tetangga pingsan"],
       names=["ambulans"], neg=["nomor ambulans desa buat disimpan aja", "biaya ambulans berapa ya", "terima kasih ambulansnya kemarin cepat"],
       calm_sym=[]),
    _g("help_number", "en", ["none"], ["{ask}", "{ask} {now}", "{ask}, {why}"],
       ask=["what is the ambulance number", "call an ambulance", "i need an ambulance", "emergency number please", "send an ambulance to my house"],
       now=["", "now", "quick", "please hurry"], why=["my dad collapsed", "there was an accident"],
       names=["ambulances"], neg=["how much does an ambulance cost"], calm_sym=[]),
]  # fmt: skip

def _extend(label: str, lang: str, **slots: list[str]) -> None:
    """More values for a grammar's slots (the second pass: everyday words of the families issue 18 names)."""
    grammar = next(g for g in GRAMMARS if g.label == label and g.lang == lang)
    for slot, values in slots.items():
        grammar.slots[slot] = grammar.slots[slot] + [v for v in values if v not in grammar.slots[slot]]


_extend("burn", "id", sym=["kena knalpot motor panas", "ketumpahan teh panas", "tangannya kena wajan panas", "kesiram air rebusan", "kulitnya gosong kena api",
                           "melepuh sebesar telapak tangan", "kebakar waktu nyalain kompor", "kena uap panas rice cooker", "luka bakar di kaki", "kena minyak goreng mendidih",
                           "kena korek gas meledak", "kepercik minyak panas di muka", "kesetrum terus kebakar", "kebakaran rumah, badannya kena api"])
_extend("burn", "en", sym=["got burned by hot water", "has a burn on his chest", "touched the exhaust pipe and it blistered", "was scalded by tea", "got burned in a fire"])
_extend("heatstroke", "id", heat=["abis jalan jauh siang2", "kerja bangunan panas terik", "nunggu antrian di lapangan panas", "abis manen sawit seharian", "main di luar panas banget",
                                  "di dalam mobil yg dikunci", "kena panas terik seharian", "lari maraton siang"],
        sym=["pingsan", "tiba2 jatuh gak sadar", "kulitnya merah panas kering", "ngomong ngawur", "gak kenal orang", "kejang2", "muntah terus lemes", "bingung linglung"])
_extend("heatstroke", "en", heat=["after the marathon in the heat", "after working on the roof in the sun"],
        sym=["is confused and very hot", "fainted and skin is hot and dry", "is not making sense"])
_extend("heavy_bleeding", "id", sym=["darahnya banyak bgt gak berhenti2", "luka robek di kepala darah ngalir", "kena beling, darahnya muncrat", "mimisan deras dari tadi",
                                     "berdarah banyak bgt", "muntah darah segar", "luka kena golok dalam", "tangannya kepotong mesin", "darahnya udah sebaskom",
                                     "pendarahan hebat", "ditikam, darah banyak", "keluar darah terus dari luka"])
_extend("heavy_bleeding", "en", sym=["is bleeding heavily from a cut", "cut his hand on glass and it won't stop bleeding", "blood everywhere from his head", "got stabbed"])
_extend("infant_fever", "id", sym=["demam 38", "badannya anget terus", "suhunya 38 derajat", "panas badannya", "demam sejak semalam", "panasnya naik turun", "suhu 38,1",
                                   "damam", "badannya panes", "demam tinggi", "kepalanya panas", "anget", "meriang"])
_extend("infant_fever", "en", sym=["has a temperature", "is hot", "temp is 38.2", "feels feverish", "has a high temperature"])
_extend("dengue", "id", warn=["muntah darah", "tinjanya hitam", "bintik merah gak hilang ditekan", "tangannya dingin lembab", "lemes tidur terus", "mimisan terus",
                              "perutnya keras sakit", "ngantuk terus susah dibangunin", "gusi keluar darah", "pipisnya sedikit", "kakinya dingin kayak es"],
        fever=["panas 4 hari", "demam udah 5 hari", "panasnya baru turun", "demamnya reda", "udah gak panas lagi tp", "demam hari ketiga"])
_extend("dengue", "en", warn=["bleeding from the nose", "red spots that don't fade", "cold clammy hands", "is very sleepy and weak"])
_extend("high_fever_stiff_neck", "id", neck=["lehernya kaku gak bisa nengok", "kuduknya kaku", "leher belakangnya keras", "kalau nunduk kesakitan", "lehernya gak bisa ditekuk",
                                             "leher kaku kayak kayu"],
        fever=["panas tinggi dari semalam", "demam tinggi menggigil", "demam 39", "suhunya 40"])
_extend("high_fever_stiff_neck", "en", neck=["neck is very stiff", "cries when we bend his neck", "can't look down"])
_extend("newborn", "id", sym=["kuning banget sampai ke kaki", "gak mau minum asi", "isapannya lemah", "tali pusatnya bau busuk", "pusarnya merah bengkak",
                              "napasnya tersengal", "napasnya cepat sekali", "dadanya cekung waktu napas", "badannya panas", "suhunya 38", "badannya dingin kayak es",
                              "tidur terus gak bangun buat nyusu", "lemas lunglai", "kejang2", "matanya kuning sampe telapak tangan", "mencret terus", "muntah terus"])
_extend("newborn", "en", sym=["won't latch and is very sleepy", "is breathing fast and grunting", "feels hot", "is very yellow, even the palms", "belly button is red and oozing"])
_extend("seizure", "id", sym=["kejang demam", "kejangnya lama", "kejang lagi", "matanya melotot ke atas badannya kaku", "tangan kakinya menyentak2", "badannya kaku gemetar",
                              "step lagi", "kejang2 mulutnya berbusa", "kejang berulang", "kejangnya gak berenti", "tiba2 kejang pas tidur"])
_extend("seizure", "en", sym=["is shaking and stiff and eyes rolled up", "is having a fit again", "started seizing"])
_extend("suicide", "id", sym=["pengen mati aja rasanya", "mending mati aja", "capek idup", "cape hidup", "gak mau hidup lagi", "pengen bunuh diri", "mau bunuh diri aja",
                              "pengen ngakhirin hidup", "udah gak ada alasan buat hidup", "pengen lompat dari atap", "mau minum racun", "aku pengen pergi selamanya",
                              "rasanya pengen mati", "udah capek hidup gini", "lelah idup", "nak mati je", "pengen udahan", "gak kuat lagi hidup"])
_extend("suicide", "en", sym=["want to end my life", "feel like dying", "wish i was dead", "i want to die", "thinking of killing myself", "don't want to be alive"])
_extend("unconscious", "id", sym=["pingsan gak bangun", "tiba2 ambruk", "gak sadar2", "matanya merem gak respon", "dipanggil diem aja", "dicubit gak bereaksi",
                                  "tergeletak", "lemas gak sadar"])
_extend("stroke", "id", sym=["tiba2 gak bisa ngomong", "mulutnya mencong", "tangan kirinya lemes gak bisa gerak", "ngomongnya cadel tiba2", "bicaranya pelo", "separuh badannya mati rasa",
                             "wajahnya miring", "tangan dan kakinya sebelah lemah"])
_extend("stroke", "en", sym=["face drooped and arm is weak", "suddenly can't speak", "is slurring"])
_extend("breathing", "id", sym=["sesak berat", "napasnya ngos2an padahal diem", "susah narik napas", "napasnya bunyi", "bibir biru sesak", "keselek gak bisa napas"])
_extend("poisoning", "id", sym=["minum obat nyamuk", "keracunan", "overdosis obat", "nelen racun", "minum obat kebanyakan", "makan singkong racun", "keracunan jengkol"])
_extend("drowning", "id", sym=["tenggelam", "kelelep", "jatuh ke sungai", "hampir tenggelam, batuk2 lemes"])
_extend("allergy", "id", sym=["bengkak semua mukanya, sesak", "tenggorokan gatal kecekik", "bibir bengkak jontor, napas bunyi"])
_extend("pregnancy", "id", sym=["keluar darah", "perdarahan", "air ketuban pecah", "pandangannya kabur", "bengkak muka tangan kaki", "kejang2", "janinnya gak gerak",
                                "gerakan janin berkurang", "sakit perut hebat", "demam menggigil"])
_extend("dehydration", "id", gi=["muntah mencret dari pagi", "diare cair", "mencret air"], dry=["gak mau minum sama sekali", "lemes banget", "mata cekung", "ubun2 cekung"])
_extend("heart_attack", "id", sym=["dadanya nyeri", "dada sakit", "nyeri dada hebat", "dadanya sakit kayak diremas", "dadanya berat"])
_extend("snake_bite", "id", sym=["digigit ular berbisa", "kena patuk ular di kaki"])
_extend("animal_bite", "id", sym=["digigit anjing", "dicakar kucing", "digigit kucing liar", "digigit anjing gak dikenal"])
_extend("injury", "id", sym=["kecelakaan", "jatuh dari motor, gak sadar", "jatuh dari ketinggian", "kepalanya kebentur keras, muntah", "tulangnya patah keluar"])
_extend("help_number", "id", ask=["tolong panggilkan ambulans", "butuh ambulans cepat", "minta nomor ambulans", "nomor igd rs terdekat", "ambulans dong"])
# third pass (after set E became a tuning set): the families its misses belong to, in words of our own
WHO_ID["infant"] += ["bayi sy dua bulan", "anak ambo umua sabulan", "budak aku sebulan lebih", "bayi kami tiga minggu", "dedek umur satu bulan",
                     "bayi saya baru due bulan", "bayi sy enam minggu", "anak ambo duo bulan"]
WHO_ID["newborn"] += ["bayi sy seminggu", "bayi kami baru lahir tiga hari", "budak aku baru lahir due minggu"]
_extend("newborn", "id", sym=["biru", "kulitnya kebiruan", "badannya membiru semua", "bibir dan kukunya biru"])
_extend("high_fever_stiff_neck", "id", neck=["kepalanya ditekuk ke belakang, kaku", "kepalanya tertarik ke belakang", "lehernya melengkung ke belakang",
                                             "kepala mendongak terus kaku"])
_extend("seizure", "id", sym=["tegang sebadan, gigi bekancing", "badannya tegang terus gemeteran", "tebaring kaku, tangan menggeletar", "seluruh badan tegang, mata ke atas"])
_extend("dengue", "id", warn=["muntah item kayak ampas kopi", "muntahnya hitam", "perutnya melilit hebat", "bab hitam kayak aspal"])
_extend("heavy_bleeding", "id", sym=["mimisan gak mampet2 dari tadi", "minum obat pengencer darah, lukanya berdarah terus", "darahnya tak henti2", "tepijak kaca, darah tak henti",
                                     "kainnya basah darah", "udah 2 handuk basah darah"])
_extend("suicide", "id", sym=["dah tak sanggup hidup lagi", "rase nak habiskan nyawa sendiri", "pengen ngilangin nyawa sendiri", "nak habiskan hidup"])


# fmt: on
WHO_ID["self"] = ["", "aku", "saya", "sy", "gue", "ambo", "aku dah"]
WHO_ID["other"] = ["temen sy bilang", "adik saya bilang", "anak saya yg SMA nulis di status", "suami sy bilang"]
WHO_ID["none"] = [""]
WHO_EN["self_en"] = ["I", "i", "honestly i"]
WHO_EN["other_en"] = ["my friend says she wants to", "my brother texted that he wants to"]
WHO_EN["none"] = [""]
SLOT_RE = re.compile(r"\{(\w+)\}")
CONTEXT_SLOTS = frozenset(["who", "time", "frame", "core", "typo"])


@dataclass(frozen=True)
class Line:
    text: str
    label: str
    lang: str
    danger: bool
    values: tuple[tuple[str, str], ...]  # (slot, value) pairs it was built from
    kind: str = ""  # look-alike kind


def _shared(g: Grammar) -> dict[str, list[str]]:
    whos = WHO_ID if g.lang == "id" else WHO_EN
    out = {
        "who": [w for cat in g.who for w in whos[cat]],
        "time": TIME_ID if g.lang == "id" else TIME_EN,
        "frame": FRAME_ID if g.lang == "id" else FRAME_EN,
    }
    return {**out, **g.slots}


def _fill(template: str, choice: dict[str, str]) -> str:
    text = SLOT_RE.sub(lambda m: choice.get(m.group(1), ""), template)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    text = re.sub(r"^[,\s]+|,\s*,", "", text).strip()
    return text


def danger_lines(g: Grammar, per: int, rng: random.Random) -> Iterator[Line]:
    slots = _shared(g)
    slots["core"] = g.cores
    seen: set[str] = set()
    for slot in sorted(slots):
        for value in slots[slot]:
            for _ in range(per):
                choice = {s: rng.choice(v) for s, v in slots.items()}
                choice[slot] = value
                core = _fill(choice["core"], choice)
                text = _fill(choice["frame"], {"c": core})
                if text in seen:
                    continue
                seen.add(text)
                used = {s for s in SLOT_RE.findall(choice["core"])} | {"core", "frame"}
                values = tuple((s, choice[s]) for s in sorted(used))
                yield Line(text, g.label, g.lang, True, values)


def typo(value: str, kind: str, rng: random.Random) -> str:
    """The value with one typing slip in its longest word of 5 letters or more: a letter dropped, two swapped, one doubled."""
    words = value.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return value
    i = max(long, key=lambda k: len(words[k]))
    w = words[i]
    at = rng.randrange(1, len(w) - 1)
    if kind == "drop":
        w = w[:at] + w[at + 1 :]
    elif kind == "swap":
        w = w[:at] + w[at + 1] + w[at] + w[at + 2 :]
    else:
        w = w[:at] + w[at] + w[at:]
    return " ".join([*words[:i], w, *words[i + 1 :]])


def typo_lines(g: Grammar, per: int, rng: random.Random) -> Iterator[Line]:
    """Each word slot's values with a typing slip, the other slots at random: slot "<slot>~typo"."""
    slots = _shared(g)
    slots["core"] = g.cores
    seen: set[str] = set()
    for slot in sorted(g.slots):
        if slot in ("now", "why"):
            continue
        for value in g.slots[slot]:
            for kind in ("drop", "swap", "double"):
                for _ in range(max(1, per // 2)):
                    choice = {s: rng.choice(v) for s, v in slots.items()}
                    choice[slot] = typo(value, kind, rng)
                    if choice[slot] == value or f"{{{slot}}}" not in choice["core"]:
                        continue
                    text = _fill(choice["frame"], {"c": _fill(choice["core"], choice)})
                    if text not in seen:
                        seen.add(text)
                        yield Line(text, g.label, g.lang, True, ((f"{slot}~typo", value), ("typo", kind)))


def calm_lines(g: Grammar, per: int, rng: random.Random) -> Iterator[Line]:
    slots = _shared(g)
    frames = CALM_ID if g.lang == "id" else CALM_EN
    # the sign's own words in frames that say it is not happening now: its calm forms and its first word slot
    words = next(
        (g.slots[name] for name in g.slots if name not in ("extra", "now", "why", "trigger", "heat", "fever")), []
    )
    syms = g.calm_sym + words
    names = g.names or [g.label]
    seen: set[str] = set()
    for kind, templates in frames.items():
        if not syms and kind != "question":
            continue
        for template in templates:
            for _ in range(per):
                choice = {
                    "who": rng.choice(slots["who"]) or "saya",
                    "sym": rng.choice(syms) if syms else "",
                    "name": rng.choice(names),
                }
                text = _fill(template, choice)
                if text not in seen:
                    seen.add(text)
                    yield Line(text, g.label, g.lang, False, (("calm", template),), kind)
    for template in g.neg:
        for _ in range(per):
            text = _fill(template, {"who": rng.choice(slots["who"]) or "saya"})
            if text not in seen:
                seen.add(text)
                yield Line(text, g.label, g.lang, False, (("calm", template),), "negated")


def generate(per: int = 4, seed: int = 6, labels: set[str] | None = None, typos: bool = False) -> list[Line]:
    rng = random.Random(seed)
    out: list[Line] = []
    for g in GRAMMARS:
        if labels and g.label not in labels:
            continue
        out += danger_lines(g, per, rng)
        if typos:
            out += typo_lines(g, per, rng)
        out += calm_lines(g, max(1, per // 2), rng)
    return out


def report(lines: list[Line], fired: list[bool], verbose: bool) -> None:
    danger = [(x, f) for x, f in zip(lines, fired, strict=True) if x.danger]
    calm = [(x, f) for x, f in zip(lines, fired, strict=True) if not x.danger]
    caught = sum(f for _x, f in danger)
    alarms = sum(f for _x, f in calm)
    print(f"generated: recall {caught / max(len(danger), 1):.1%} ({caught}/{len(danger)}), "
          f"false {alarms / max(len(calm), 1):.1%} ({alarms}/{len(calm)})")  # fmt: skip
    by_label: dict[str, list[tuple[Line, bool]]] = defaultdict(list)
    for x, f in danger + calm:
        by_label[x.label].append((x, f))
    for label in sorted(by_label):
        rows = by_label[label]
        d = [f for x, f in rows if x.danger]
        c = [f for x, f in rows if not x.danger]
        print(f"  {label:22} recall {sum(d) / max(len(d), 1):6.1%} ({sum(d)}/{len(d)})  false {sum(c)}/{len(c)}")
        gaps: dict[tuple[str, str, str], list[tuple[Line, bool]]] = defaultdict(list)
        for x, f in rows:
            if x.danger:
                for slot, value in x.values:
                    gaps[(x.lang, slot, value)].append((x, f))
        overall = sum(d) / max(len(d), 1)
        for (lang, slot, value), got in sorted(gaps.items(), key=lambda kv: sum(f for _x, f in kv[1]) / len(kv[1])):
            rate = sum(f for _x, f in got) / len(got)
            # a word's gap always; who/time/frame/core only well below the sign's rate (else they echo a word's gap)
            if rate >= 1.0 or (slot in CONTEXT_SLOTS and (rate > overall - 0.1 or len(got) < 5)):
                continue
            print(f"      gap {lang} {slot:7} {rate:5.0%} of {len(got):2}  {value!r}")
            if verbose:
                for x in [x for x, f in got if not f][:3]:
                    print(f"          MISSED {x.text}")
        for x, f in rows:
            if not x.danger and f:
                print(f"      FALSE {x.lang} {x.kind:8} {x.text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sign", action="append", help="only these sign labels")
    parser.add_argument("--per", type=int, default=4, help="lines per slot value (default 4)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--typos", action="store_true", help="also each word slot's values with a typing slip")
    parser.add_argument("-v", "--verbose", action="store_true", help="every gap under 100%%, with missed lines")
    parser.add_argument("--write", type=Path, help="write the lines as a danger set (JSON lines) and stop")
    parser.add_argument("--chat", action="store_true", help="through one `chat --jsonl` process (slow)")
    args = parser.parse_args(argv)
    lines = generate(args.per, args.seed, set(args.sign) if args.sign else None, args.typos)
    if args.write:
        with args.write.open("w", encoding="utf-8") as out:
            for x in lines:
                row = {"text": x.text, "danger": x.danger, "sign" if x.danger else "near": x.label, "lang": x.lang}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{len(lines)} lines -> {args.write}")
        return 0
    find: Callable[[str], object]
    if args.chat:
        from bench.danger_chat import is_emergency, through_chat

        answers = through_chat([x.text for x in lines])
        fired = [
            is_emergency(a) if x.danger else a["intent"] == "emergency" for x, a in zip(lines, answers, strict=True)
        ]
    else:
        from bench.danger import understanding

        u = understanding()
        if u is None:
            return 1
        find = u.danger
        fired = [find(x.text) is not None for x in lines]
    report(lines, fired, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
