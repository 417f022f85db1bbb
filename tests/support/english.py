"""Finding Indonesian in a text meant to be English: the English walk and the static scans of issue 21.

A word is Indonesian when Sastrawi's Indonesian root list has it or its root ("diberikan" -> "beri"),
unless it is also a plain English word (ENGLISH_TOO, reviewed by hand: "data", "status", "open"),
an Indonesian institution English texts keep as its name (TERMS), or a word of a proper name the
caller passes (puskesmas, kelurahan, the office). Left out as names: words in brackets ("Measles-Rubella
(MR)", "(poli gigi)"), acronyms in capitals (KTP, BPJS), links, and cited source lines ("Source: ...").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator

from bot.engine.stemmer import roots, stem
from bot.knowledge.content import Content
from bot.knowledge.source import Localized

# English words (and international terms) that Sastrawi's root list also holds. A new word flagged by the
# walk goes here only if it is real English as used in the reply; an Indonesian word gets translated instead.
ENGLISH_TOO = frozenset({
    "amen", "are", "area", "aspirin", "bot", "caring", "cut", "data", "dengue", "dental", "diabetes", "diet",
    "digital", "don", "drop", "email", "fatwa", "final", "fit", "flu", "gain", "gap", "gum", "had", "halal", "has",
    "hepatitis", "influenza", "info", "larva", "level", "limit", "long", "lot", "main", "map", "mental", "menu",
    "monitor", "nausea", "non", "normal", "not", "notes", "november", "once", "open", "oral", "over", "partner",
    "per", "person", "personal", "plan", "plus", "pneumonia", "polio", "premium", "problem", "protein", "pus",
    "rabies", "region", "register", "sending", "september", "set", "sit", "sore", "sputum", "start", "status",
    "step", "stop", "sugar", "tablet", "talk", "target", "testing", "tetanus", "toilet", "transfer", "until",
    "urine", "virus", "vitamin", "were", "won"
})  # fmt: skip
# Indonesian institutions and programmes an English text names as they are (and explains at first use):
# residents meet them on signs and forms. Programme names in brackets need no entry here.
TERMS = frozenset(["puskesmas", "posyandu", "pustu", "posbindu", "kader", "kelurahan", "kecamatan"])
# Greetings answered in kind ("Wa alaikum salam", "Om swastiastu"), the language's own name on the /bahasa
# button ("Bahasa Indonesia") and a child's name in an example ("yes, little Budi"): names, not sentences.
NAMES = frozenset(["wa", "alaikum", "salam", "om", "swastiastu", "bahasa", "indonesia", "budi"])
# Indonesian words Sastrawi's root list lacks (prepositions, affixed forms it keeps whole).
INDONESIAN_TOO = frozenset(["di", "ke", "setelah", "sebelum", "lanjutan", "silakan", "sy", "yg", "dgn", "utk"])
SOURCE_LINE = re.compile(r"^\s*(?:sources?|sumber)\b[^:\n]{0,40}:", re.IGNORECASE)  # "Source of the service hours:"
_LEFT_OUT = re.compile(r"\([^()]*\)|https?://\S+|\b[\w.-]+\.(?:go\.id|com|id|org)\b")
_WORD = re.compile(r"[^\W\d_]+")


# The same question in both languages, as residents write them (US and UK spellings): topic -> (Indonesian
# question, English questions). Written for issue 21's tests, not blind.
TOPIC_TWINS: dict[str, tuple[str, tuple[str, ...]]] = {
    "imunisasi": ("info imunisasi anak dong", ("info about child immunisation", "tell me about vaccinations for kids")),
    "imunisasi_jadwal": (
        "jadwal imunisasi bayi lengkap",
        ("complete immunization schedule for babies", "full vaccination schedule for my baby"),
    ),
    "imunisasi_usia": (
        "bayi 2 bulan imunisasi apa",
        ("what vaccines does my 2 month old baby need", "which shots at 4 months", "vaccines by age"),
    ),
    "imunisasi_vaksin": (
        "kapan imunisasi campak",
        ("when is the measles vaccine given", "when does my baby get the polio drops", "when is the bcg vaccination"),
    ),
    "imunisasi_pribadi": ("jadwal imunisasi anak saya", ("my child's vaccination schedule",)),
    "imunisasi_kejar": ("anak saya telat imunisasi", ("my child missed some vaccinations", "catch up immunisation")),
    "imunisasi_kipi": ("anak demam setelah imunisasi", ("my baby has a fever after the vaccination",)),
    "imunisasi_bias": ("imunisasi di sekolah", ("vaccination at school", "hpv vaccine at school for girls")),
    "imunisasi_aman": ("vaksin halal tidak", ("is the vaccine halal", "are vaccinations safe for babies")),
    "imunisasi_tambahan": (
        "vaksin tambahan di rumah sakit swasta",
        ("optional vaccines at a private paediatrician", "extra vaccines from a pediatric clinic"),
    ),
    "puskesmas": (
        "puskesmas terdekat dimana",
        (
            "where is the nearest health center",
            "where is the nearest health centre",
            "nearest health center",
            "closest community health center",
        ),
    ),
    "puskesmas_jam": (
        "jam buka puskesmas",
        ("puskesmas opening hours", "what time does the health center open", "which puskesmas is open now"),
    ),
    "puskesmas_area": ("puskesmas di kecamatan sukajadi", ("puskesmas in kecamatan sukajadi",)),
    "puskesmas_layanan": ("layanan apa saja di puskesmas", ("what services does the health center offer",)),
    "rumah_sakit": ("rumah sakit terdekat yang ada igd", ("nearest hospital with an emergency room",)),
    "uhc": ("cek uhc", ("check UHC", "am I covered by the free JKN")),
    "uhc_daftar": ("cara daftar bpjs gratis", ("how do I register for free BPJS",)),
    "uhc_status": ("cek status bpjs", ("how do I check my BPJS status", "is my BPJS still active")),
    "jkn_iuran": ("iuran bpjs berapa sebulan", ("how much is BPJS per month", "monthly JKN premium")),
    "uhc_kartu": ("kartu bpjs hilang", ("I lost my BPJS card",)),
    "ckg": ("cek kesehatan gratis itu apa", ("what is the free health check", "free health screening")),
    "ckg_daftar": ("cara daftar cek kesehatan gratis", ("how to book the free checkup",)),
    "anc": ("berapa kali periksa kehamilan", ("how many pregnancy check ups do I need", "antenatal care visits")),
    "hamil_bahaya": ("tanda bahaya kehamilan", ("danger signs during pregnancy",)),
    "ttd_hamil": ("tablet tambah darah ibu hamil", ("anemia in pregnancy", "anaemia in pregnancy")),
    "tbc": ("gejala tbc apa saja", ("what are the symptoms of TB", "symptoms of tuberculosis")),
    "hiv": ("tes hiv dimana", ("where can I get an HIV test",)),
    "dbd": ("gejala demam berdarah", ("symptoms of dengue fever",)),
    "psn_3m": ("cara mencegah demam berdarah", ("how to prevent dengue",)),
    "hipertensi": ("darah tinggi gimana", ("what is high blood pressure", "hypertension")),
    "diabetes": ("gejala kencing manis", ("symptoms of diabetes",)),
    "kesehatan_jiwa": ("saya stres dan cemas", ("I feel stressed and anxious", "where can I get mental health help")),
    "vaksin_covid": ("vaksin covid dimana", ("where can I get a covid vaccine",)),
    "stunting": ("apa itu stunting", ("what is stunting",)),
    "mpasi": ("kapan mulai mpasi", ("when should my baby start solid food",)),
    "gizi_buruk": ("tanda gizi buruk", ("signs of malnutrition",)),
    "posyandu": ("jadwal posyandu", ("posyandu schedule",)),
    "vitamin_a": ("kapan vitamin a", ("when is vitamin A given", "vitamin A capsules")),
    "kontak_kantor": ("nomor telepon dinas kesehatan", ("phone number of the health office",)),
    "jam_kantor": ("jam buka dinas kesehatan", ("health office opening hours",)),
    "pengaduan": ("mau mengadu soal pelayanan puskesmas", ("I want to complain about the health center",)),
}


def name_words(content: Content) -> frozenset[str]:
    """The words of proper names: puskesmas, hospitals, their addresses, areas, the office, provinces."""
    office, directory = content.office, content.puskesmas
    names = [office.name, office.city, office.address, office.mental_health_line]
    names += [p.name for v in content.immunization.vaccines for p in v.provinces]
    for place in (*directory.puskesmas, *directory.hospitals):
        names += [place.name, place.address]
    for kecamatan in directory.kecamatan:
        names += [kecamatan.name, *kecamatan.formerly, *(k.name for k in kecamatan.kelurahan)]
    words = {w.lower() for name in names for w in _WORD.findall(name or "")} - {"di", "ke", "dan", "dari", "yang"}
    whole = {" ".join(_WORD.findall(name.lower())) for name in names if name and len(_WORD.findall(name)) > 1}
    return frozenset(words | whole)  # "RS Ibu dan Anak Andini" whole; "dan" alone is no name


def indonesian_words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The Indonesian words of a text meant to be English, sorted, each once (empty: it is English).

    `names` holds words and whole names ("rs ibu dan anak andini"): a whole name is taken out first.
    """
    names = frozenset(names)
    allowed = ENGLISH_TOO | TERMS | NAMES | names
    whole = sorted((n for n in names if " " in n), key=len, reverse=True)
    dictionary = roots()
    found: set[str] = set()
    for line in text.splitlines():
        if SOURCE_LINE.match(line):
            continue  # a cited title stays as published
        while (shorter := _LEFT_OUT.sub(" ", line)) != line:  # "(a (b))": inner brackets first
            line = shorter
        line = " ".join(_WORD.findall(line))  # words only, so a name matches whatever punctuation surrounds it
        for name in whole:
            line = re.sub(rf"\b{re.escape(name)}\b", " ", line, flags=re.IGNORECASE)
        for word in _WORD.findall(line):
            lower = word.lower()
            if (len(word) > 1 and word.isupper()) or lower in allowed:
                continue
            if (
                lower in INDONESIAN_TOO
                or lower in dictionary
                or (len(lower) > 4 and stem(lower) in dictionary - {lower})
            ):
                found.add(lower)
    return sorted(found)


def localized_texts(node: object, seen: set[int] | None = None) -> Iterator[Localized]:
    """Every Localized text anywhere in the content (or any part of it)."""
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, Localized):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from localized_texts(getattr(node, f.name), seen)
    elif isinstance(node, tuple | list | set | frozenset):
        for item in node:
            yield from localized_texts(item, seen)
    elif isinstance(node, dict):
        for item in node.values():
            yield from localized_texts(item, seen)
