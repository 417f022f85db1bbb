"""Which language a resident's message is written in: Indonesian, English, or not clear.

Lingua (lingua-language-detector, Apache-2.0) ships its n-gram models in the wheel. The
detector knows only Indonesian, English and Malay (Riau Malay is read as Indonesian), is
built once per process, and runs in low-accuracy mode (trigrams: microseconds); a message
that mode finds close is looked at again in high-accuracy mode. A false "English" on
Indonesian slang is the worst error, so English needs a clear margin.

Short, language-neutral messages ("ok", "bcg", "119", emoji, a lone puskesmas name) are
not clear: the conversation keeps its language. The office's place names are taken out whole
before anything is read ("Kampung Melayu", "Rumbai Barat": names, not Indonesian sentences).

Lingua's models know written Indonesian, not chat: two small lists steer its close calls. A message
with more Indonesian chat or function words ("kak", "sy", "gmn", "di") than English function words
("the", "where", "my") is never English; an English function word lets a message lingua finds
English-leaning but unsure be English. Neither list makes a message English on its own.
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
LEANING_BAR = 0.3  # with more English function words than Indonesian markers, English from this share on
SURE = 0.97  # the quick mode's verdict is final at this confidence; closer calls go to the full models
# Words of both languages or of neither: abbreviations, vaccine and programme names, chat noises.
NEUTRAL_WORDS = frozenset({
    "ok", "oke", "okay", "okey", "sip", "siap", "ya", "ye", "yes", "no", "hm", "hmm", "wkwk", "haha", "hehe",
    "lol", "bcg", "dpt", "hb", "hib", "mr", "mmr", "hpv", "ipv", "opv", "pcv", "polio", "rotavirus", "rota",
    "covid", "tt", "td", "dt", "puskesmas", "posyandu", "pustu", "rs", "rsud", "igd", "bpjs", "jkn", "kis",
    "uhc", "ktp", "kk", "nik", "sms", "wa", "whatsapp", "telegram", "bot", "admin", "min", "kak", "pak", "bu",
    "dok", "dr", "kecamatan", "kelurahan", "kec", "kel", "desa", "jl", "jalan", "kabupaten", "rt", "rw",
})  # fmt: skip
# Indonesian (and Riau Malay) chat and function words: a message with more of them than English function words
# is never English (lingua's models know written Indonesian, not "sy", "gmn" or "bs": "ok kak noted" is not English).
INDONESIAN_MARKERS = frozenset({
    "kak", "kakak", "mimin", "dong", "sih", "deh", "nih", "tuh", "kok", "gan", "sis", "bang", "mbak", "mas",
    "bu", "pak", "dok", "bun", "yg", "dgn", "sy", "sya", "gak", "ga", "gk", "nggak", "ngga", "udh", "udah", "dah",
    "blm", "tdk", "aja", "lg", "klo", "kalo", "gmn", "gimana", "dr", "utk", "jg", "bgt", "banget", "brp", "dmn",
    "kpn", "tp", "trs", "krn", "sm", "mksh", "makasih", "nak", "tak", "ambo", "awak", "sayo", "mano", "camano",
    "bs", "di", "ke", "yang", "dan", "untuk", "dengan", "apa", "ada", "bisa", "saya", "sudah", "belum",
    "ini", "itu", "mau", "kapan", "dimana", "berapa", "bagaimana", "kenapa", "hallo", "awokwok",
})  # fmt: skip
# English words that carry no topic but say "this is English"; none of them is an Indonesian word.
ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "is", "are", "was", "were", "am", "be", "been", "what", "where", "when", "which", "who", "why", "how",
    "my", "your", "our", "his", "her", "their", "you", "we", "he", "she", "they", "it", "this", "that", "there",
    "of", "to", "for", "with", "from", "about", "and", "or", "but", "not", "can", "could", "do", "does", "did",
    "have", "has", "had", "will", "would", "should", "please", "any", "some", "near", "nearest",
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


@lru_cache(maxsize=4096)
def _english_share(text: str, *, low_accuracy: bool) -> float:
    """Lingua's English share of a sample; kept for the greetings and thanks every conversation repeats."""
    from lingua import Language

    values = _detector(low_accuracy).compute_language_confidence_values(text)
    return next((v.value for v in values if v.language == Language.ENGLISH), 0.0)


def language_words(text: str, neutral: Iterable[str] = ()) -> list[str]:
    """The words of a message that can tell its language (not names, abbreviations or numbers).

    `neutral` holds words and whole names ("kampung melayu"): a name is taken out before its words.
    """
    skip = NEUTRAL_WORDS | frozenset(neutral)
    return [w for w in _all_words(text, neutral) if w not in skip]


def _all_words(text: str, neutral: Iterable[str]) -> list[str]:
    low = text.lower()
    names = _names_in(neutral) if isinstance(neutral, frozenset) else frozenset(n for n in neutral if " " in n)
    if names:
        low = _names_pattern(names).sub(" ", low)
    return _WORD.findall(low)


