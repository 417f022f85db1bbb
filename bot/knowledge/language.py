"""Everyday-Indonesian data for the normaliser: chat abbreviations, slang and number words.

Kept as content so staff can add a new abbreviation without a programmer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.source import Document, Fields, LineMap, Problems

FILES = ("language.yaml",)

# Month names as residents type them: the one list for birth dates, broadcast times and matching.
# Kept in code rather than content because the date parsers are pure functions called without content.
MONTH_NAMES: dict[str, int] = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "maret": 3, "march": 3, "april": 4,
    "mei": 5, "juni": 6, "june": 6, "juli": 7, "july": 7, "agustus": 8, "august": 8,
    "september": 9, "oktober": 10, "october": 10, "november": 11, "desember": 12, "december": 12,
}  # fmt: skip
# Short forms and old spellings; "may" is here because in English it is mostly not a month.
MONTH_SHORT: dict[str, int] = {
    "jan": 1, "pebruari": 2, "febuari": 2, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
    "agus": 8, "agust": 8, "agst": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "sep": 9, "sept": 9, "spt": 9,
    "okt": 10, "oct": 10, "nopember": 11, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}  # fmt: skip
MONTHS: dict[str, int] = {**MONTH_NAMES, **MONTH_SHORT}
# Day names as typed, with date.weekday() (0 = Monday): for opening hours and for repeating broadcasts.
WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LanguageData:
    replacements: tuple[tuple[str, str], ...]  # chat word -> standard word(s), e.g. ("sy", "saya")
    numbers: tuple[tuple[str, int], ...]  # number words, e.g. ("dua", 2)
    stopwords: tuple[str, ...]  # words that carry no meaning for matching
    yes_words: frozenset[str] = frozenset()  # replies that mean yes to a yes/no question ("ya", "boleh")
    no_words: frozenset[str] = frozenset()  # and no ("tidak", "tidak usah")
    # Question words: a clause holding one asks something ("apa", "gimana", "how"), as typed.
    question_words: frozenset[str] = frozenset()
    # Words that make what stands beside small talk a question too ("oke, bayar tidak?"), as typed.
    aside_question_words: frozenset[str] = frozenset()
    # Words of matters that are not the office's business ("lowongan", "parkir", "kucing"), as typed: a message
    # holding one is declined unless the rest of it points to an entry clearly (a job ad for nurses at a hospital).
    off_topic: frozenset[str] = frozenset()
    # Cities, regencies and countries that are not the office's ("jakarta", "batam", "malaysia"), as typed: a
    # hospital or puskesmas asked for there ("rs di batam yang ada igd") is declined, not answered with the office's.
    elsewhere: frozenset[str] = frozenset()
    # Buying ("beli", "buy") and shops ("online", "shopee", "apotek online"), as typed: a message holding both asks a
    # shop, not the office ("beli obat darah tinggi online", "where to buy blood pressure medicine online").
    buying: frozenset[str] = frozenset()
    shops: frozenset[str] = frozenset()

    @property
    def months(self) -> tuple[str, ...]:
        """Month names: any month counts the same when matching a question about a date."""
        return tuple(MONTH_NAMES)

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
        yes_words=frozenset(" ".join(w.lower().split()) for w in f.texts("yes_words", required=False)),
        no_words=frozenset(" ".join(w.lower().split()) for w in f.texts("no_words", required=False)),
        question_words=frozenset(w.lower() for w in f.texts("question_words", required=False)),
        aside_question_words=frozenset(w.lower() for w in f.texts("aside_question_words", required=False)),
        off_topic=frozenset(w.lower() for w in f.texts("off_topic", required=False)),
        elsewhere=frozenset(" ".join(w.lower().split()) for w in f.texts("elsewhere", required=False)),
        buying=frozenset(" ".join(w.lower().split()) for w in f.texts("buying", required=False)),
        shops=frozenset(" ".join(w.lower().split()) for w in f.texts("shops", required=False)),
    )
    f.done()
    return data
