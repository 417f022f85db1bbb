"""Follow-up families the blind tuning sets showed losing the thread, each played through `chat --jsonl`
as one resident ("menu" between conversations clears what the last one was about)."""

from __future__ import annotations

from tests.support.chat import text_of
from tests.support.cli import chat_jsonl, intents


def test_a_pregnancy_danger_sign_told_in_a_follow_up_is_an_emergency(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "istri saya hamil 8 bulan, kakinya bengkak",
            "sekarang dia sakit kepala hebat dan pandangannya kabur",
            "menu",
            "periksa kehamilan di mana",
            "kalau pusing sedikit?",
            "menu",
            "sakit kepala hebat dan pandangan kabur",  # nobody said who: no pregnancy is assumed
        ],
        env,
    )
    assert said[0]["intent"] == "hamil_bahaya"
    assert said[1]["intent"] == "emergency" and "119" in text_of(said[1])
    assert said[4]["intent"] != "emergency"  # a mild complaint is still a question
    assert "buku KIA" in text_of(said[1])  # the pregnancy sign's own advice, read in context
    # The same words alone: no pregnancy is assumed (no sign reads them); since round 16 the learned net, sure on its
    # own, gives the general emergency answer, never the pregnancy sign's
    assert "buku KIA" not in text_of(said[6]) and "hamil" not in text_of(said[6]).lower()


def test_short_questions_after_the_hospitals_stay_with_the_hospitals(env: dict[str, str]) -> None:
    said = chat_jsonl(
        ["rs yang ada igd di mana", "buka 24 jam?", "alamatnya?", "bisa pakai bpjs?", "yg terdekat?"], env
    )
    assert intents(said) == ["rumah_sakit"] * 5  # not the puskesmas's hours, address or the nearest puskesmas


def test_a_follow_up_about_a_disease_stays_with_that_disease(env: dict[str, str]) -> None:
    # "tes" alone is mostly HIV's word, "cegah" several diseases'; after TBC and dengue they ask about those.
    said = chat_jsonl(
        [
            "anak batuk 3 minggu tidak sembuh, apa tbc?",
            "tesnya bagaimana untuk anak?",
            "menu",
            "gejala demam berdarah apa saja",
            "cara mencegahnya gimana",
        ],
        env,
    )
    assert said[0]["intent"] == "tbc"
    assert said[1]["intent"] in {"tbc", "tbc_kontak"}
    assert said[3]["intent"] == "dbd"
    assert said[4]["intent"] == "psn_3m" and "3M" in text_of(said[4])


def test_after_an_emergency_only_a_question_of_where_asks_for_its_hospitals(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "anak saya kejang kejang sekarang",
            "ngeri ya",
            "menu",
            "anak saya kejang kejang sekarang",
            "yang dekat tangkerang?",
            "kalau yang di panam?",
        ],
        env,
    )
    assert said[0]["intent"] == "emergency"
    assert said[1]["intent"] != "rumah_sakit"  # a feeling asks for no hospital list
    assert intents(said[4:]) == ["rumah_sakit", "rumah_sakit"]


def test_a_story_question_is_read_with_the_subject_told_further_back(env: dict[str, str]) -> None:
    # The questions name nothing; what they are about was told three or four clauses before them.
    said = chat_jsonl(
        [
            "Saya pasien TBC, baru berobat 2 bulan. Obatnya bikin mual dan pusing, jadi seminggu ini saya "
            "berhenti. Sekarang sudah merasa sehat. Boleh tidak kalau saya tidak minum obatnya lagi?",
            "menu",
            "Ibu saya sedang hamil 4 bulan, periksanya selama ini di bidan dekat rumah. Belum pernah ke puskesmas "
            "sama sekali. Kata tetangga harus cek darah juga. Yang wajib diperiksa apa saja?",
            "menu",
            "Kemarin saya ke pasar beli ikan, ketemu teman lama, ngobrol lama sampai sore, lalu pulang naik ojek. "
            "Menurut kakak rendang atau gulai yang lebih enak?",
        ],
        env,
    )
    assert said[0]["intent"] == "tbc", said[0]["intent"]
    assert said[2]["intent"] == "anc", said[2]["intent"]  # the pregnancy told first, not the puskesmas
    assert said[4]["intent"] in {"fallback", "clarify"}  # a story asking nothing we know is not guessed


def test_after_the_nearest_list_an_entry_asked_without_a_name_is_about_the_nearest(env: dict[str, str]) -> None:
    said = chat_jsonl(["@loc 0.5867 101.4391", "jam bukanya?", "ada pemeriksaan anak sakit juga?"], env)
    nearest = text_of(said[0]).split("1. Puskesmas ", 1)[1].split(" —")[0]
    assert said[1]["intent"] == "puskesmas_jam" and nearest in text_of(said[1])  # not "kirim lokasi Anda" again
    assert said[2]["intent"] == "puskesmas_layanan"


def test_a_few_days_after_a_side_effect_are_how_long_not_an_age(env: dict[str, str]) -> None:
    said = chat_jsonl(["bayi saya demam setelah imunisasi dpt kemarin", "kalau sampai 3 hari belum turun gimana?"], env)
    assert said[0]["intent"] == "imunisasi_kipi"
    assert said[1]["intent"] != "imunisasi_usia" and "umur 3 hari" not in text_of(said[1])