# The office's place words are one frozenset per content (place_words): what is derived from it is kept, not
# rebuilt at every message (about 10-15 us of each turn).
@lru_cache(maxsize=8)
def _names_in(neutral: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in neutral if " " in n)


@lru_cache(maxsize=8)
def _skipped(neutral: frozenset[str]) -> frozenset[str]:
    return NEUTRAL_WORDS | neutral


@lru_cache(maxsize=8)
def _names_pattern(names: frozenset[str]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)  # "rumbai barat" before "rumbai"
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in ordered) + r")\b")


def detect(text: str, neutral: frozenset[str] = frozenset(), keeping: str | None = None) -> str | None:
    """'en' or 'id' when the message clearly is in that language; None when it is not clear.

    `keeping`: the language the conversation is in, when the caller reads "not clear" and that language alike (the
    turn's answer language): a message that can only be Indonesian or not clear keeps an Indonesian conversation
    either way, so None is given at once, lingua not asked (most Indonesian messages: chat or function words)."""
    every = _all_words(text[:MAX_CHARS], neutral)
    skip = _skipped(neutral)
    words = [w for w in every if w not in skip]
    if not words or not _installed():
        return None
    sample = " ".join(words)
    english_words = sum(w in ENGLISH_FUNCTION_WORDS for w in words)
    # "kak" is neutral, yet speaks Indonesian; "bayi saya 5 weeks old and not feeding" mixes both: lingua reads it
    chat_indonesian = sum(w in INDONESIAN_MARKERS for w in every) > english_words
    if len(words) == 1:  # "hello" may speak; "makasih", "tq", "pls" keep the conversation's language
        sample = unstretched(sample)  # "okee", "sipp", "haiii": "oke", "sip", "hai", not English
        if len(sample) < 4 or chat_indonesian or sample in skip or sample in INDONESIAN_MARKERS or _abbreviated(sample):
            return None
        share = _english_share(sample, low_accuracy=False)
        return ENGLISH if share >= ONE_WORD_BAR else None
    if chat_indonesian and keeping == INDONESIAN:  # never English: Indonesian or not clear, the same to the caller
        return None
    share = _english_share(sample, low_accuracy=True)
    if 1 - SURE < share < SURE:
        share = _english_share(sample, low_accuracy=False)
    if share <= 1 - INDONESIAN_BAR:
        return INDONESIAN
    if chat_indonesian:  # "ok kak noted", "sy stres bgt": Indonesian chat with an English word in it
        return None
    if share >= ENGLISH_BAR or (share >= LEANING_BAR and english_words):
        return ENGLISH
    return None


_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # a letter typed three times or more: "haiii", "sippp", "heloooo"
_VOWELS = frozenset("aeiou")


def unstretched(word: str) -> str:
    """A chat word without its stretched letters ("okee" "oke", "haiii" "hai", "sipp" "sip", "helloo" "hello"): a
    run of three or more letters is one, and a doubled last letter one (a lone "free" or "still" is then not clear,
    which keeps the conversation's language)."""
    word = _STRETCHED.sub(r"\1", word)
    return word[:-1] if len(word) > 2 and word[-1] == word[-2] else word


def _abbreviated(word: str) -> bool:
    """A word typed without its vowels ("aslm", "asslmlkm", "wkwk", "mksh", "wslm"): chat shorthand, no language."""
    return not _VOWELS.intersection(word[1:])


def warm_up() -> None:
    """Load both models now (at start-up) rather than on a resident's first message."""
    detect("warm up the language models")
    _english_share("selamat pagi", low_accuracy=False)


def place_words(content: Content) -> frozenset[str]:
    """The office's place names (puskesmas, hospitals, kecamatan, kelurahan, city), which speak no language:
    their words that are no Indonesian word ("rejosari", "pekanbaru"), and every name of two or more
    words whole ("kampung melayu", "rumbai barat"), taken out of a message before it is read."""
    directory = content.puskesmas
    names = [content.office.city, *(p.name for p in directory.puskesmas), *(h.name for h in directory.hospitals)]
    for kecamatan in directory.kecamatan:
        names.append(kecamatan.name)
        names.extend(kecamatan.formerly)
        names.extend(k.name for k in kecamatan.kelurahan)
    dictionary = roots()  # "Rumah Sakit", "Empat", "Kota": Indonesian words still speak their language
    city = _WORD.findall(content.office.city.lower())[-1:]  # "Pekanbaru" of "Kota Pekanbaru", in any sentence
    words = frozenset(w for name in names for w in _WORD.findall(name.lower()) if w not in dictionary).union(city)
    whole = frozenset(" ".join(_WORD.findall(n.lower())) for n in names if len(_WORD.findall(n.lower())) > 1)
    return words | whole
