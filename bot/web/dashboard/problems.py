"""Content problems in the words of office staff, in their language.

`content check` writes its findings in English for whoever maintains the files ("file:line:
message"). On the dashboard each known kind becomes a sentence in the staff's language; anything
else says where to look and keeps the technical wording folded away (`technical`), marked as
English, for the person who edits the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from bot.i18n import translations
from bot.knowledge.source import Problem

# What `content check` says (bot/knowledge), kind by kind; the sentences are in `_sentences`, same order.
_KINDS = (
    re.compile(r"^(?P<n>\d+) text\(s\) have no '(?P<lang>[\w-]+)' translation \(lines (?P<lines>[^)]*)\)"),
    re.compile(r"^to verify: (?P<what>.*) \(confirm, then remove TODO-VERIFY\)$"),
    re.compile(r"^file is not used by any part of the bot"),
    re.compile(r"^puskesmas '(?P<code>[^']*)' lies outside region (?P<region>.*)$"),
    re.compile(r"^outcome '(?P<id>[^']*)' is unreachable"),
    re.compile(r"duplicate id '(?P<id>[^']*)' \(first at (?P<first>[^)]*)\)"),
    re.compile(r"missing required field '(?P<field>[^']*)'"),
    re.compile(r"id '(?P<id>[^']*)' is reserved by the engine"),
)


def _sentences(t: Callable[[str], str]) -> tuple[str, ...]:
    return (
        t(
            "{n} teks belum diterjemahkan ke bahasa {language} (baris {lines}); warga membacanya dalam bahasa Indonesia."
        ),
        t("Perlu dipastikan oleh kantor: {what}. Setelah benar, hapus tanda TODO-VERIFY."),
        t("Berkas ini tidak dipakai bot. Mungkin namanya salah tulis."),
        t("Puskesmas {code} letaknya di luar wilayah {region}. Periksa kodenya."),
        t("Hasil '{id}' tidak pernah dicapai: tidak ada jawaban yang mengarah ke sana."),
        t("ID '{id}' sudah dipakai ({first}). Beri entri ini ID lain."),
        t("Bagian '{field}' wajib diisi."),
        t("ID '{id}' dipakai bot sendiri. Beri entri ini ID lain."),
    )


@dataclass(frozen=True, slots=True)
class Explained:
    where: str  # "immunization.yaml, baris 154"
    text: str  # in the staff's language
    technical: str  # the check's own English words when `text` is only a pointer, else ""


def _language_name(code: str, lang: str) -> str:
    try:
        return Locale.parse(code).get_display_name(lang) or code
    except (UnknownLocaleError, ValueError):
        return code


def explain(problem: Problem, lang: str) -> Explained:
    t: Callable[[str], str] = translations(lang).gettext
    where = t("{file}, baris {line}").format(file=problem.file, line=problem.line)
    for pattern, sentence in zip(_KINDS, _sentences(t), strict=True):
        found = pattern.search(problem.message)
        if found:
            fields = found.groupdict()
            if "lang" in fields:
                fields["language"] = _language_name(fields.pop("lang"), lang)
            return Explained(where, sentence.format(**fields), "")
    if lang == "en":
        return Explained(where, problem.message, "")
    general = t("Periksa bagian ini; rinciannya untuk pengelola konten (jalankan: python -m bot content check).")
    return Explained(where, general, problem.message)
