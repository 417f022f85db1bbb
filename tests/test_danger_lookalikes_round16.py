"""Round 16 false emergencies by mechanism (issue 18), read by the detector itself, with the emergencies next to them
that must stay. My own wording, written from the mechanisms found on the tuning sets (danger_eval_b..n, the danger
tune sets, bench/blind/danger_tune_p16.jsonl written this round); set O was read as totals only.

"Sesak" told of a crowded place with no one in its clause; an English "he's"/"she's" read as "he is"/"she is" (so
"she's fine now" clears what was told before it); a voice or the sun that "tenggelam"; "katanya" (they say) is no
speech; one side numb after a dental anaesthetic that "wore off" or will "hilang sendiri" (asked "wajar?" it
stays the safety net's line, round 8); a demo, a presentation or "a real thing" asks in general; a "thin"
scratch is mild (next to its word only: "dicakar kucing tetangga tergores tipis, sudah dicuci" still fires); years
right after a sign ("lumpuh sebelah sudah 4 tahun") and home from hospital before it are the past; "passed out early"
is asleep; "stood up too fast" and "it goes away when I rest"; "malu ... mau mati" is embarrassment. A negation is
never the stray word of a guard's phrase ("sudah tidak sadar" is no "sudah sadar"). A disease's name ("penyakit
sesak"), a habit or a condition after the sign ("tiap malam", "kalau jalan", "kalau cuaca dingin"), a chronic disease
owned ("punya ppok"), "sudah lega", "tandanya gimana" and someone abroad; heartbreak, sport and "tapi sehat saja". A cold told with a calm side ("pilek ...
main masih lincah") is answered like "wajar?" (round 8): the normal answer led by the safety net's 119 line. handled and home ("sekarang sudah pulang", "sudah diobati", "langsung main lagi", "wore off").
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "ruang tunggu poli umum sesak sekali siang ini, boleh datang sore saja?",  # crowded
        "angkotnya sesak penumpang jadi saya telat ke posyandu, masih dilayani?",
        "pasar pagi sesak betul, nak ke klinik lambat sikit",
        "my grandma fainted at church from the heat yesterday, the nurse checked her and she's fine now",  # she's
        "suara adik tenggelam kalau di kelas, gurunya gak dengar, perlu cek telinga?",  # a voice
        "hamil 5 bulan kemarin keputihan, udah periksa ke bidan katanya aman, sekarang udah gak keluar apa-apa",
        "sebelah bibir sama lidah kebas habis dibius, dokter gigi bilang nanti hilang sendiri",  # cleared
        "could someone from the puskesmas do a first aid demo on choking for our kindergarten teachers?",
        "is secondary drowning a real thing? my kids swim every weekend",
        "tangan saya tergores tipis kena pisau, darahnya sedikit sekali",  # mild
        "kemarin ayah pingsan waktu antri di bank, sudah dicek di klinik, sekarang sudah pulang",  # handled
        "adik kemarin keracunan jajanan tapi sudah diobati dan pulang, mau lapor penjualnya ke mana",
        "tadi adik keselek bakso, batuk sebentar langsung main lagi",
        "my cheek went numb on one side from the dentist's shot, it wore off by lunch",
        "nenek lumpuh sebelah sudah 4 tahun, bisa minta kursi roda gratis?",  # years after the sign
        "bapak baru pulang dari rumah sakit habis dirawat karena stroke, obatnya ambil di mana",  # home from hospital
        "passed out early after my night shift, did I miss the posyandu reminder?",  # asleep
        "i fainted when i stood up too fast, fine now, is it low blood pressure?",
        "malu banget rasanya mau mati, salah kirim foto ke grup RT",  # embarrassment
        "my hand goes numb when I type, it goes away when I rest, is that carpal tunnel?",
        "obat untuk penyakit sesak nenek habis, bisa ambil di puskesmas?",  # a disease's name
        "tetangga katanya sesak tiap malam, takut tbc, periksanya di mana",  # habitual
        "gampang sesak kalau jalan jauh sejak hamil 8 bulan, olahraga apa yang aman",
        "semalam anak sesak karena asma, sudah pakai inhaler, sekarang sudah lega dan tidur",  # relieved
        "kakek punya ppok, sesaknya kumat kalau cuaca dingin, obat semprotnya tinggal sedikit",
        "kejang demam itu tandanya gimana ya? anak saya sehat, cuma pengen tahu",  # asks in general
        "my brother had a seizure while travelling overseas, he is back home and fine",  # abroad
        "dada sesak rasanya ditinggal pacar nikah, ada konseling gratis?",  # heartbreak
        "anak tidurnya mangap, napas lewat mulut, tapi sehat saja",
        "ngos-ngosan habis main badminton sejam, wajar kan?",  # sport
        "I was gasping after the fun run this morning but fine after a minute",
    ],
)
def test_round16_lookalikes_are_no_emergency(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        "bapak saya sesak napas di ruang tunggu puskesmas, bibirnya biru",  # someone in the crowded place
        "tolong sesak banget di dalam bus, gak bisa napas",
        "anak saya sesak di antrian, dadanya tertarik ke dalam",
        "last night a bat bit my son on the hand, he's fine but we worry about rabies",  # not "now"
        "she says she's fine but her face is drooping on one side and her speech is slurred",
        "anak saya tenggelam di kolam barusan, sudah diangkat tapi tidak bernapas",
        "mulut bapak tiba-tiba mencong, katanya tangan kirinya tidak bisa diangkat",  # katanya beside a stroke
        "anak jatuh ke kolam ikan, diangkat sudah tidak sadar",
        "ibu tadi sempat kejang sebentar, sekarang bingung dan lemas",
        "ada bekas gigitan ular di kaki anak, bengkak dan nyeri",  # a fresh bite's mark
        "bapak sudah 3 tahun darah tinggi, tiba-tiba mulutnya mencong dan tidak bisa bicara",  # sudden now
        "baru pulang dari rumah sakit kemarin, tapi sekarang sesak lagi dan bibirnya biru",
        "my dad blacked out and we still can't wake him",
        "anak pilek tapi sekarang napasnya cepat sekali, dadanya tertarik ke dalam, tidak mau menyusu",
        "bapak sesak tiap malam, tapi sekarang bibirnya biru dan tidak bisa bicara",  # now, after the habit
        "asma anak kambuh, inhaler sudah disemprot tapi masih sesak berat",
    ],
)
def test_round16_emergencies_next_to_them_stay(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "anak pilek hidung mampet, napasnya bunyi grok grok kalau tidur tapi main masih lincah",  # a cold, a calm side
        "baby has a stuffy nose and her breathing sounds noisy at night, but she feeds well",
    ],
)
def test_round16_a_cold_with_a_calm_side_gets_the_safety_line(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message
    assert danger.trouble(message) is not None, message
