"""Danger signs as residents describe them: through the chat, everywhere, with guards against look-alikes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.check import check_directory
from tests.support.chat import Chat, text_of
from tests.support.settings import CONTENT


def _emergency(result: dict) -> bool:
    return result["intent"] == "emergency" and "119" in text_of(result)


@pytest.mark.parametrize(
    "message",
    [
        # the five described emergencies of issue 18 that used to get "Maaf, saya belum bisa menjawab"
        "dada sebelah kiri saya nyeri, rasanya menjalar ke lengan dan keluar keringat dingin",
        "wajah bapak saya tiba-tiba turun sebelah, bicaranya jadi tidak jelas",
        "bayi saya umur 2 minggu tidak mau minum susu dan lemas sekali",
        "anak muntah terus dari pagi, tidak mau minum, lemas",
        "saya hamil 7 bulan, sakit kepala hebat dan ada bintik-bintik di depan mata",
        "nomor darurat ambulans",
        # Riau Malay, slang and typos
        "budak ambo tetibe pengsan, tak sedar",
        "atuk mengadu dade sakit sangat sampai ke rahang, berpeluh",
        "bayi sy 3 mgg badannya panas",
        "adek digigit anjing liar td sore",
        "bapak dipatok ular di kebun sawit",
        "anak sy ketelan baygon",
        "ponakan jatuh ke kolam, pas diangkat ga napas",
        "abis makan udang bibirnya bengkak, lehernya rasa tertutup",
        "ambo dah tak nak hidup lagi",
        "utang saya numpuk, semua orang lebih baik kalau saya tidak ada",  # debts: not a figure of speech here
        # English
        "my dad's face is drooping on one side and he can't speak properly",
        "our 10 day old baby is not feeding and feels cold",
        "I'm 30 weeks pregnant and my water just broke",
        "my son got boiling water on his chest, it's blistering",
        # families of 2026-11-30 08:00: no answer when called or pinched; the baby in the womb moves no more;
        # ribs pulled in; an inhaler that does not help; no strength in one arm; a crush; blood in vomit
        "kakek saya dipanggil-panggil dan dicubit tetap tidak ada reaksi",
        "gerakan dedek di perut sudah tidak terasa sejak semalam, hamil 35 minggu",
        "I'm 31 weeks along and haven't felt him kick all day",
        "anak sy napasnya susah bgt, tulang iganya sampe ketarik ke dalam",
        "inhaler is not helping and she can barely talk",
        "tiba2 tangan kiri bapak ga ada tenaga, mata kirinya gelap",
        "pekerja ketimpa besi, perutnya keras dan pucat",
        "demam hari ke 4, muntah darah sedikit",
        "My dad is having chest pain, how do I call an ambulance?",  # 'having' stays English
        "nenek saya tidak sadar dari tadi",  # 'saya tidak sadar' inside 'nenek saya tidak sadar'
        # chat and Riau Malay spellings read as their standard words, and swapped letters
        "budak ambo jatuh dari tangge, kepale luke, muntah",  # tangga, kepala, luka
        "mak ambo tebaring kat dapur, tak sedarkan diri",  # terbaring
        "anak sy kejnag dari tadi",  # two letters swapped
        "bini ambo mengandung 7 bulan, tumpah darah, perut sakit mencucuk",
        "lepas bersalin 2 hari, darah keluar banyak tak berhenti, pening nak pitam",
        # who changes the sign; a sign told after an unrelated 'all is well' or a question
        "anak pertama sudah sembuh dari DBD. Tapi adiknya sekarang kejang",
        "apa tanda stroke? bapak saya mulutnya tiba-tiba mencong",
        "a snake bit my son's ankle, there are two holes and it's swelling",
        "anak2 sy yg kecil kejaaang pas demam, udah 5 menit belum berhenti",  # 'yang kecil' is not mild
        "istri saya kontraksi terus, kepala bayinya sudah kelihatan, kami masih di rumah",
        "ayah saya diabetes, keringat dingin, bingung, gula darahnya 45",
        "anak jatuh dari ayunan kepalanya kebentur, muntah 3 kali dan ngantuk terus",
        "temen sebelah meja tiba2 pucat keringetan megangin dada",  # clutching the chest
        "I'm 37 weeks and clear fluid keeps trickling down since an hour ago",
        'my friend texted me "goodbye, thanks for everything" and isn\'t answering her phone',
        "uwan ambo indak sadar, dipanggil indak menjawab",  # Minang words
        "gawat, kaki suami saya bengkak besar dan merah habis kena paku",  # 'an emergency' and what is wrong
        "anak DB hari ke 5, trombositnya 30 ribu",
        "bayi baru lahir 3 hari perutnya kembung keras dan belum pup",
        "operasi sesar 4 hari lalu, belum sadar juga setelah pingsan tadi",
        # a look-alike word in another sentence, or a word that is one only in some places
        "anak saya sesak napas berat bibirnya biru. oh ya tagihan bpjs saya gimana",
        "istri hamil 38 minggu, air ketuban sudah keluar banyak",  # 'sudah keluar' is not 'it is over' here
        "anak saya tersiram kopi panas, kulitnya melepuh",
        "anak kejang, tangannya kaku seperti kram",
        "minta info nomor ambulans, darurat",
        "tolong kirim ambulans ke jl sudirman 12, terima kasih",
        "kakek pas nonton tv tiba2 remote jatuh, tangan kirinya gk bisa diangkat",  # watching TV is not the news
        "I'm 32 weeks and bleeding bright red, soaked my pants",  # 'I'm 32 weeks': pregnant
        "my toddler ate some of grandma's blood pressure pills, maybe 5",
        "gabisa napas",  # run-together chat words
        "newborn baby 4 days old not drinking milk and very yellow",
        "my mother suddenly cannot talk properly and her face look not same both side",
        "ayah saya dari subuh tadi ngomongnya jadi pelo dan tangan kanannya susah digerakkan, apa bisa ke posbindu?",
        # round 3: a heart attack described, Minang words, an age in weeks or with decimals, self-harm
        "abah ambo sakik dado bana, peluh sejuk",  # dado: Minang final o
        "dada bapak rasanya kayak ditindih dari tadi",
        "ayah megangin dadanya terus jatuh di kamar mandi",
        "anak kedua sy baru 6 minggu, badannya anget",
        "baby is 2.5 months old and has a fever of 38.4",
        "30 weeks and the baby has hardly moved since yesterday",  # weeks alone: a pregnancy
        "adik saya menyayat tangannya sendiri pakai cutter",
        "bayi 2 minggu demam, bahaya ga?",  # is it dangerous, about a baby
        "anak pertama sudah sembuh dari cacar. adiknya kejang dari tadi",  # 'all is well' ends with its sentence
        "we found small bite marks from a bat on his hand",  # small, but a bat may carry rabies
        "sy telat 6 minggu, perut bawah sakit melilit, ada flek",  # late by 6 weeks: a pregnancy
    ],
)
async def test_described_danger_signs_get_119(chat: Chat, message: str) -> None:
    assert _emergency(await chat.say(message)), message


@pytest.mark.parametrize(
    "message",
    [
        "anak saya sudah tidak demam lagi, mau tanya jadwal imunisasi",  # negation
        "dulu pernah kejang waktu kecil, sekarang mau imunisasi",  # the past
        "saya tidak sadar kalau jadwalnya lewat",  # figurative
        "apa tanda-tanda stroke?",  # a pure information question
        "what are the signs of a heart attack?",
        "sakit kepala sedikit",  # mild
        "demam anak saya sudah turun, boleh mandi?",  # resolved
        "bpjs saya mati, bagaimana mengaktifkan lagi",
        "kalau digigit anjing liar harus ngapain? buat pengetahuan aja",
        "anak demam 3 hari trombositnya turun",  # "3 hari" is how long, not a 3-day-old baby
        "anak dicakar kucing peliharaan sendiri, goresan tipis, kucingnya sudah vaksin",  # the sign's not_if
        "my dad had a heart attack in 2019, which puskesmas does cardiac rehab?",  # a year: the past
        "pingsan saya lihat tagihan listrik bulan ini",  # figurative
        "adik saya kalau dengar lagu dangdut langsung kejang-kejang joget wkwk",  # a joke
        "batuk pilek biasa, gk sesak kok, tidak ada tarikan dinding dada",  # negation next to a phrase with 'tidak'
        "gerakan bayi di perut aktif, tidak berkurang, hamil 30 minggu",
        "kepala anak terbentur meja, benjol sikit, tak pening, main lagi",  # a bump with no red flag
        "ibu saya sering pusing kalau berdiri tiba2, tapi ga sampe pingsan",
        "what are the signs of a stroke I should watch for in my parents?",  # a general question, someone named
        "macam mane nak tolong orang pengsan? nak tau je",  # 'tolong' inside a question is not a cry for help
        "bener ga luka gigitan ular harus disedot? mau bikin materi KKN",
        "Sy hamil 28 minggu, kadang perut kenceng terus hilang sendiri, katanya kontraksi palsu",
        "kulit sy gosong abis seharian di pantai, perih dikit",  # sunburn
        "bibir saya mencong karena sakit gigi bengkak",  # a tooth, not a stroke or an allergy
        "I get a bit short of breath climbing 4 flights of stairs",  # 'a bit' is mild, not a bite
        "anak aku tido mati sangat, bunyi guruh pun tak bangun, normal ke",
        "ayah ambo dah lame kene angin ahmar, nak tanye ubat darah tinggi",  # 'dah lame': long ago
        "tangan saya gemeteran kalo telat makan, apa itu gula darah rendah?",
        "bosen bgt hidup gini2 aja, pengen pindah kerja",
        "hamil 20 minggu, tadi kepeleset duduk di lantai tapi ga nyeri, bayinya gerak aktif",
        "urgent kak, kapan jadwal imunisasi bcg",  # urgent, but nothing is wrong with anyone
        "pil kb darurat bisa didapat di puskesmas? perut saya agak sakit",
        "kaki saya kejang otot abis main bola, sudah diurut",
        "lidah saya kebakar minum kopi panas",
        "tadi malam saya bawa anak ke IGD, sekarang hasil labnya ambil di mana?",
        "mau simpan nomor darurat di hp ibu saya, nomor apa aja yang perlu?",
        "anak tersedak permen tadi, sudah keluar, sekarang main lagi",
        # stories on the news, hypotheticals, someone else's pet, a normal temperature
        "tadi nonton berita ada anak tenggelam di sungai siak, ngeri banget",
        "di sinetron tadi ada adegan bunuh diri, anak saya nanya, gimana jelasinnya ya",
        "seandainya ada orang kejang di jalan, boleh dimasukkan sendok ke mulutnya?",
        "if my child has a febrile seizure, how long should I wait before calling for help?",
        "motor saya diserempet mobil tapi saya tidak apa-apa, cuma lecet, visum di mana?",
        "bayi 2 bulan habis imunisasi, suhunya 37 derajat, tidak demam",
        "demam anak sudah 3 hari, tapi masih main dan makan, mau cek darah di mana?",  # how long, not how old
        "apa bedanya 112 sama 119?",
        "kucing ambo kene gigit anjing, perlu bawe ke doktor haiwan?",
        "anjing tetangga menggonggong terus kalau anak saya lewat, takut digigit, lapor ke mana?",
        "do I need to pay for an ambulance in Pekanbaru? just planning ahead",
        "anak saya makan obat cacing dari posyandu",  # medicine as given, not swallowed by accident
        "anak saya kejang? ga kok, cuma menggigil karena demam, sudah turun sekarang",
        "budak-budak suke mandi sungai, takut lemas, ape patut buat?",  # Malay 'lemas': drowning, feared
        # round 3: is it dangerous / a myth, about no one; a sore spot; pins and needles; figures of speech
        "dok kalau pingsan karena darah rendah itu bahaya ga?",
        "does toothpaste help with burns?",  # 'help' in a question is not a cry for help
        "dada nyeri kalau ditekan di satu titik, kemarin angkat lemari",
        "kaki kiri kesemutan habis duduk bersila",
        "I'm drowning in paperwork this week",
        "anak main layangan seharian kulitnya gosong",
        "disengat tawon, bentol di tangan saja",
        "kemarin adik kejang, sudah diperiksa dokter katanya sudah baik, kapan imunisasi lagi?",
        "apa itu angin duduk? sama ga dengan serangan jantung",
        "I'm dying to know when the next free health check is",
        "bulan lalu paman dipatok ular, sekarang kakinya sudah sehat. ada pelatihan penanganan gigitan ular?",
        "kucing aku gigit manja, tidak berdarah",
    ],
)
async def test_look_alikes_are_not_emergencies(chat: Chat, message: str) -> None:
    result = await chat.say(message)
    assert result["intent"] != "emergency", message


async def test_asking_for_the_number_always_answers_119_and_the_nearest_emergency_care(chat: Chat) -> None:
    for message in ("nomor ambulans berapa", "IGD", "minta nomor IGD", "119", "emergency number please"):
        result = await chat.say(message)
        assert _emergency(result), message
        assert "IGD" in text_of(result)


async def test_danger_wins_inside_a_guided_flow(chat: Chat) -> None:
    start = await chat.say("apakah saya bisa berobat gratis pakai KTP?")
    assert start["intent"] == "uhc"
    result = await chat.say("kak tolong, anak saya muntah terus dari pagi tidak mau minum dan lemas")
    assert _emergency(result)
    after = await chat.say("ya")  # the flow was left: "ya" no longer answers its question
    assert after["intent"] != "uhc" or "BPJS" not in text_of(after)


async def test_danger_wins_in_a_long_story(chat: Chat) -> None:
    story = (
        "Selamat pagi bu bidan. Saya mau tanya jadwal posyandu bulan depan karena anak kedua saya "
        "belum imunisasi campak. Oh iya, tadi waktu sarapan bapak saya yang umurnya 68 tahun tiba-tiba "
        "mulutnya mencong dan tangan kanannya lemas, sekarang masih duduk di kursi. Terima kasih."
    )
    result = await chat.say(story)
    assert _emergency(result)
    assert "jam mulai" in text_of(result)  # the stroke advice, not a generic one


async def test_danger_wins_in_english_sessions(chat: Chat) -> None:
    await chat.say("english")
    result = await chat.say("my grandmother suddenly can't move her right arm and her words are slurred")
    assert _emergency(result)


async def test_suicide_in_everyday_words_gets_the_mental_health_line(chat: Chat) -> None:
    result = await chat.say("hidup saya rasanya tidak ada artinya lagi")
    assert _emergency(result) and "SEJIWA" in text_of(result)


async def test_animal_bite_advice_says_wash_15_minutes_and_go_today(chat: Chat) -> None:
    text = text_of(await chat.say("anak saya digigit kucing liar sampai berdarah"))
    assert "15 menit" in text and "sabun" in text and "air mengalir" in text and "Hari ini" in text


def _broken(tmp_path: Path, old: str, new: str) -> tuple[int, str]:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    path = target / "danger_signs.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = __import__("io").StringIO()
    return check_directory(target, out), out.getvalue()


def test_content_check_names_an_unknown_concept_with_its_line(tmp_path: Path) -> None:
    code, out = _broken(tmp_path, "when: [bite + animal]", "when: [bite + animall]")
    line = next(
        i for i, t in enumerate((CONTENT / "danger_signs.yaml").read_text().splitlines(), 1) if "bite + animal]" in t
    )
    assert (
        code == 1
        and f"danger_signs.yaml:{line}: sign 'gigitan_hewan': rule 'bite + animall': unknown concept 'animall'" in out
    )


def test_content_check_wants_a_source_and_english_advice(tmp_path: Path) -> None:
    code, out = _broken(tmp_path, "    source: Kemenkes RI; PSC 119 (pertolongan pertama gigitan ular)\n", "")
    assert code == 1 and "sign 'gigitan_ular': missing required field 'source'" in out
    code, out = _broken(
        tmp_path / "b", "      en: Keep the person calm and still.", "      xx: Keep the person calm and still."
    )
    assert code == 1 and "sign 'gigitan_ular': advice needs an English text under 'en:' too" in out


def test_content_check_reports_an_unknown_include_and_a_bad_age(tmp_path: Path) -> None:
    code, out = _broken(tmp_path, '["@newborn"]', '["@newbron"]')
    assert code == 1 and "concept 'young_baby': '@newbron' is not a concept" in out
    code, out = _broken(tmp_path / "b", "from: 0 hari, to: 3 bulan", "from: 0 hari, to: 3 months")
    assert code == 1 and "age 'from' and 'to' are like '0 hari'" in out
    code, out = _broken(tmp_path / "c", ", units: [minggu, week, weeks]}", "}")
    assert code == 1 and "an age with no 'near' words must name its 'units'" in out


def test_content_check_reports_bad_rule_windows_guards_and_concepts_made_of_others(tmp_path: Path) -> None:
    code, out = _broken(tmp_path, "prompted + no_response @8", "prompted + no_response @99")
    assert code == 1 and "'@' is followed by a window of 2 to 60 words" in out
    code, out = _broken(tmp_path / "b", "bloody stool]\n    unguarded: [mild]", "bloody stool]\n    unguarded: [mildd]")
    assert code == 1 and "concept 'blood_out': unknown guard 'mildd'" in out
    code, out = _broken(tmp_path / "c", "together: [fetal_move, fetal_absent]", "together: [fetal_move, fetal_gone]")
    assert code == 1 and "concept 'fetal_stopped': together 'fetal_gone' is not a concept above it" in out
    code, out = _broken(tmp_path / "d", "  urgent: [tolong,", "  urgent: [tolong sekali,")
    assert code == 1 and "'tolong sekali': urgent is read word by word, write one word per entry" in out


def test_content_check_allows_one_model_sure_sign(tmp_path: Path) -> None:
    code, out = _broken(tmp_path, "    kind: medical\n", "    kind: medical\n    model_sure: true\n")
    assert code == 1 and "'model_sure' on more than one sign" in out


def test_content_check_wants_model_sure_on_a_medical_sign(tmp_path: Path) -> None:
    code, out = _broken(
        tmp_path,
        "  - id: nomor_darurat\n    kind: help\n",
        "  - id: nomor_darurat\n    kind: help\n    model_sure: true\n",
    )
    assert code == 1 and "'model_sure' only on a 'medical' sign" in out
