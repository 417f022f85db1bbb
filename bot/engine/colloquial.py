"""How everyday Indonesian bends standard words, undone: "ngecek" -> "cek", "dapet" -> "dapat", "buatin" -> "buat".

The slang list in content/language.yaml names words one by one ("sy" -> "saya"); these are the rules
behind whole families of them, so a word nobody listed still reads as the word it bends:
- a spoken prefix: nge-/ng-/ny-/m-/n- for me- ("ngecek", "nyuruh" suruh, "nunggu" tunggu, "ngukur" ukur);
- the spoken suffix -in for -kan/-i ("buatin", "aktifin", "ngajuin" ajukan);
- "e" for "a" in the last syllable ("dapet", "deket", "tetep", "bener", "sebenernya");
- "-nya" glued to any of these ("harusnya", "dapetnya", "aktifinnya");
- Riau Malay "e" and Minang "o" for a final "a" ("harge" harga, "tige"/"tigo" tiga, "kerjo" kerja), and their
  "-nye"/"-nyo" for "-nya" ("jadwalnye", "caranyo", "namenye" namanya);
- Minang final syllables ("syaraik" syarat, "sakik" sakit, "umua" umur, "lahia" lahir, "jauah" jauh, "paliang"
  paling, "kampuang" kampung, "haruih" harus, "paneh" panas, "baliak" balik, "masuak" masuk) and its "a" for the
  first syllable's "e" ("barapo" berapa, "sabulan" sebulan, "tampek" tempat), "ba-" for "ber-" ("baobat" berobat).
A word is only read so when the result is a word the bot knows: a real but unknown word stays as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_E_FOR_A = re.compile(r"e([^aeiou]{1,2})$")  # the last syllable's vowel: dapet -> dapat
_FINAL_A = re.compile(r"(?<=[^aeiou])[eo]$")  # Riau Malay harge, Minang tigo -> harga, tiga
_MALAY_NYA = ("nye", "nyo")  # Riau Malay and Minang -nya
# Spoken nasal prefixes and the first letter they swallowed: "nunggu" is tunggu, "nyuruh" suruh, "ngukur" ukur.
_PREFIXES = (("nge", ("",)), ("ny", ("s", "c")), ("ng", ("", "k")), ("n", ("t",)), ("m", ("p",)))
_SUFFIXES = ("nya", "in", "kan")
MIN_LENGTH = 4
# Minang final syllables and the standard ones they stand for, longest first.
_MINANG_FINALS = (
    ("iang", "ing"), ("uang", "ung"), ("aik", "at"), ("uik", "ut"), ("iak", "ik"), ("uak", "uk"), ("uah", "uh"),
    ("iah", "ih"), ("uih", "us"), ("ik", "it"), ("ek", "at"), ("ua", "ur"), ("ia", "ir"), ("eh", "as"), ("o", "a"),
)  # fmt: skip
_MINANG_FIRST = re.compile(r"^([^aeiou]*)a(?=[^aeiou])")  # "barapo", "sabulan", "lapeh": the first "a" for an "e"


def _bases(word: str) -> Iterator[str]:
    """The word, then without a spoken suffix (-nya, -in, -innya)."""
    yield word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            yield base
            if suffix == "nya" and base.endswith("in") and len(base) >= 5:
                yield base[:-2]  # "aktifinnya" -> aktif


def _vowels(word: str) -> Iterator[str]:
    yield word
    changed = _E_FOR_A.sub(r"a\1", word)
    if changed != word:
        yield changed


def _malay_final(word: str) -> str | None:
    final = _FINAL_A.sub("a", word)
    return final if final != word else None


def _minang(word: str, used: Callable[[str], bool]) -> str | None:
    """The content's word a Minang form stands for ("syaraik" syarat, "barapo" berapa, "lapeh" lepas), if any."""
    finals = [word[: -len(end)] + standard for end, standard in _MINANG_FINALS if word.endswith(end)]
    for form in (word, *finals):
        prefixed = ("ber" + form[2:],) if form.startswith("ba") and not form.startswith("ber") else ()
        for candidate in (form, _MINANG_FIRST.sub(r"\1e", form, count=1), *prefixed):
            if candidate != word and used(candidate):
                return candidate
    return None


def _unprefixed(word: str) -> Iterator[str]:
    yield word
    for prefix, swallowed in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            for letter in swallowed:
                yield letter + rest


def standard(
    word: str,
    known: Callable[[str], bool],
    function_word: Callable[[str], bool] = bool,
    used: Callable[[str], bool] | None = None,
) -> str | None:
    """The standard word a colloquial form bends, when the bot knows it; None when no rule gives one.

    A -nya alone is undone only on a function word ("harusnya" -> harus): on any other word the stemmer
    drops it, and "tesnya" (the test) must not read as "tes", the small talk of trying the bot.
    `used`: the words the bot's content uses; a Malay final "e"/"o" is read as "a" only towards one of them
    ("harge" harga), not towards any Indonesian root (English "rate", "site" are no "rata", "sita")."""
    used = used or known
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    if word.endswith(_MALAY_NYA) and len(word) >= 6:
        base = word[:-3]
        for form in (base, *_vowels(base)):
            if known(form):  # a slang word keeps its own reading ("berubatnye" is berubat, listed as berobat)
                return form if function_word(form) else form + "nya"  # the stemmer reads "jadwalnya"
        final = _malay_final(base) or _minang(base, used)
        if final is not None and used(final):
            return final + "nya"  # "namenye" -> namanya, "umuanyo" -> umurnya
        return standard(base + "nya", known, function_word, used)
    glued = word.endswith("nya")
    for base in _bases(word):
        for plain in _unprefixed(base):
            if glued and plain == word[:-3] and known(plain) and not function_word(plain):
                return None  # a content word with its possessive: the stemmer reads it
            for form in _vowels(plain):
                if form != word and known(form):
                    return form
                if glued and form != base and known(form + "nya"):
                    return form + "nya"  # "sebenernya" -> sebenarnya, a word of its own
    final = _malay_final(word)
    if final is not None and used(final):
        return final
    return _minang(word, used)
