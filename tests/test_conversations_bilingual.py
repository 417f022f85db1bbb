"""The conversation suite in Indonesian and in English, through the real `python -m bot chat --jsonl` process.

Each language runs once as one process (one user): the English run first switches with "/bahasa" and
the "English" button; a second English run presses nothing and is answered in English because it writes
in English (bot/engine/langdetect.py). Every step checks the intent, the UI strings the reply should use (in the user's
language), and that no UI string or content text of the other language leaks into the reply.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pytest

from bot.i18n import translations
from bot.i18n_catalog import extract
from bot.knowledge.content import Content, load_content
from tests.support.cli import chat_jsonl
from tests.support.english import localized_texts
from tests.support.settings import ROOT

TODAY = "2026-11-23"
LANGS = ("id", "en")
RUNS = ("id", "en", "en-typed")  # en-typed: an English speaker who never presses /bahasa
PEKANBARU = "@loc 0.5071 101.4478"  # a point in the city centre


@dataclass(frozen=True)
class Step:
    id: str  # what an Indonesian user types
    en: str  # what an English-speaking user types
    intent: str
    says: tuple[str, ...] = ()  # msgids of UI strings the reply must contain, in the user's language
    contains: tuple[str, ...] = field(default=())  # literal text expected in both languages (numbers, names)

    def line(self, lang: str) -> str:
        return self.id if lang == "id" else self.en


def same(line: str, intent: str, *says: str, contains: tuple[str, ...] = ()) -> Step:
    return Step(line, line, intent, says, contains)


CONVERSATIONS: dict[str, list[Step]] = {
    "greeting": [
        Step(
            "halo",
            "hello",
            "greeting",
            ("Halo! Saya TanyaSehat, asisten informasi {office}.", "Dalam keadaan darurat, segera telepon {number}."),
            ("119",),
        )
    ],
    "menu": [same("menu", "menu", "Silakan pilih topik di bawah ini, atau ketik pertanyaan Anda.")],
    "help": [
        same(
            "/bantuan",
            "help",
            "Saya bisa membantu soal jadwal imunisasi anak, puskesmas terdekat, layanan JKN gratis (UHC), "
            "dan info program kesehatan.\n\n"
            'Ketik pertanyaan Anda dengan bahasa sehari-hari, misalnya: "imunisasi bayi 2 bulan apa saja?"\n'
            "Ketik menu untuk kembali ke menu utama. Ketik /hapusdata untuk menghapus data Anda.",
        )
    ],
    "immunization_menu": [
        Step("imunisasi", "immunization", "imunisasi", ("Imunisasi melindungi anak dari penyakit berbahaya.",))
    ],
    "immunization_by_age": [
        Step(
            "imunisasi bayi 2 bulan apa saja",
            "which vaccines does a 2 month old baby need",
            "imunisasi_usia",
            ("Imunisasi untuk anak umur {age}:",),
            ("DPT-HB-Hib 1",),
        )
    ],
    "immunization_from_birth_date": [
        Step(
            "anak saya lahir 3 agustus 2026, imunisasi apa saja",
            "my baby was born on 3 August 2026, which vaccines are due",
            "imunisasi_pribadi",
            ("Jadwal imunisasi anak yang lahir {date}", "Umur sekarang: {age}."),
            ("2026",),
        ),
        Step(
            "tidak",
            "no",
            "imunisasi_pribadi",
            ("Baik, tidak apa-apa. Jadwal di atas bisa Anda simpan. Ketik menu untuk topik lain.",),
        ),
    ],
    "vaccine_timing": [
        Step(
            "kapan imunisasi campak",
            "when is the measles vaccine given",
            "imunisasi_vaksin",
            ("{name}: melindungi dari {what}.",),
            ("MR 1",),
        )
    ],
    "nearest_puskesmas_from_location": [
        Step("puskesmas terdekat", "nearest puskesmas", "puskesmas"),
        same(PEKANBARU, "puskesmas", "Puskesmas terdekat dari lokasi Anda:", contains=("km",)),
    ],
    "puskesmas_by_kecamatan": [
        Step(
            "puskesmas di kecamatan sukajadi",
            "puskesmas in kecamatan sukajadi",
            "puskesmas_area",
            ("Puskesmas di {place}:",),
            ("Sukajadi",),
        )
    ],
    "uhc_eligibility_to_an_outcome": [
        Step("cek uhc", "check if I can get free JKN", "uhc"),
        same("@btn uhc:ktp:0", "uhc"),
        same("@btn uhc:punya_jkn:1", "uhc"),
        same("@btn uhc:kerja_baru:0", "uhc", "Langkah berikutnya:"),
    ],
    "faq_answer": [Step("apa itu cek kesehatan gratis", "what is the free health check", "ckg")],
    "fallback": [same("xyzzy qwerty blorp", "fallback", "Maaf, saya belum bisa menjawab pertanyaan itu.")],
    "emergency": [
        Step(
            "anak saya kejang",
            "my child is having a seizure",
            "emergency",
            (
                "⚠️ Ini bisa keadaan darurat. Segera telepon {number} (gratis, 24 jam) atau bawa ke IGD "
                "rumah sakit terdekat sekarang.",
            ),
            ("119",),
        )
    ],
    "bahasa_switching": [
        same("/bahasa", "bahasa", "Pilih bahasa yang Anda inginkan:"),
        Step("@btn lang:id", "@btn lang:en", "bahasa", ("Baik, mulai sekarang saya menjawab dalam {language}.",)),
        Step("bahasa indonesia", "english please", "bahasa", ("Baik, mulai sekarang saya menjawab dalam {language}.",)),
    ],
    "hapusdata_cancel": [
        same(
            "/hapusdata",
            "erase.ask",
            "Hapus semua data Anda di TanyaSehat: riwayat percakapan, pertanyaan yang tercatat, pengingat dan "
            "langganan?\n\nData yang sudah dihapus tidak bisa dikembalikan. Jawab ya atau tidak.",
        ),
        Step("tidak", "no", "erase.cancel", ("Baik, data Anda tidak dihapus.",)),
    ],
}
SWITCH_TO_ENGLISH = ("/bahasa", "@btn lang:en")


def _lang(run: str) -> str:
    return run.split("-")[0]


def _script(run: str) -> tuple[list[str], list[tuple[str, int]]]:
    """All lines of one run, and (conversation, step index) of each line (-1: not checked)."""
    lines: list[str] = []
    where: list[tuple[str, int]] = []
    lang = _lang(run)
    if run == "en":
        lines.extend(SWITCH_TO_ENGLISH)
        where.extend([("", -1)] * len(SWITCH_TO_ENGLISH))
    for name, steps in CONVERSATIONS.items():
        lines.append("menu")  # every conversation starts afresh, outside any flow
        where.append(("", -1))
        for i, step in enumerate(steps):
            lines.append(step.line(lang))
            where.append((name, i))
    return lines, where


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[dict]]]:
    """Every run through the real process: {run: {conversation: [output per step]}}."""
    results: dict[str, dict[str, list[dict]]] = {}
    for lang in RUNS:
        tmp = tmp_path_factory.mktemp(f"chat-{lang}")
        env = {k: v for k, v in os.environ.items() if k != "LOCALES_DIR"}
        env.update(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/bot.db",
            CONTENT_DIR=str(ROOT / "content"),
            PSEUDONYM_KEY="test-key",
        )
        lines, where = _script(lang)
        outputs = chat_jsonl(lines, env, today=TODAY, user=f"bilingual-{lang}")
        per: dict[str, list[dict]] = {}
        for (name, _), out, sent in zip(where, outputs, lines, strict=True):
            assert out["in"] == sent
            if name:
                per.setdefault(name, []).append(out)
        results[lang] = per
    return results


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, problems = load_content(ROOT / "content")
    assert loaded is not None, problems.errors
    return loaded


# --- what counts as "the other language" ---------------------------------------------------------------------


def _msgids() -> list[str]:
    return [m.id if isinstance(m.id, str) else m.id[0] for m in extract(ROOT) if m.id]


def _pattern(template: str) -> re.Pattern[str]:
    """A translated UI string as a regex: its {placeholders} match any text."""
    parts = re.split(r"\{[^}]*\}", template)
    return re.compile("(?s)" + ".+?".join(re.escape(p) for p in parts))


def _ui_fragments(lang: str) -> set[str]:
    """Telling pieces (3+ words) of the UI strings in `lang` that the other language does not share."""
    other = "en" if lang == "id" else "id"
    own = {translations(lang).gettext(m) for m in _msgids()}
    theirs = " ".join(translations(other).gettext(m) for m in _msgids())
    fragments = set()
    for text in own:
        for part in re.split(r"\{[^}]*\}|\n", text):
            part = part.strip(' .,:;()!?"“”')
            if len(part.split()) >= 3 and part not in theirs:
                fragments.add(part)
    return fragments


def _content_texts(content: Content, lang: str) -> set[str]:
    """Content sentences written in `lang` that differ from the other language's text of the same entry."""
    other = "en" if lang == "id" else "id"
    texts = set()
    for text in localized_texts(content):
        if text.has("en") and text.get(lang) != text.get(other):
            for sentence in re.split(r"(?<=[.!?:])\s+|\n", text.get(lang)):
                if len(sentence.split()) >= 4:
                    texts.add(sentence.strip())
    return texts


