"""Which language a resident's message is written in: Indonesian, English, or not clear.

Lingua (lingua-language-detector, Apache-2.0) ships its n-gram models in the wheel. The
detector knows only Indonesian, English and Malay (Riau Malay is read as Indonesian), is
built once per process, and runs in low-accuracy mode (trigrams: microseconds); a message
that mode finds close is looked at again in high-accuracy mode. A false "English" on
Indonesian slang is the worst error, so English needs a clear margin.

Short, language-neutral messages ("ok", "bcg", "119", emoji, a lone puskesmas name) are
not clear: the conversation keeps its language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.engine.stemmer import roots

if TYPE_CHECKING:
    from lingua import LanguageDetector

    from bot.knowledge.content import Content

ENGLISH, INDONESIAN = "en", "id"
LANGUAGES = frozenset({ENGLISH, INDONESIAN})  # what the detector can tell apart
MAX_CHARS = 400  # the start of a long message tells its language; a 100 kB paste costs no more
# English when its share of the confidence reaches this; Indonesian (with Malay) when English stays under 1 - it.
# Chosen on bench/lang/tune.jsonl (written for tuning; bench/blind/lang_eval.jsonl is only reported on).
ENGLISH_BAR = 0.6
INDONESIAN_BAR = 0.7
ONE_WORD_BAR = 0.8  # a lone word ("hello", "thanks") must be clearer still, in the full models
SURE = 0.97  # the quick mode's verdict is final at this confidence; closer calls go to the full models
# Words of both languages or of neither: abbreviations, vaccine and programme names, chat noises.
NEUTRAL_WORDS = frozenset({
    "ok", "oke", "okay", "okey", "sip", "siap", "ya", "ye", "yes", "no", "hm", "hmm", "wkwk", "haha", "hehe",
    "lol", "bcg", "dpt", "hb", "hib", "mr", "mmr", "hpv", "ipv", "opv", "pcv", "polio", "rotavirus", "rota",
    "covid", "tt", "td", "dt", "puskesmas", "posyandu", "pustu", "rs", "rsud", "igd", "bpjs", "jkn", "kis",
    "uhc", "ktp", "kk", "nik", "sms", "wa", "whatsapp", "telegram", "bot", "admin", "min", "kak", "pak", "bu",
    "dok", "dr", "kecamatan", "kelurahan", "kec", "kel", "desa", "jl", "jalan", "kabupaten", "rt", "rw",
})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _installed() -> bool:
    """Whether lingua is installed; an old environment keeps each conversation's language (logged once)."""
    try:
        import lingua  # noqa: F401
    except ImportError:
        logging.getLogger(__name__).error("lingua-language-detector is not installed: run pip install -e .")
        return False
    return True


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool) -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder  # loaded on first use: the models take a moment

    builder = LanguageDetectorBuilder.from_languages(Language.INDONESIAN, Language.ENGLISH, Language.MALAY)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.with_preloaded_language_models().build()


def _english_share(text: str, *, low_accuracy: bool) -> float:
    from lingua import Language

    values = _detector(low_accuracy).compute_language_confidence_values(text)
    return next((v.value for v in values if v.language == Language.ENGLISH), 0.0)


def language_words(text: str, neutral: Iterable[str] = ()) -> list[str]:
    """The words of a message that can tell its language (not names, abbreviations or numbers)."""
    skip = NEUTRAL_WORDS | frozenset(neutral)
    return [w for w in _WORD.findall(text.lower()) if w not in skip]


def detect(text: str, neutral: frozenset[str] = frozenset()) -> str | None:
    """'en' or 'id' when the message clearly is in that language; None when it is not clear."""
    words = language_words(text[:MAX_CHARS], neutral)
    if not words or not _installed():
        return None
    sample = " ".join(words)
    if len(words) == 1:  # "hello" may speak; "makasih", "tq", "pls" keep the conversation's language
        if len(sample) < 4:
            return None
        share = _english_share(sample, low_accuracy=False)
        return ENGLISH if share >= ONE_WORD_BAR else None
    share = _english_share(sample, low_accuracy=True)
    if 1 - SURE < share < SURE:
        share = _english_share(sample, low_accuracy=False)
    if share >= ENGLISH_BAR:
        return ENGLISH
    if share <= 1 - INDONESIAN_BAR:
        return INDONESIAN
    return None


def warm_up() -> None:
    """Load both models now (at start-up) rather than on a resident's first message."""
    detect("warm up the language models")
    _english_share("selamat pagi", low_accuracy=False)


def place_words(content: Content) -> frozenset[str]:
    """Words of the office's place names (puskesmas, hospitals, kecamatan, kelurahan, city): no language."""
    directory = content.puskesmas
    names = [content.office.city, *(p.name for p in directory.puskesmas), *(h.name for h in directory.hospitals)]
    for kecamatan in directory.kecamatan:
        names.append(kecamatan.name)
        names.extend(k.name for k in kecamatan.kelurahan)
    dictionary = roots()  # "Rumah Sakit", "Empat", "Kota": Indonesian words still speak their language
    city = _WORD.findall(content.office.city.lower())[-1:]  # "Pekanbaru" of "Kota Pekanbaru", in any sentence
    return frozenset(w for name in names for w in _WORD.findall(name.lower()) if w not in dictionary).union(city)
