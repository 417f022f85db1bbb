"""The blind sets' topic labels and the bot's intents that answer each.

The blind writers never saw the content, so they labelled turns with plain topics; this table is
the only bridge between their labels and our intent ids. It says which intents ANSWER a topic,
and is written from the content's intent list, never from the bot's results on a blind set.
"""

from __future__ import annotations

# Reserved intents (../shared/DESIGN.md) that are not answers.
DECLINED = frozenset({"fallback"})
UNSURE = frozenset({"clarify"})

TOPIC_INTENTS: dict[str, frozenset[str]] = {
    name: frozenset(intents)
    for name, intents in {
        # imunisasi_vaksin is "Kapan vaksin tertentu / When is a vaccine given" ("kapan bcg", "bcg umur berapa").
        # imunisasi_bias is the school part of the schedule: which vaccines in which class and month (BIAS).
        "immunization_schedule": {"imunisasi_jadwal", "imunisasi_usia", "imunisasi_vaksin", "imunisasi_bias"},
        # imunisasi_bias is the school child's vaccines by class (MR/DT in class 1, Td/HPV in 2 and 5): an age's answer.
        "immunization_by_age": {"imunisasi_usia", "imunisasi_pribadi", "imunisasi_bias", "imunisasi_vaksin"},
        "immunization_personal": {"imunisasi_pribadi"},
        "immunization_reminder": {"pengingat", "imunisasi_pribadi"},
        # imunisasi_td_hamil is the Td vaccine of pregnancy and of brides-to-be; imunisasi_tambahan the optional vaccines
        # (influenza, chickenpox): each says what its vaccine is and when (round 8, named by helper wordsH).
        "vaccine_info": {
            "imunisasi_vaksin",
            "imunisasi_bias",
            "imunisasi_aman",
            "imunisasi_td_hamil",
            "imunisasi_tambahan",
        },
        "immunization_catchup": {"imunisasi_kejar", "imunisasi_pribadi"},
        "immunization_sick_child": {"imunisasi_sakit", "imunisasi_kipi"},
        "immunization_side_effects": {"imunisasi_kipi", "imunisasi_perawatan"},
        "immunization_general": {
            "imunisasi",
            "imunisasi_jadwal",
            "imunisasi_bias",
            "imunisasi_vaksin",
            "imunisasi_aman",
            "imunisasi_prematur",
            "imunisasi_tambahan",
            # imunisasi_kejar also answers "how do I know whether my child's immunization is complete" (round 8).
            "imunisasi_kejar",
        },
        "puskesmas_nearest": {"puskesmas", "puskesmas_area", "puskesmas_cari"},
        "puskesmas_by_area": {"puskesmas_area", "puskesmas_cari", "puskesmas"},
        "puskesmas_hours": {"puskesmas_jam"},
        "puskesmas_services": {"puskesmas_layanan", "puskesmas_cari", "puskesmas"},
        # Issue 18: asking for an IGD or ambulance number is answered with 119 and the IGD list.
        "hospital_igd": {"rumah_sakit", "emergency"},
        # uhc_karyawan and uhc_bayi are the eligibility of workers and of newborns ("saya karyawan bisa ikut uhc").
        "uhc_eligibility": {"uhc", "uhc_dokumen", "uhc_karyawan", "uhc_bayi"},
        "uhc_documents": {"uhc_dokumen", "uhc_daftar", "uhc_bayi"},
        "uhc_register": {"uhc_daftar", "uhc_dokumen", "uhc_bayi"},
        "uhc_status_check": {"uhc_status"},
        "uhc_kis_vs_mandiri": {"uhc_kis", "jkn_iuran", "uhc_kelas", "uhc"},
        "uhc_moved": {"uhc_pindah", "uhc"},
        "uhc_inactive": {"uhc_nonaktif"},
        "uhc_general": {
            "uhc",
            "uhc_dokumen",
            "uhc_daftar",
            "uhc_karyawan",
            "uhc_kelas",
            "jkn_iuran",
            "uhc_kis",
            "uhc_pindah",
            "uhc_kartu",
            "uhc_bayi",
            "uhc_pakai",  # using JKN: first-level facility, referral, emergency, childbirth (added with the entry)
        },
        "ckg": {"ckg", "ckg_daftar", "ckg_hasil"},
        "posyandu": {"posyandu", "vitamin_a"},
        "tb": {"tbc", "tbc_kontak"},
        "hiv": {"hiv", "hiv_penularan"},
        "stunting_nutrition": {"stunting", "gizi_buruk", "mpasi", "pertumbuhan_anak"},
        "pregnancy": {"anc", "hamil_bahaya", "ttd_hamil", "imunisasi_td_hamil"},
        "dengue": {"dbd", "psn_3m"},
        "hypertension_diabetes": {"hipertensi", "diabetes", "posbindu", "ptm_kontrol", "gula_darah"},
        "mental_health": {"kesehatan_jiwa", "emergency"},
        "office_contact": {"kontak_kantor", "jam_kantor", "pengaduan"},
        "emergency": {"emergency"},
        # bahasa answers "can you speak English" ("bisa pakai bahasa lain"): what the bot can do.
        "smalltalk": {"smalltalk", "greeting", "help", "bahasa"},
        "handover": {"handover"},
        "out_of_scope": {"fallback"},
    }.items()
}


def answers(topic: str, intent: str) -> bool:
    """Whether the bot's intent is a right answer to a turn labelled with this topic."""
    return intent in TOPIC_INTENTS.get(topic, frozenset())
