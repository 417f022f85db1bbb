"""English is understood as well as Indonesian on the same topics, through the real `python -m bot chat --jsonl`.

Each topic has an Indonesian question and English ones written as residents write them (US and UK
spellings, "health center", "check up"); each English question must reach the topic its Indonesian
twin reaches, both for a resident who chose English with /bahasa and for one who just writes English.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import run_bot
from tests.support.settings import ROOT

TODAY = "2026-11-23"
# topic -> (Indonesian question, English questions)
SAME_TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
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
# The same question in both spellings: the same answer.
SPELLINGS = (
    ("where is the nearest health center", "where is the nearest health centre"),
    ("immunization schedule for my baby", "immunisation schedule for my baby"),
    ("extra vaccines at a pediatric clinic", "extra vaccines at a paediatric clinic"),
    ("anemia in pregnancy", "anaemia in pregnancy"),
    ("vaccination at school", "immunization at school", "immunisation at school"),
)
CHOOSE_ENGLISH = ("/bahasa", "@btn lang:en")


def chat(lines: list[str], tmp: Path, user: str) -> list[dict]:
    """The lines through one `chat --jsonl` process (one resident); one output per line."""
    env = {k: v for k, v in os.environ.items() if k != "LOCALES_DIR"}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/{user}.db", CONTENT_DIR=str(ROOT / "content"))
    env["PSEUDONYM_KEY"] = "test-key"
    done = run_bot("chat", "--jsonl", "--today", TODAY, "--user", user, input="\n".join(lines) + "\n", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    outputs = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [o["in"] for o in outputs] == lines
    return outputs


def asked(questions: list[str], first: tuple[str, ...] = ()) -> list[str]:
    """Each question after 'menu' (no flow or topic carried over from the one before)."""
    return [*first, *(line for q in questions for line in ("menu", q))]


def answers(outputs: list[dict], first: tuple[str, ...] = ()) -> list[dict]:
    return outputs[len(first) + 1 :: 2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """{run: {question: intent}} for the Indonesian run and the two English runs."""
    tmp = tmp_path_factory.mktemp("english-understanding")
    indonesian = [q for q, _ in SAME_TOPICS.values()]
    english = [e for _, es in SAME_TOPICS.values() for e in es]
    found = {}
    for run, questions, first in (
        ("id", indonesian, ()),
        ("en-chosen", english, CHOOSE_ENGLISH),
        ("en-typed", english, ()),
    ):
        outputs = answers(chat(asked(questions, first), tmp, run), first)
        found[run] = {q: o["intent"] for q, o in zip(questions, outputs, strict=True)}
    return found


@pytest.mark.slow
@pytest.mark.parametrize("run", ["en-chosen", "en-typed"])
def test_english_reaches_the_topic_its_indonesian_twin_reaches(runs: dict[str, dict[str, str]], run: str) -> None:
    wrong = []
    for topic, (indonesian, english) in SAME_TOPICS.items():
        assert runs["id"][indonesian] == topic, (
            f"the Indonesian twin itself: {indonesian!r} -> {runs['id'][indonesian]}"
        )
        wrong += [f"{e!r} -> {runs[run][e]} (not {topic})" for e in english if runs[run][e] != topic]
    right_id = sum(runs["id"][q] == t for t, (q, _) in SAME_TOPICS.items()) / len(SAME_TOPICS)
    english = [(t, e) for t, (_, es) in SAME_TOPICS.items() for e in es]
    right_en = sum(runs[run][e] == t for t, e in english) / len(english)
    assert right_en >= right_id, f"English {right_en:.0%} < Indonesian {right_id:.0%}:\n" + "\n".join(wrong)
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow
def test_both_spellings_get_the_same_answer(tmp_path: Path) -> None:
    questions = [q for group in SPELLINGS for q in group]
    outputs = answers(chat(asked(questions, CHOOSE_ENGLISH), tmp_path, "spellings"), CHOOSE_ENGLISH)
    said = {  # "Was this answer helpful?" is asked once in a while: the answer before it
        q: (o["intent"], o["replies"][0]["text"].split("\n\nWas this answer")[0])
        for q, o in zip(questions, outputs, strict=True)
    }
    for group in SPELLINGS:
        assert len({said[q] for q in group}) == 1, {q: said[q][0] for q in group}
        assert said[group[0]][0] not in {"fallback", "clarify"}, said[group[0]]


@pytest.mark.slow
def test_nearest_health_center_asks_where_the_resident_is_and_never_says_the_area_is_unknown(tmp_path: Path) -> None:
    """Asked again while the bot waits for a place, the question is not read as a place it cannot find."""
    lines = [
        "nearest health center",
        "where is the nearest health center",
        "nearest health centre",
        "is the health center open on friday",
        "kecamatan sukajadi",
    ]
    outputs = chat(lines, tmp_path, "nearest")
    for out in outputs[:4]:
        text = out["replies"][0]["text"]
        assert out["intent"] in {"puskesmas", "puskesmas_jam"}, out
        assert out["replies"][0]["location_request"], out  # the button that shares a location
        assert "couldn't find" not in text and "belum menemukan" not in text, text
        assert "send your location" in text, text  # asked in English, answered in English
    found = outputs[4]["replies"][0]["text"]
    assert found.startswith("I can't be sure which puskesmas are open on Friday"), found
    assert "Puskesmas in Kecamatan Sukajadi" in found and "Puskesmas Langsat" in found