def test_how_many_times_after_a_vaccine_is_answered_with_the_count(env: dict[str, str]) -> None:
    said = chat_jsonl(["vaksin PCV untuk apa ya", "berapa kali?", "menu", "what is the DPT-HB-Hib vaccine for"], env)
    assert intents(said[:2]) == ["imunisasi_vaksin", "imunisasi_vaksin"]
    assert "Diberikan 3 kali" in text_of(said[1])  # PCV 1-3, as listed under it
    assert "Given 4 times" in text_of(said[3])  # the three doses and the booster at 18 months


def test_where_after_an_immunization_answer_is_where_vaccines_are_given(env: dict[str, str]) -> None:
    said = chat_jsonl(["anak saya 4 tahun belum pernah imunisasi campak, masih bisa?", "di mana?"], env)
    assert said[0]["intent"] == "imunisasi_kejar"
    assert said[1]["intent"] == "imunisasi" and "puskesmas" in text_of(said[1])  # not the catch-up rules again


def test_a_short_question_after_a_childs_own_schedule_is_about_that_child(env: dict[str, str]) -> None:
    # "yg bulan depan apa" matches nothing alone: with the birth date in hand it is that child's schedule.
    said = chat_jsonl(
        [
            "anak saya lahir 14 februari 2025, bisa dibuatin jadwal imunisasinya?",
            "yg bulan depan apa",
            "menu",
            "saya lupa jadwal imunisasi anak, lahirnya 3 mei 2025",
            "bulan ini apa?",
        ],
        env,
    )
    assert intents(said) == ["imunisasi_pribadi", "imunisasi_pribadi", "menu", "imunisasi_pribadi", "imunisasi_pribadi"]
    assert "14 Februari 2025" in text_of(said[1]) and "3 Mei 2025" in text_of(said[4])


def test_a_question_while_the_uhc_check_waits_for_an_answer_is_answered(env: dict[str, str]) -> None:
    # The UHC answer asks "is your KTP from Pekanbaru?": a question it cannot read is a follow-up, not a bad answer.
    said = chat_jsonl(
        ["What does UHC mean here?", "who pays for it?", "menu", "uhc itu apa", "siapa aja yg dapat?", "kenapa?"],
        env,
    )
    assert said[1]["intent"] == "uhc" and "didn't understand" not in text_of(said[1])
    assert said[4]["intent"] == "uhc" and "belum saya pahami" not in text_of(said[4])
    assert "belum saya pahami" in text_of(said[5])  # "kenapa?" says nothing the context reads: the step asks again


def test_how_late_or_another_vaccine_after_a_missed_dose_stays_with_the_catch_up(env: dict[str, str]) -> None:
    said = chat_jsonl(
        [
            "imunisasi kejar itu apa ya",
            "sampe umur brp masih bisa",
            "menu",
            "anak sy 6 bulan blm dpt rotavirus sama sekali, msh bisa?",
            "klo pcv?",
            "bcg itu untuk apa?",  # a vaccine asked about itself is a question of its own
        ],
        env,
    )
    assert intents(said)[:2] == ["imunisasi_kejar", "imunisasi_kejar"]
    assert intents(said)[3:] == ["imunisasi_kejar", "imunisasi_kejar", "imunisasi_vaksin"]


def test_english_nearest_one_a_childs_soonest_date_and_how_long_a_reaction_lasted(env: dict[str, str]) -> None:
    # "the nearest one to X?" after the hospitals asks for them near X, as "yang dekat X?" does; "yang paling
    # dekat kapan?" after a child's own schedule asks that child's next date, not the nearest puskesmas; "udah 2
    # hari" after the side effects says how long the fever lasted, not that the child is 2 days old.
    said = chat_jsonl(
        [
            "which hospitals have an IGD open at night?",
            "the nearest one to tampan?",
            "menu",
            "anak saya lahir 5 juli 2026, jadwal imunisasinya apa saja",
            "yang paling dekat kapan ya?",
            "menu",
            "anak saya demam setelah disuntik, wajar tidak?",
            "udah 2 hari nih",
        ],
        env,
        today="2026-11-30",
    )
    assert intents(said)[:2] == ["rumah_sakit", "rumah_sakit"]
    assert intents(said)[3:5] == ["imunisasi_pribadi", "imunisasi_pribadi"]
    assert "5 Juli 2026" in text_of(said[4])
    assert intents(said)[6:] == ["imunisasi_kipi", "imunisasi_kipi"]


def test_a_follow_up_inside_a_topic_is_no_step_back_to_its_menu_and_kk_is_the_family_card(env: dict[str, str]) -> None:
    # After the UHC documents, a question about one of them asks the documents again, not "what is UHC"; "kk"
    # there is the Kartu Keluarga, while "makasih kk" is a thank-you to a kakak.
    said = chat_jsonl(
        [
            "dokumen apa yang dibawa buat daftar uhc",
            "kalau ktp saya masih yang lama, belum e-ktp?",
            "kk nya harus yang terbaru?",
            "makasih kk",
        ],
        env,
    )
    assert intents(said) == ["uhc_dokumen", "uhc_dokumen", "uhc_dokumen", "smalltalk"]


def test_when_a_posyandu_starts_is_asked_of_the_posyandu(env: dict[str, str]) -> None:
    # "jam" alone is the puskesmas's word (its opening hours); after the posyandu it asks when that starts.
    said = chat_jsonl(["posyandu di rw kami biasanya kapan ya", "mulainya jam berapa?"], env)
    assert intents(said) == ["posyandu", "posyandu"]
