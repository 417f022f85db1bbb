"""Everyday-Indonesian data for the normaliser: chat abbreviations, slang and number words.

Kept as content so staff can add a new abbreviation without a programmer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.source import Document, Fields, LineMap, Problems

FILES = ("language.yaml",)


@dataclass(frozen=True, slots=True)
class LanguageData:
    replacements: tuple[tuple[str, str], ...]  # chat word -> standard word(s), e.g. ("sy", "saya")
    numbers: tuple[tuple[str, int], ...]  # number words, e.g. ("dua", 2)
    stopwords: tuple[str, ...]  # words that carry no meaning for matching
    months: tuple[str, ...] = ()  # month names: any month counts the same when matching a date

    @property
    def replacement_map(self) -> dict[str, str]:
        return dict(self.replacements)

    @property
    def number_map(self) -> dict[str, int]:
        return dict(self.numbers)


def _pairs(f: Fields, key: str, problems: Problems, file: str, *, numeric: bool) -> list[tuple[str, object]]:
    table = f.mapping(key, required=False)
    if table is None:
        return []
    assert isinstance(table, LineMap)
    out: list[tuple[str, object]] = []
    for word, value in table.items():
        line = table.key_lines[word]
        if numeric and (isinstance(value, bool) or not isinstance(value, int)):
            problems.error(file, line, f"{key}: '{word}' must map to a whole number")
            continue
        if not numeric and (not isinstance(value, str) or not value.strip()):
            problems.error(file, line, f"{key}: '{word}' must map to a non-empty text")
            continue
        out.append((str(word).lower().strip(), value if numeric else str(value).lower().strip()))
    return out


def parse(docs: list[Document], problems: Problems) -> LanguageData:
    doc = docs[0]
    f = Fields(doc.data, doc.name, problems, "language")
    replacements = _pairs(f, "replacements", problems, doc.name, numeric=False)
    numbers = _pairs(f, "numbers", problems, doc.name, numeric=True)
    data = LanguageData(
        replacements=tuple((w, str(v)) for w, v in replacements),
        numbers=tuple((w, int(v)) for w, v in numbers if isinstance(v, int)),
        stopwords=tuple(w.lower() for w in f.texts("stopwords", required=False)),
        months=tuple(w.lower() for w in f.texts("months", required=False)),
    )
    f.done()
    return data