def text_of(out: dict) -> str:
    return "\n".join(r["text"] for r in out["replies"])


# --- the tests ------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_conversation(
    runs: dict[str, dict[str, list[dict]]], content: Content, ui: dict[str, set[str]], name: str, run: str
) -> None:
    lang = _lang(run)
    other = "en" if lang == "id" else "id"
    foreign_ui = ui[other]
    foreign_content = _content_texts(content, other)
    for step, out in zip(CONVERSATIONS[name], runs[run][name], strict=True):
        said = text_of(out)
        context = f"{lang} {name} {step.line(lang)!r} -> {out['intent']}: {said[:400]!r}"
        assert out["intent"] == step.intent, context
        for msgid in step.says:
            assert _pattern(translations(lang).gettext(msgid)).search(said), f"{context}\nmissing: {msgid!r}"
        for literal in step.contains:
            assert literal in said, f"{context}\nmissing: {literal!r}"
        leaked = sorted(f for f in foreign_ui if f in said)
        assert not leaked, f"{context}\n{other} UI text in a {lang} reply: {leaked}"
        leaked = sorted(s for s in foreign_content if s in said)
        assert not leaked, f"{context}\n{other} content text in a {lang} reply: {leaked}"
        labels = [b["label"] for r in out["replies"] for b in r["buttons"]]
        assert not [x for x in labels if x in foreign_ui], context


