"""Guards on how much a sign is told: denied right before it, mild beside it, or not known.

"tidak ada sesak", "agak sesak", "gak tau udah divaksin apa belum": the sign's words are there, but
the words next to them deny it, make it small, or say nobody knows. Apart from the guards of time
(`danger_when`) and of whom a sign is told (`danger_whom`); `danger_guards` asks all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.danger_text import Hit, Phrases, Reading

_MILD_REACH = 2
_JUST_NOW = ("baru", "saja")  # "baru saja": just now, never mild
_CONCEDE = frozenset(["sih", "kok"])  # "demam sih enggak": the sign denied after it, closing its clause
_CONCEDE_REACH = 3  # words from the sign's first word to "sih" ("sakit kepala sih enggak")


def negated(reading: Reading, start: int, single: Mapping[str, set[str]]) -> bool:
    """A negation right before, across one or two `between` words ("tidak ada sesak", "nobody had a seizure"),
    or across three when one of them says nobody ("tak ada siapa kena patuk"), in the clause."""
    words, clause = reading.words, reading.clause
    negation, between, nobody = single["negation"], single["between"], single["nobody"]
    before = start - 1
    if before >= 0 and words[before] in negation and clause[before] == clause[start]:  # not "gak, urgent"
        return True
    if (
        before >= 1
        and words[before] in between
        and words[before - 1] in negation
        and clause[before - 1] == clause[start]
    ):
        return True
    if _closing_no(reading, start, negation):
        return True
    if not _CONCEDE.isdisjoint(words[start + 1 : start + 1 + _CONCEDE_REACH]) and _denied_after(
        words, clause, start, negation
    ):
        return True
    gap: list[str] = []
    j = before
    while j >= 0 and len(gap) < 3 and clause[j] == clause[start] and (words[j] in between or words[j] in nobody):
        gap.append(words[j])
        j -= 1
    # "nobody had a seizure", "tidak pernah ada kejang"; across three when one of them says nobody
    for k in range(2, len(gap) + 1):
        at = before - k
        if at < 0 or clause[at] != clause[start] or words[at] not in negation:
            continue
        if k == 2 or any(w in nobody for w in gap[:k]):
            return True
    return False


def _closing_no(reading: Reading, start: int, negation: set[str]) -> bool:
    """A one-word sign denied by a negation right after it that closes its clause, the sentence going on after a
    comma: "leher kaku abis salah bantal, demam nggak, bisa dipijat?" (no fever). Not "demam nggak?" (a question)
    nor "kejang tidak berhenti" (the clause goes on)."""
    words, clause, sentence = reading.words, reading.clause, reading.sentence
    no = start + 1
    return (
        no + 1 < len(words)
        and words[no] in negation
        and clause[no] == clause[start]
        and clause[no + 1] != clause[no]
        and sentence[no + 1] == sentence[no]
    )


def _denied_after(words: list[str], clause: list[int], start: int, negation: set[str]) -> bool:
    """The sign denied after it with "sih" or "kok", closing its clause: "demam sih enggak", "sesak kok tidak ada"."""
    for k in range(start + 1, min(len(words) - 1, start + _CONCEDE_REACH + 1)):
        if clause[k] != clause[start]:
            return False
        if words[k] in _CONCEDE:
            if words[k + 1] not in negation or clause[k + 1] != clause[start]:
                return False
            rest = [i for i in range(k + 2, min(len(words), k + 4)) if clause[i] == clause[start]]
            return all(words[i] in ("ada", "kok", "juga") for i in rest) and (
                k + 4 >= len(words) or clause[k + 4] != clause[start]
            )
    return False


def mild(reading: Reading, hit: Hit, taken: set[int], worse: frozenset[int], single: Mapping[str, set[str]]) -> bool:
    """A mild word next to the hit, in its clause: "agak sesak", "sakit kepala sedikit", "melepuh kecil";
    unless the sentence says later that it grew ("berdarah sikit, sekarang dah banyak")."""
    words, clause = reading.words, reading.clause[hit.start]
    sentence = reading.sentence[hit.start]
    if any(i > hit.end and reading.sentence[i] == sentence for i in worse):
        return False
    mild_words, after = single["mild"], single["mild_after"]
    if hit.end - hit.start > 1 and not mild_words.isdisjoint(words[hit.start + 1 : hit.end]):
        return True  # "napasnya agak bunyi": a mild word inside the phrase
    before = range(max(0, hit.start - 1), hit.start)
    behind = range(hit.end + 1, min(len(words), hit.end + 1 + _MILD_REACH))
    return any(
        i not in taken
        and reading.clause[i] == clause
        and (words[i] in mild_words or (i in behind and words[i] in after))
        and not (i > 0 and (words[i - 1], words[i]) == _JUST_NOW)  # "baru aja tabrakan" is just now, not mild
        for i in (*before, *behind)
    )


def unsure_of(reading: Reading, unsure: Phrases, negation: set[str]) -> set[int]:
    """The few words after "tidak tahu" / "not sure", or a negation: what they say is not known or is
    denied, so it rules nothing out ("gak tau udah divaksin apa belum" is no "sudah divaksin")."""
    words = reading.words
    out: set[int] = set()
    for i in unsure.spans(words, at=reading.places()):
        out.update(range(i + 1, min(len(words), i + 5)))
    for i, w in enumerate(words):  # "never been vaccinated" is no "vaccinated"
        if w in negation:
            out.update(range(i + 1, min(len(words), i + 3)))
    return out
