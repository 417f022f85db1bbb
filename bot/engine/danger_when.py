"""Guards of time: the words around a sign that say it was (past, resolved), will be or may be (later, "if"),
or has lasted for years, rather than happening now.

"dulu pernah kejang", "demamnya sudah turun", "kalau besok demam?", "sudah 3 tahun lumpuh": each drops
the sign, unless a turn says it is happening again ("tapi kali ini ..."). Apart from the guards of whom
a sign is told (`danger_whom`) and how much (`danger_mild`); `danger_guards` asks all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.danger_text import Hit, Phrases, Reading

_GUARD_REACH = 4  # words a past or resolution guard reaches from what it guards
_YEARS_AFTER_REACH = 2  # words from a sign to the years it has lasted after it ("lumpuh sebelah sudah 3 tahun")
_PAST_REACH = 8  # words back to a past marker ("dulu lahir caesar di rs krn ketuban pecah"), stopped by "sekarang"
_PAST_AFTER_REACH = 8  # words a past time after a sign reaches back, within its clause
_SINCE = frozenset(["sejak", "since", "dari", "semenjak"])  # "demam sejak minggu lalu" is still going on
NOW = frozenset(["ongoing", "sudden"])  # concepts that say a sign is going on or sudden
_YEARS = frozenset(["tahun", "year", "years"])


def resolved_after(reading: Reading, hit: Hit, resolved: set[int]) -> bool:
    """A resolution a few words after the hit, in its sentence: "demamnya sudah turun"."""
    if not resolved:
        return False
    sentence = reading.sentence[hit.end]
    after = [
        i
        for i in range(hit.end + 1, min(len(reading.words), hit.end + _GUARD_REACH + 1))
        if reading.sentence[i] == sentence
    ]
    return not resolved.isdisjoint(after)


def told_past(
    reading: Reading,
    hit: Hit,
    past: set[int],
    past_after: set[int],
    long_ago: frozenset[int],
    turn: int | None,
    scope: set[str],
) -> bool:
    """The past before the hit ("dulu pernah kejang"), a past time closing its clause ("kejang waktu kecil"),
    or years it has lasted ("sudah 3 tahun lumpuh", "stroke sudah 5 tahun"); unless a turn ("tapi kali ini") comes at or after its end."""
    words = reading.words
    if past or long_ago:
        low = hit.start
        sentence = reading.sentence[hit.start]
        while (
            low > 0
            and hit.start - low < _PAST_REACH
            and words[low - 1] not in scope
            and reading.sentence[low - 1] == sentence
        ):
            low -= 1
        before = range(low, hit.start)
        if not past.isdisjoint(before) or any(
            i in long_ago and reading.clause[i] == reading.clause[hit.start] for i in before
        ):
            return turn is None or turn < hit.end
    if long_ago and any(  # "kakek saya stroke sudah 5 tahun": the years right after it, in its clause
        i in long_ago and reading.clause[i] == reading.clause[hit.end]
        for i in range(hit.end + 1, min(len(words), hit.end + _YEARS_AFTER_REACH + 1))
    ):
        return turn is None or turn < hit.end
    if past_after:
        clause = reading.clause[hit.end]
        later = [  # "keracunan makanan di sekolah anak minggu lalu": a past time closing the clause
            i
            for i in range(hit.end + 1, min(len(words), hit.end + _PAST_AFTER_REACH + 1))
            if reading.clause[i] == clause and words[i - 1] not in _SINCE
        ]
        if not past_after.isdisjoint(later):
            return turn is None or turn < hit.end
    return False


def years_old(reading: Reading, hits: list[Hit], lead: set[str]) -> set[int]:
    """Where "sudah 3 tahun", "for 2 years", "udh 5 thn" starts: what follows in its clause has lasted years
    ("nenek sudah 3 tahun lumpuh sebelah karena stroke"), it is no sudden sign; unless its sentence says
    something is sudden or going on now ("sudah 3 tahun, tiba tiba kejang")."""
    words, sentence = reading.words, reading.sentence
    out: set[int] = set()
    if lead.isdisjoint(words):
        return out
    for i, w in enumerate(words[:-2]):
        if (
            w in lead
            and words[i + 1].isdigit()
            and words[i + 2] in _YEARS
            and not any(h.concept in NOW and sentence[h.start] == sentence[i] for h in hits)
        ):
            out.add(i)
    return out


def this_time(reading: Reading, hits: list[Hit], phrases: Phrases) -> int | None:
    """Where "kali ini" / "this time" starts, when something lasting or sudden is told after it in its sentence:
    "pernah step dulu, tapi kali ini sudah 10 menit belum berhenti" is happening now."""
    for t in sorted(phrases.starts(reading.words, reading.places())):
        if any(h.start > t and h.concept in NOW and reading.sentence[h.start] == reading.sentence[t] for h in hits):
            return t
    return None


def hypothetical(reading: Reading, future: Phrases, what_to_do: Phrases, single: Mapping[str, set[str]]) -> set[int]:
    """A sign after "kalau"/"if" in its clause, when its sentence speaks of later ("besok", "tomorrow") or asks what
    to do with nothing urgent in it: "jadwal suntik besok, kalau demam setelahnya gimana?", "kalau anak kejang
    pertolongan pertamanya apa?" ask ahead; nobody is ill now."""
    words, clause, sentence = reading.words, reading.clause, reading.sentence
    at = reading.places()
    later = {sentence[i] for i in future.starts(words, at)}
    asks = {sentence[i] for i in what_to_do.starts(words, at)} - later
    if asks:  # "kalau anak kejang pertolongan pertamanya apa?": asked ahead, unless something says it is now
        now, inside = single["urgent"] | single["present"], what_to_do.spans(words, at=at) | supposed(reading, single)
        later |= asks - {sentence[i] for i, w in enumerate(words) if w in now and i not in inside}
    if not later:
        return set()
    conditional = single["conditional"]
    out: set[int] = set()
    for c, w in enumerate(words):
        if w in conditional and reading.sentence[c] in later:  # "kalau" and "besok" in one sentence
            out.update(i for i in range(c + 1, len(words)) if clause[i] == clause[c])
    return out


def supposed(reading: Reading, single: Mapping[str, set[str]]) -> set[int]:
    """Where a word of `supposed` ("tiba", "suddenly") follows "kalau"/"if" in its clause: how the supposed event
    would come, not an urgency now ("kalau ada orang tiba tiba pegang dada, harus apa?")."""
    words, clause = reading.words, reading.clause
    conditional, sudden = single["conditional"], single["supposed"]
    out: set[int] = set()
    if sudden.isdisjoint(words) or conditional.isdisjoint(words):  # most messages: neither "kalau" nor "tiba"
        return out
    opened: int | None = None  # the clause of the last "kalau"
    for i, w in enumerate(words):
        if w in conditional:
            opened = clause[i]
        elif w in sudden and opened == clause[i]:
            out.add(i)
    return out
