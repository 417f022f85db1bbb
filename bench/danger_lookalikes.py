"""Generated look-alikes and their emergency twins: a tuning tool for the danger guards.

    python -m bench.danger_lookalikes                     # false alarms and recall per family
    python -m bench.danger_lookalikes --misses            # and every line it got wrong
    python -m bench.danger_lookalikes --family past --lang ms --misses
    python -m bench.danger_lookalikes --write PATH        # the lines as JSON lines (bench.danger's format)

Residents reuse a danger sign's words when nothing is happening now: negated ("sudah tidak demam
lagi"), resolved ("kemarin kejang, sudah diperiksa dokter, sekarang main lagi"), in their history
("dulu pernah kejang waktu kecil, sekarang mau imunisasi"), planned for or asked about for later
("kalau anak kejang pertolongan pertamanya apa"), prevented, asked of a service ("poli jantung buka
jam berapa"), as an idiom ("mati gaya", "jantungan nonton bola"), as another person's story or the
news, mild ("sakit kepala sedikit"), or as homework and jokes. Each family is written here as
templates in chat Indonesian, Riau Malay and English, filled with the words of the 22 signs, so a
guard is tried on every sign and not on the one line that asked for it.

Every family has emergency twins: the same frame with the sign happening now ("dulu pernah kejang,
tapi sekarang kejang lagi dari tadi"), so each guard's recall cost shows next to what it quiets.
Written from the families' meaning, not from any blind set's lines.

Held out: every third template of each family and language (`part` "held"); tune on the rest and
read only the held part's totals, as bench.danger does with a blind set's odd lines.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LANGS = ("id", "ms", "en")


@dataclass(frozen=True)
class Sign:
    """A sign's words per language: `ev` what happened to someone (a predicate after who; English past
    tense), `topic` its name as a noun, `now` an emergency predicate that fires on its own, `who` when
    the sign belongs to someone in particular (a baby, a pregnancy)."""

    ev: dict[str, tuple[str, ...]]
    topic: dict[str, tuple[str, ...]]
    now: dict[str, tuple[str, ...]]
    who: dict[str, tuple[str, ...]] = field(default_factory=dict)
    event: bool = False  # a bite, a burn, a fall: "tidak {ev} lagi" does not say it of an event


WHO = {
    "id": ("anak saya", "adik saya", "bapak saya", "ibu saya", "nenek", "suami saya", "kakek saya", "ponakan saya"),
    "ms": ("budak saye", "adik saye", "bapak saye", "mak saye", "atok", "laki saye", "cucu saye", "anak aku"),
    "en": ("my son", "my daughter", "my dad", "my mum", "my grandma", "my husband", "my nephew", "my brother"),
}
BABY = {
    "id": ("bayi saya umur 3 minggu", "bayi saya 10 hari"),
    "ms": ("baby saye baru 2 minggu",),
    "en": ("my 2 week old baby", "my newborn"),
}
INFANT = {"id": ("bayi saya 2 bulan",), "ms": ("baby saye 2 bulan",), "en": ("my 2 month old baby",)}
PREGNANT = {
    "id": ("istri saya hamil 7 bulan", "saya hamil 8 bulan"),
    "ms": ("bini saye mengandung 7 bulan",),
    "en": ("my wife is 30 weeks pregnant and", "i am 8 months pregnant and"),
}

SIGNS: dict[str, Sign] = {
    "bunuh_diri": Sign(
        ev={
            "id": ("mencoba bunuh diri", "pernah coba bunuh diri"),
            "ms": ("cube bunuh diri",),
            "en": ("tried to kill himself", "attempted suicide"),
        },
        topic={
            "id": ("bunuh diri", "pikiran bunuh diri"),
            "ms": ("bunuh diri",),
            "en": ("suicide", "suicidal thoughts"),
        },
        now={
            "id": ("bilang mau bunuh diri malam ini", "sudah tidak mau hidup lagi, mau mengakhiri semuanya"),
            "ms": ("cakap nak bunuh diri malam ni",),
            "en": ("says he wants to die tonight",),
        },
        event=True,
    ),
    "kejang": Sign(
        ev={"id": ("kejang", "kejang kejang", "step"), "ms": ("kejang",), "en": ("had a seizure", "had a fit")},
        topic={"id": ("kejang", "kejang demam", "step"), "ms": ("kejang",), "en": ("seizures", "febrile seizures")},
        now={
            "id": ("kejang dari tadi tidak berhenti", "kejang kejang sudah 10 menit"),
            "ms": ("kejang dah 10 minit tak berhenti",),
            "en": ("is having a seizure and it wont stop",),
        },
    ),
    "tidak_sadar": Sign(
        ev={
            "id": ("pingsan", "tidak sadarkan diri"),
            "ms": ("pengsan", "tak sedar diri"),
            "en": ("fainted", "passed out"),
        },
        topic={"id": ("pingsan",), "ms": ("pengsan",), "en": ("fainting",)},
        now={
            "id": ("pingsan dan tidak bangun bangun dari tadi",),
            "ms": ("pengsan tak bangun bangun",),
            "en": ("passed out and is not waking up",),
        },
    ),
    "sesak_berat": Sign(
        ev={
            "id": ("sesak napas", "susah napas"),
            "ms": ("sesak nafas", "semput"),
            "en": ("was short of breath", "had trouble breathing"),
        },
        topic={"id": ("sesak napas", "asma"), "ms": ("sesak nafas",), "en": ("shortness of breath",)},
        now={
            "id": ("sesak napas berat, bibirnya biru",),
            "ms": ("sesak nafas teruk, bibir biru",),
            "en": ("cant breathe and his lips are blue",),
        },
    ),
    "nyeri_dada": Sign(
        ev={
            "id": ("nyeri dada", "kena serangan jantung"),
            "ms": ("sakit dade", "kene serangan jantung"),
            "en": ("had chest pain", "had a heart attack"),
        },
        topic={
            "id": ("serangan jantung", "nyeri dada"),
            "ms": ("serangan jantung",),
            "en": ("heart attacks", "chest pain"),
        },
        now={
            "id": ("nyeri dada kiri menjalar ke lengan, keringat dingin",),
            "ms": ("sakit dade kiri sampai ke lengan, peluh dingin",),
            "en": ("has crushing chest pain going down his left arm",),
        },
    ),
    "stroke": Sign(
        ev={"id": ("kena stroke", "stroke"), "ms": ("kene strok",), "en": ("had a stroke",)},
        topic={"id": ("stroke",), "ms": ("strok",), "en": ("stroke", "strokes")},
        now={
            "id": ("tiba tiba wajahnya mencong dan bicaranya pelo",),
            "ms": ("tibe tibe muke senget, cakap pelat",),
            "en": ("suddenly has a drooping face and slurred speech",),
        },
    ),
    "bayi_baru_lahir": Sign(
        ev={"id": ("kuning", "tidak mau menyusu"), "ms": ("kuning",), "en": ("was jaundiced", "would not feed")},
        topic={
            "id": ("bayi kuning", "tali pusat bernanah"),
            "ms": ("baby kuning",),
            "en": ("newborn jaundice", "feeding problems"),
        },
        now={
            "id": ("tidak mau menyusu sama sekali dan lemas",),
            "ms": ("tak nak menyusu langsung, lembik",),
            "en": ("wont feed at all and is very floppy",),
        },
        who=BABY,
    ),
    "bayi_demam_tinggi": Sign(
        ev={"id": ("demam", "panas tinggi"), "ms": ("demam",), "en": ("had a fever",)},
        topic={"id": ("demam pada bayi",), "ms": ("demam baby",), "en": ("fever in babies",)},
        now={
            "id": ("demam 39 derajat dari pagi",),
            "ms": ("demam panas 39 dari pagi",),
            "en": ("has a fever of 39 since this morning",),
        },
        who=INFANT,
    ),
    "dehidrasi_berat": Sign(
        ev={
            "id": ("muntah muntah", "diare", "mencret"),
            "ms": ("muntah muntah", "cirit birit"),
            "en": ("had diarrhoea", "was vomiting"),
        },
        topic={"id": ("diare", "muntaber"), "ms": ("cirit birit",), "en": ("diarrhoea", "dehydration")},
        now={
            "id": ("muntah terus dari pagi, tidak mau minum, lemas sekali",),
            "ms": ("muntah tak berhenti dari pagi, tak nak minum, lembik",),
            "en": ("keeps vomiting since morning, wont drink and is very weak",),
        },
    ),
    "bahaya_kehamilan": Sign(
        ev={"id": ("keluar flek", "pendarahan"), "ms": ("keluar darah",), "en": ("had some spotting", "had bleeding")},
        topic={
            "id": ("pendarahan saat hamil", "ketuban pecah dini"),
            "ms": ("keluar darah masa mengandung",),
            "en": ("bleeding in pregnancy", "waters breaking early"),
        },
        now={
            "id": ("keluar darah banyak dari jalan lahir",),
            "ms": ("keluar darah banyak dari bawah",),
            "en": ("bleeding heavily from down there",),
        },
        who=PREGNANT,
    ),
    "demam_berdarah": Sign(
        ev={"id": ("kena dbd", "kena demam berdarah"), "ms": ("kene denggi",), "en": ("had dengue",)},
        topic={"id": ("dbd", "demam berdarah"), "ms": ("denggi",), "en": ("dengue",)},
        now={
            "id": ("demam 4 hari, gusi berdarah dan tangan kakinya dingin",),
            "ms": ("demam 4 hari, gusi berdarah, tangan kaki sejuk",),
            "en": ("had fever 4 days, now bleeding gums and cold hands and feet",),
        },
    ),
    "gigitan_hewan": Sign(
        ev={
            "id": ("digigit anjing", "dicakar kucing liar"),
            "ms": ("kene gigit anjing",),
            "en": ("was bitten by a dog", "got bitten by a stray cat"),
        },
        topic={"id": ("gigitan anjing", "rabies"), "ms": ("gigit anjing",), "en": ("dog bites", "rabies")},
        now={
            "id": ("barusan digigit anjing liar, lukanya berdarah",),
            "ms": ("baru kene gigit anjing liar, berdarah",),
            "en": ("was just bitten by a stray dog and it is bleeding",),
        },
        event=True,
    ),
    "gigitan_ular": Sign(
        ev={"id": ("dipatuk ular", "digigit ular"), "ms": ("kene patuk ular",), "en": ("was bitten by a snake",)},
        topic={"id": ("gigitan ular",), "ms": ("patuk ular",), "en": ("snake bites",)},
        now={
            "id": ("barusan dipatuk ular, kakinya bengkak",),
            "ms": ("baru kene patuk ular, kaki bengkak",),
            "en": ("was just bitten by a snake and the leg is swelling",),
        },
        event=True,
    ),
    "keracunan": Sign(
        ev={"id": ("keracunan makanan", "keracunan"), "ms": ("keracunan",), "en": ("had food poisoning",)},
        topic={"id": ("keracunan makanan", "keracunan"), "ms": ("keracunan makanan",), "en": ("food poisoning",)},
        now={
            "id": ("minum racun tikus, sekarang muntah",),
            "ms": ("terminum racun tikus, muntah muntah",),
            "en": ("drank bleach and is vomiting",),
        },
        event=True,
    ),
    "luka_bakar": Sign(
        ev={
            "id": ("tersiram air panas", "kena luka bakar"),
            "ms": ("melecur kene air panas",),
            "en": ("got burned", "was scalded"),
        },
        topic={"id": ("luka bakar",), "ms": ("melecur",), "en": ("burns",)},
        now={
            "id": ("tersiram air panas, kulitnya melepuh satu lengan",),
            "ms": ("kene air panas, kulit melecur satu lengan",),
            "en": ("spilled boiling water, the whole arm is blistering",),
        },
        event=True,
    ),
    "tenggelam": Sign(
        ev={"id": ("tenggelam", "hampir tenggelam"), "ms": ("lemas dalam air", "tenggelam"), "en": ("nearly drowned",)},
        topic={"id": ("tenggelam",), "ms": ("lemas dalam air",), "en": ("drowning",)},
        now={
            "id": ("tenggelam di sungai, baru diangkat, tidak bernapas",),
            "ms": ("tenggelam kat sungai, baru diangkat, tak bernafas",),
            "en": ("was pulled out of the pool and is not breathing",),
        },
        event=True,
    ),
    "alergi_berat": Sign(
        ev={
            "id": ("alergi", "bentol bentol habis makan udang"),
            "ms": ("alahan",),
            "en": ("had an allergic reaction",),
        },
        topic={"id": ("alergi", "alergi makanan"), "ms": ("alahan",), "en": ("allergies", "anaphylaxis")},
        now={
            "id": ("habis makan udang bibirnya bengkak dan sesak",),
            "ms": ("lepas makan udang bibir bengkak, sesak",),
            "en": ("ate peanuts, now his lips are swelling and he is wheezing",),
        },
    ),
    "perdarahan_luka": Sign(
        ev={"id": ("luka berdarah", "berdarah"), "ms": ("luke berdarah",), "en": ("had a cut that bled",)},
        topic={"id": ("pendarahan", "luka berdarah"), "ms": ("luke berdarah",), "en": ("bleeding", "deep cuts")},
        now={
            "id": ("tangannya kena parang, darahnya tidak berhenti",),
            "ms": ("tangan kene parang, darah tak berhenti",),
            "en": ("cut his hand deep and the bleeding wont stop",),
        },
    ),
    "darurat_umum": Sign(
        ev={"id": ("kecelakaan motor", "jatuh dari motor"), "ms": ("accident motor",), "en": ("had a car accident",)},
        topic={"id": ("kecelakaan",), "ms": ("accident",), "en": ("accidents",)},
        now={
            "id": ("kecelakaan motor, kepalanya berdarah dan tidak sadar",),
            "ms": ("accident motor, kepale berdarah, tak sedar",),
            "en": ("was hit by a car and is unconscious",),
        },
        event=True,
    ),
    "kepanasan": Sign(
        ev={"id": ("kepanasan", "kena heatstroke"), "ms": ("kene panas teruk",), "en": ("had heatstroke",)},
        topic={"id": ("heatstroke", "sengatan panas"), "ms": ("strok haba",), "en": ("heatstroke",)},
        now={
            "id": ("kepanasan di ladang, tidak berkeringat dan bingung",),
            "ms": ("kene panas kat ladang, tak berpeluh, mamai",),
            "en": ("collapsed in the heat, hot and dry and confused",),
        },
        event=True,
    ),
    "kaku_kuduk": Sign(
        ev={
            "id": ("demam dengan leher kaku",),
            "ms": ("demam, tengkuk keras",),
            "en": ("had a fever and a stiff neck",),
        },
        topic={"id": ("leher kaku", "radang selaput otak"), "ms": ("tengkuk keras",), "en": ("meningitis",)},
        now={
            "id": ("demam tinggi, lehernya kaku tidak bisa menunduk",),
            "ms": ("demam panas, tengkuk keras tak boleh tunduk",),
            "en": ("has a high fever and a stiff neck, cant bend it",),
        },
    ),
}

# Help numbers and ambulances: their look-alikes are their own family (`service_words`).
HELP_NOW = {
    "id": (
        "tolong kirim ambulans sekarang, bapak jatuh tidak bangun",
        "nomor ambulans berapa, darurat",
        "mau lapor ada kecelakaan di jalan, korbannya kepalanya berdarah dan tidak sadar",
    ),
    "ms": ("tolong hantar ambulans sekarang, atok jatuh tak bangun", "nombor ambulans berape, kecemasan"),
    "en": ("send an ambulance now, my dad collapsed", "what is the emergency number, hurry"),
}

# Each family: look-alike templates per language, and emergency twins (the same frame, happening now).
# Slots: {who} someone (or the sign's own who), {ev} what happened to them, {topic} the sign's name,
# {now} an emergency predicate that fires on its own.
FAMILIES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "negated": {
        "calm": {
            "id": (
                "{who} sudah tidak {ev} lagi, mau tanya jadwal kontrol",
                "gak {ev} kok, cuma pilek biasa",
                "{who} tidak ada {topic}, cuma batuk",
                "tidak ada yang {ev}, cuma kaget saja",
                "alhamdulillah {who} tidak {ev}, mau tanya obat batuk",
                "bukan {topic} kok kata dokter, cuma masuk angin",
                "{who} belum pernah {ev}, perlu vaksin apa saja?",
            ),
            "ms": (
                "{who} dah tak {ev} lagi, nak tanye jadual",
                "tak {ev} pun, demam sikit je",
                "{who} tak ade {topic}, batuk je",
                "tak de sape {ev}, terkejut je",
                "bukan {topic} kate doktor, masuk angin je",
                "{who} tak pernah {ev}, nak tanye vaksin",
            ),
            "en": (
                "{who} has no {topic}, just a cold",
                "it is not {topic}, the doctor said it is just a cold",
                "{who} never had {topic}, which vaccines does he need?",
                "no {topic} at all, just a runny nose",
                "nobody {ev}, we were just scared",
                "{who} has not had {topic} since last year, can we skip the check up?",
            ),
        },
        "twin": {
            "id": (
                "{who} tidak bisa ditenangkan, {now}",
                "tidak ada yang di rumah, {who} {now}",
                "{who} {now}, tidak mau bangun",
                "belum ada yang datang menolong dan {who} {now}",
            ),
            "ms": ("tak de orang kat rumah, {who} {now}", "{who} {now}, tak nak bangun"),
            "en": (
                "nobody else is home, {who} {now}",
                "{who} {now}, not responding",
                "no one has come yet and {who} {now}",
            ),
        },
    },
    "resolved": {
        "calm": {
            "id": (
                "kemarin {who} {ev}, sudah diperiksa dokter, sekarang sudah main lagi",
                "{who} minggu lalu {ev}, sekarang sudah sembuh, kapan boleh imunisasi?",
                "{who} sempat {ev} kemarin tapi sudah dibawa ke puskesmas dan sudah baikan",
                "{ev} nya sudah hilang, {who} sekarang sehat, perlu kontrol lagi?",
                "{who} kemarin {ev}, sudah pulang dari rs, surat kontrolnya bagaimana?",
            ),
            "ms": (
                "semalam {who} {ev}, dah jumpe doktor, sekarang dah sihat",
                "{who} minggu lepas {ev}, sekarang dah baik, bile boleh vaksin?",
                "{who} kemarin {ev}, dah balik dari hospital, nak tanye rujukan",
            ),
            "en": (
                "{who} {ev} yesterday, the doctor checked him and he is fine now",
                "{who} {ev} last week but has fully recovered, when is the follow up?",
                "{who} {ev} two days ago, we went to the clinic and now he is back to normal, do we need a letter?",
            ),
        },
        "twin": {
            "id": (
                "tadi {who} sempat baikan, tapi sekarang {now}",
                "kemarin sudah sembuh, tapi hari ini {who} {now}",
                "{who} tadi sudah diperiksa, tapi sekarang {now}",
            ),
            "ms": ("tadi {who} dah baik sikit, tapi sekarang {now}", "semalam dah sihat, tapi hari ni {who} {now}"),
            "en": (
                "{who} seemed better this morning but now {who} {now}",
                "the doctor said he was fine yesterday but now {who} {now}",
            ),
        },
    },
    "past": {
        "calm": {
            "id": (
                "dulu {who} pernah {ev} waktu kecil, sekarang mau imunisasi",
                "{who} ada riwayat {topic}, boleh donor darah?",
                "waktu SD saya pernah {ev}, apa bisa kambuh?",
                "{who} {ev} tahun lalu, sekarang mau daftar bpjs",
                "{who} pernah {ev} 3 tahun yang lalu, perlu cek rutin?",
                "sejak kena {topic} dulu {who} rutin kontrol, jadwalnya kapan?",
            ),
            "ms": (
                "dulu {who} pernah {ev} masa kecik, sekarang nak vaksin",
                "{who} ade sejarah {topic}, boleh derma darah?",
                "{who} {ev} tahun lepas, nak daftar bpjs",
                "masa sekolah saye pernah {ev}, boleh kambuh ke?",
            ),
            "en": (
                "{who} {ev} as a child, can he get the vaccine now?",
                "{who} has a history of {topic}, can he donate blood?",
                "{who} {ev} years ago, does he need a regular check up?",
                "i {ev} when i was little, can it come back?",
            ),
        },
        "twin": {
            "id": (
                "dulu {who} pernah {ev}, tapi kali ini {now}",
                "{who} ada riwayat {topic}, sekarang {now}",
                "dulu pernah begini, sekarang {who} {now}",
            ),
            "ms": ("dulu {who} pernah {ev}, tapi kali ni {now}", "{who} ade sejarah {topic}, sekarang {now}"),
            "en": (
                "{who} has a history of {topic}, and right now {who} {now}",
                "this happened years ago, now {who} {now}",
            ),
        },
    },
    "plan": {
        "calm": {
            "id": (
                "kalau {who} {ev} pertolongan pertamanya apa?",
                "apa yang harus dilakukan kalau ada yang {ev}?",
                "besok {who} imunisasi, kalau nanti {ev} harus bagaimana?",
                "buat jaga jaga, kalau {ev} harus ke mana?",
                "seandainya {who} {ev} di jalan, bawa ke rs mana?",
                "pertolongan pertama {topic} bagaimana ya?",
            ),
            "ms": (
                "kalau {who} {ev} macam mane nak tolong?",
                "ape patut buat kalau ade orang {ev}?",
                "esok {who} vaksin, kalau {ev} macam mane?",
                "untuk jage jage, kalau {ev} nak pergi mane?",
            ),
            "en": (
                "what should i do if {who} ever {ev}?",
                "first aid for {topic}, what are the steps?",
                "just in case, what to do if someone {ev}?",
                "{who} gets his shots tomorrow, what if he {ev} after?",
            ),
        },
        "twin": {
            "id": (
                "{who} {now}, pertolongan pertamanya apa?",
                "apa yang harus dilakukan, {who} {now}",
                "tolong gimana ini, {who} {now}",
                "{who} {now}, kalau begini harus bagaimana?",
                "kalau {who} {now} seperti sekarang ini harus apa?",
            ),
            "ms": (
                "{who} {now}, macam mane nak tolong?",
                "ape nak buat ni, {who} {now}",
                "{who} {now}, kalau macam ni nak buat ape?",
            ),
            "en": (
                "{who} {now}, what do i do?",
                "what should i do right now, {who} {now}",
                "{who} {now}, what do i do if it gets worse?",
            ),
        },
    },
    "prevent": {
        "calm": {
            "id": (
                "bagaimana cara mencegah {topic}?",
                "makanan apa yang bisa mencegah {topic}?",
                "biar {who} tidak {ev} lagi, apa yang harus dijaga?",
                "tips supaya tidak kena {topic} apa saja?",
                "ada penyuluhan pencegahan {topic} di puskesmas?",
            ),
            "ms": ("macam mane nak elak {topic}?", "ape makanan boleh cegah {topic}?", "tips supaye tak kene {topic}?"),
            "en": (
                "how can we prevent {topic}?",
                "what foods help prevent {topic}?",
                "tips to avoid {topic} for my family?",
                "is there a class on preventing {topic}?",
            ),
        },
        "twin": {
            "id": ("sudah dicegah tapi {who} tetap {now}",),
            "ms": ("dah jage tapi {who} tetap {now}",),
            "en": ("we tried to prevent it but {who} {now}",),
        },
    },
    "service": {
        "calm": {
            "id": (
                "ada dokter spesialis {topic} di rs mana?",
                "poli untuk {topic} buka jam berapa?",
                "pengobatan {topic} ditanggung bpjs tidak?",
                "berapa biaya kontrol {topic} di puskesmas?",
                "ada psikolog di puskesmas untuk konsultasi?",
                "mau konsultasi soal {topic}, jadwal dokternya kapan?",
            ),
            "ms": (
                "ade doktor pakar {topic} kat hospital mane?",
                "rawatan {topic} bpjs tanggung tak?",
                "bile klinik {topic} buke?",
                "ade psikolog kat puskesmas?",
            ),
            "en": (
                "which hospital has a specialist for {topic}?",
                "does bpjs cover treatment for {topic}?",
                "what time does the {topic} clinic open?",
                "is there a psychologist at the puskesmas?",
            ),
        },
        "twin": {
            "id": (
                "ada dokter jaga? {who} {now}",
                "rs mana yang buka sekarang, {who} {now}",
                "{who} di klinik {now}",
                "habis terapi {who} {now}",
            ),
            "ms": ("ade doktor tak? {who} {now}", "{who} kat klinik {now}"),
            "en": ("is there a doctor on call? {who} {now}", "at the clinic {who} {now}"),
        },
    },
    "story": {
        "calm": {
            "id": (
                "tadi di berita ada orang {ev} di pasar, serem",
                "nonton sinetron, ada adegan orang {ev}",
                "di tiktok viral video anak {ev}, kasihan",
                "teman saya cerita dulu ayahnya {ev}, sekarang sudah sehat",
                "baca novel, tokohnya {ev} di bab terakhir",
            ),
            "ms": (
                "tadi kat berita ade orang {ev}, seram",
                "tengok drama, ade babak orang {ev}",
                "kawan saye cerite dulu bapak die {ev}, sekarang dah sihat",
            ),
            "en": (
                "saw on the news that a man {ev} at the market",
                "in the movie last night a character {ev}",
                "a video went viral of a kid who {ev}",
                "my friend told me her dad {ev} years ago, he is fine now",
            ),
        },
        "twin": {
            "id": ("lagi nonton berita, tiba tiba {who} {now}", "tadi lagi main tiktok, {who} {now}"),
            "ms": ("tengah tengok berita, tibe tibe {who} {now}",),
            "en": ("we were watching the news when {who} suddenly {now}",),
        },
    },
    "mild": {
        "calm": {
            "id": (
                "{who} agak pusing sedikit, perlu ke dokter?",
                "sakit kepala sedikit dari tadi, obatnya apa ya",
                "{who} batuk sedikit dan pilek ringan, boleh imunisasi?",
                "luka kecil kena pisau waktu masak, sudah diplester",
                "{who} sedikit demam setelah imunisasi, normal kan?",
                "agak sesak kalau naik tangga, perlu cek?",
            ),
            "ms": (
                "{who} pening sikit je, perlu jumpe doktor?",
                "luke kecik kene pisau, dah bubuh plaster",
                "{who} demam sikit lepas vaksin, biase ke?",
                "sakit kepale sikit je dari pagi",
            ),
            "en": (
                "{who} has a slight headache, should we see a doctor?",
                "a small cut from a kitchen knife, already bandaged",
                "{who} has a mild fever after the vaccine, is that normal?",
                "a little short of breath after climbing stairs, should i worry?",
            ),
        },
        "twin": {
            "id": ("awalnya sedikit, sekarang {who} {now}", "tadi agak pusing, sekarang {who} {now}"),
            "ms": ("mule mule sikit je, sekarang {who} {now}",),
            "en": ("it started mild but now {who} {now}",),
        },
    },
    "idiom": {
        "calm": {
            "id": (
                "mati gaya di rumah seharian, ada kegiatan posyandu?",
                "capek banget kerjaan numpuk, mau tanya cuti sakit",
                "jantungan nonton bola semalam, timnas hampir kalah",
                "pingsan liat tagihan listrik bulan ini",
                "sesak napas liat harga cabe sekarang",
                "kepala mau pecah mikirin skripsi",
                "mau mati rasanya ngerjain laporan terus",
                "hampir mati ketawa nonton lawak",
            ),
            "ms": (
                "mati kutu dah, tak tau nak buat ape",
                "penat gile kerje, nak tanye cuti",
                "nak pengsan tengok harge barang sekarang",
                "pening kepale fikir hutang",
            ),
            "en": (
                "i am dying to know when the clinic opens",
                "that exam nearly gave me a heart attack lol",
                "drowning in paperwork this week, can i renew bpjs online?",
                "my boss is killing me with overtime",
                "bored to death at home, any events at the posyandu?",
            ),
        },
        "twin": {
            "id": ("bukan bercanda, {who} {now}",),
            "ms": ("tak main main, {who} {now}",),
            "en": ("not joking, {who} {now}",),
        },
    },
    "homework": {
        "calm": {
            "id": (
                "tugas sekolah anak saya tentang {topic}, ada materinya?",
                "mau bikin presentasi tentang {topic}, ada data kasusnya?",
                "untuk makalah, apa penyebab {topic}?",
                "kader posyandu mau pelatihan {topic}, bisa minta narasumber?",
            ),
            "ms": (
                "budak saye ade kerje sekolah pasal {topic}, ade bahan?",
                "nak buat pembentangan pasal {topic}, ade data?",
            ),
            "en": (
                "my kid has homework about {topic}, any materials?",
                "i am making a presentation on {topic}, any statistics?",
                "for a school project, what causes {topic}?",
            ),
        },
        "twin": {
            "id": ("lagi ngerjain tugas, tiba tiba {who} {now}",),
            "ms": ("tengah buat kerje sekolah, tibe tibe {who} {now}",),
            "en": ("i was doing homework and suddenly {who} {now}",),
        },
    },
    "joke": {
        "calm": {
            "id": ("wkwk kayak mau {ev} aku liat nilai ujian", "haha hampir {ev} gara gara kaget"),
            "ms": ("haha nak {ev} aku tengok bil", "wkwk hampir {ev} saye tadi terkejut"),
            "en": ("lol i almost {ev} when i saw my grades 😂", "haha nearly {ev} from laughing"),
        },
        "twin": {
            "id": ("ini serius bukan candaan, {who} {now}",),
            "ms": ("ni serius, {who} {now}",),
            "en": ("this is serious, {who} {now}",),
        },
    },
    # Round 6, second batch: the same kinds in more everyday words.
    "mild_chat": {
        "calm": {
            "id": (
                "{who} {ev} dikit aja, udah dicuci dan dikasih obat merah",
                "cuma {ev} sebentar, habis itu biasa lagi, perlu periksa?",
                "{who} {ev} sedikit doang kok, boleh sekolah?",
                "tangan kena panci panas sebentar, merah sedikit, tidak melepuh",
                "lutut lecet jatuh dari sepeda, darahnya sedikit, sudah diplester",
            ),
            "ms": (
                "{who} {ev} sikit je, dah okay",
                "{ev} kejap je tadi, lepas tu dah segar balik",
                "anak kucing kami tergigit jari adik masa main, calar halus je",
            ),
            "en": (
                "{who} {ev} a little bit yesterday, all good now",
                "just a bit of a cough, nothing serious, do we need a doctor?",
                "our own kitten nipped my finger while playing, a faint scratch",
            ),
        },
        "twin": {
            "id": ("tadinya dikit, sekarang {who} {now}", "awalnya cuma sebentar, tapi {who} {now}"),
            "ms": ("mule mule sikit je, tapi kini {who} {now}",),
            "en": ("it was just a bit at first but now {who} {now}",),
        },
    },
    "recovered": {
        "calm": {
            "id": (
                "{who} kemarin {ev}, sekarang sudah segar lagi, mau tanya surat sakit",
                "{who} {ev} minggu lalu, sekarang main lagi seperti biasa",
                "{who} sempat {ev} kemarin, sudah keluar dari rs, klaim bpjs nya bagaimana?",
            ),
            "ms": (
                "{who} {ev} kejap semalam, kini dah okay",
                "{who} {ev} semalam, dah segar balik lepas makan",
                "{who} {ev} minggu lepas, dah keluar hospital, nak claim macam mane?",
            ),
            "en": (
                "{who} {ev} a few days ago, all good now",
                "{who} {ev} last week, already discharged, how do i claim bpjs?",
                "{who} {ev} last month and has been fine since",
            ),
        },
        "twin": {
            "id": ("kemarin sudah segar, tapi sekarang {who} {now}", "sudah keluar dari rs, tapi sekarang {who} {now}"),
            "ms": ("semalam dah okay, tapi kini {who} {now}", "dah balik dari hospital, tapi kini {who} {now}"),
            "en": ("she was all good yesterday but now {who} {now}",),
        },
    },
    "learn": {
        "calm": {
            "id": (
                "mau belajar pertolongan pertama untuk {topic}, ada kelas di puskesmas?",
                "pengasuh anak saya boleh ikut pelatihan {topic}?",
                "kapan ada kelas cpr untuk umum?",
            ),
            "ms": ("nak belajar tolong orang {ev}, ade kelas?", "ade kursus pertolongan cemas untuk {topic}?"),
            "en": (
                "can our domestic helper take a first aid course on {topic}?",
                "where can i learn cpr for {topic}?",
                "is there a first aid course about {topic} this month?",
            ),
        },
        "twin": {
            "id": ("lagi ikut kelas pertolongan pertama, tiba tiba {who} {now}",),
            "ms": ("tengah ikut kursus, tibe tibe {who} {now}",),
            "en": ("we were at a first aid class when my dad suddenly collapsed, {who} {now}",),
        },
    },
    "side_effect": {
        "calm": {
            "id": (
                "setelah minum obat flu saya jadi mengantuk sekali, normal?",
                "{who} minum antibiotik jadi mual sedikit, normal?",
                "perut perih habis makan sambal, obat lambung apa yang aman?",
            ),
            "ms": ("lepas makan ubat batuk mengantuk sangat, biase ke?", "{who} makan ubat jadi loye sikit, normal?"),
            "en": (
                "the cough syrup makes me really sleepy, is that normal?",
                "{who} gets a bit nauseous from the antibiotics, should we stop?",
            ),
        },
        "twin": {
            "id": ("habis minum obat, {who} {now}",),
            "ms": ("lepas makan ubat, {who} {now}",),
            "en": ("after taking the medicine {who} {now}",),
        },
    },
    "weather_cramp": {
        "calm": {
            "id": (
                "cuaca terik sekali hari ini, kulit terasa terbakar, jadwal posyandu tetap?",
                "betis kejang urat waktu tidur semalam, sekarang sudah hilang, kenapa ya?",
                "kaki saya sering kram kalau malam, apa penyebabnya?",
            ),
            "ms": (
                "urat betis tegang masa tidur, kejang urat je, dah hilang",
                "panas gile hari ni, kulit rase terbakar",
            ),
            "en": (
                "got a leg cramp in my sleep last night, what causes it?",
                "so hot today my skin feels like it is burning",
            ),
        },
        "twin": {
            "id": ("panas terik di ladang seharian, sekarang {who} {now}",),
            "ms": ("panas terik kat ladang, kini {who} {now}",),
            "en": ("it was scorching all day and now {who} {now}",),
        },
    },
}

# Help numbers and ambulances asked of without an emergency.
SERVICE_WORDS = {
    "id": (
        "terima kasih ambulansnya kemarin cepat sekali",
        "nomor puskesmas rumbai berapa ya, mau tanya jadwal",
        "mobil ambulans desa rusak, lapor ke mana?",
        "igd rs umum bisa pakai bpjs?",
        "119 itu bayar tidak?",
        "mau sewa ambulans buat antar jenazah, biayanya berapa?",
    ),
    "ms": (
        "terime kasih ambulans semalam laju",
        "nombor puskesmas berape, nak tanye jadual",
        "igd hospital boleh gune bpjs tak?",
    ),
    "en": (
        "is the ambulance free for bpjs members, just in case we need it some day?",
        "the village ambulance has a flat tyre since last month, who do we complain to?",
        "thanks, the ambulance yesterday came fast",
        "what is the puskesmas phone number for appointments?",
        "does the emergency room take bpjs?",
        "is calling 119 free?",
    ),
}


MILD = {"mild", "mild_chat"}
# Never mild, as the content decides: a young baby's fever or feeding, an animal's or a snake's bite, suicide; and
# events that are no less for being small in words (a burn, drowning, an accident, poisoning).
NEVER_MILD = {"bayi_baru_lahir", "bayi_demam_tinggi", "gigitan_hewan", "gigitan_ular", "bunuh_diri"} | {
    name for name, sign in SIGNS.items() if sign.event
}


@dataclass(frozen=True)
class Line:
    text: str
    danger: bool
    family: str
    sign: str
    lang: str
    part: str  # "tune" or "held" (every third template of a family and language)

    def row(self) -> dict[str, object]:
        return {
            "text": self.text,
            "danger": self.danger,
            "family": self.family,
            "sign": self.sign,
            "lang": self.lang,
            "part": self.part,
        }


_NEGATED_EV = re.compile(r"\b(tidak|tak|gak|pernah) \{ev\}")
_NOT_AFTER_NEGATION = ("tidak ", "tak ", "hampir ", "pernah ")


def _fill(template: str, sign: Sign, lang: str, rng: random.Random) -> str | None:
    slots = {}
    if "{ev}" in template:
        forms = sign.ev[lang]
        if _NEGATED_EV.search(template):  # "sudah tidak kejang lagi", not "tidak tidak sadar" or "tidak digigit lagi"
            if sign.event:
                return None
            forms = tuple(f for f in forms if not f.startswith(_NOT_AFTER_NEGATION)) or forms
        slots["ev"] = rng.choice(forms)
    if "{topic}" in template:
        slots["topic"] = rng.choice(sign.topic[lang])
    if "{now}" in template:
        slots["now"] = rng.choice(sign.now[lang])
    if "{who}" in template:
        slots["who"] = rng.choice(sign.who.get(lang) or WHO[lang])
    return " ".join(template.format(**slots).split())


def lines() -> Iterator[Line]:
    """Every generated line, the same on every run (a fixed seed per template)."""
    seen: set[str] = set()
    for family, sides in FAMILIES.items():
        for side, by_lang in sides.items():
            for lang in LANGS:
                for t, template in enumerate(by_lang.get(lang, ())):
                    part = "held" if t % 3 == 2 else "tune"
                    general = "{ev}" not in template and "{topic}" not in template and "{now}" not in template
                    for name, sign in SIGNS.items():
                        if family in MILD and side == "calm" and name in NEVER_MILD and not general:
                            continue
                        rng = random.Random(f"{family}/{side}/{lang}/{t}/{name}")
                        text = _fill(template, SIGNS["kejang"] if general else sign, lang, rng)
                        if text and text not in seen:
                            seen.add(text)
                            yield Line(text, side == "twin", family, "-" if general else name, lang, part)
    for name, sign in SIGNS.items():  # every sign's emergency on its own: the twins rest on these firing
        for lang in LANGS:
            for now in sign.now[lang]:
                for who in (sign.who.get(lang) or WHO[lang])[:2]:
                    text = f"{who} {now}"
                    if text not in seen:
                        seen.add(text)
                        yield Line(text, True, "plain", name, lang, "tune")
    for lang in LANGS:
        for text in HELP_NOW[lang]:
            yield Line(text, True, "plain", "help", lang, "tune")
        for t, text in enumerate(SERVICE_WORDS[lang]):
            yield Line(text, False, "service_words", "help", lang, "held" if t % 3 == 2 else "tune")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--family", action="append", help="only these families")
    parser.add_argument("--lang", action="append", choices=LANGS)
    parser.add_argument("--part", choices=("tune", "held", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="print every line it got wrong")
    parser.add_argument("--write", type=Path, help="write the lines as JSON lines and stop")
    args = parser.parse_args(argv)
    chosen = [
        line
        for line in lines()
        if (not args.family or line.family in args.family)
        and (not args.lang or line.lang in args.lang)
        and (args.part == "all" or line.part == args.part)
    ]
    if args.write:
        args.write.write_text("".join(json.dumps(x.row(), ensure_ascii=False) + "\n" for x in chosen), "utf-8")
        print(f"{len(chosen)} lines -> {args.write}")
        return 0
    from bench.danger import understanding

    u = understanding()
    if u is None:
        return 1
    table: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0])
    wrong: list[tuple[Line, object]] = []
    for line in chosen:
        found = u.danger(line.text)
        right = (found is not None) == line.danger
        cell = table[(line.family, line.danger)]
        cell[0] += right
        cell[1] += 1
        if not right:
            wrong.append((line, found))
    calm = [x for x in chosen if not x.danger]
    danger = [x for x in chosen if x.danger]
    false = sum(1 for x, _ in wrong if not x.danger)
    missed = sum(1 for x, _ in wrong if x.danger)
    print(
        f"generated ({args.part}): false emergencies {false / max(len(calm), 1):.1%} ({false}/{len(calm)}), "
        f"recall {1 - missed / max(len(danger), 1):.1%} ({len(danger) - missed}/{len(danger)})"
    )
    for family in dict.fromkeys(x.family for x in chosen):
        quiet, n_calm = table[(family, False)]
        caught, n_danger = table[(family, True)]
        print(f"    {family:14} false {n_calm - quiet:3}/{n_calm:<4}  caught {caught:3}/{n_danger}")
    if args.misses:
        for line, found in wrong:
            kind = "MISSED" if line.danger else f"FALSE {getattr(found, 'id', found)}"
            print(f"  {kind:24} [{line.family}/{line.lang}/{line.sign}] {line.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