@pytest.fixture(scope="module")
def ui() -> dict[str, set[str]]:
    return {lang: _ui_fragments(lang) for lang in LANGS}


@pytest.mark.slow
@pytest.mark.parametrize("run", RUNS)
def test_menu_buttons_and_faq_answers_come_from_the_content_in_the_users_language(
    runs: dict[str, dict[str, list[dict]]], content: Content, run: str
) -> None:
    lang = _lang(run)
    menu = runs[run]["menu"][0]
    titles = {b["payload"]: b["label"] for r in menu["replies"] for b in r["buttons"]}
    for payload, label in titles.items():
        intent = content.intents.get(payload.removeprefix("intent:"))
        assert intent is not None and label == intent.title.get(lang)
    ckg = content.intents.get("ckg")
    assert ckg is not None and ckg.answer is not None
    first_line = ckg.answer.get(lang).splitlines()[0]
    assert first_line in text_of(runs[run]["faq_answer"][0])
    assert _pattern(translations(lang).gettext("Sumber: {source} (diperiksa {reviewed})")).search(
        text_of(runs[run]["faq_answer"][0])
    )


def test_the_leak_check_would_catch_indonesian_in_an_english_reply(ui: dict[str, set[str]]) -> None:
    """The check is not vacuous: the Indonesian fallback line is caught, its English translation is not."""
    indonesian = "Maaf, saya belum bisa menjawab pertanyaan itu."
    assert any(f in indonesian for f in ui["id"])
    assert not any(f in translations("en").gettext(indonesian) for f in ui["id"])
