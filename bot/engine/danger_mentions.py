"""Guards of a sign's word only mentioned, not told: the name of a risk ("risiko stroke"), of a service or a
medicine ("poli untuk stroke", "obat untuk sesak"), or an everyday phrase opening its clause ("maaf, saya
tidak sadar jadwalnya lewat").

Apart from the guards of time (`danger_when`), of whom (`danger_whom`) and how much (`danger_mild`);
`danger_guards` asks all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.danger_text import Phrases, Reading
from bot.engine.danger_whom import PLACE


def at_risk(reading: Reading, start: int, ends: frozenset[int]) -> bool:
    """A "risk of" phrase ending at most two words before the hit, in its clause: "risiko stroke",
    "berisiko kena stroke", "nanti kene strok" (a warning, not a sign)."""
    clause = reading.clause
    return any(e in ends and clause[e] == clause[start] for e in range(max(0, start - 3), start + 1))


def modifies(reading: Reading, end: int, heads: set[str]) -> bool:
    """A sign's name right before a noun it modifies, in its clause: English puts the topic first ("heart attack
    prevention program", "stroke awareness", "choking hazard"), so the sign is what a programme or a medicine is
    about, not what is happening."""
    after = end + 1
    return after < len(reading.words) and reading.words[after] in heads and reading.clause[after] == reading.clause[end]


def served(
    reading: Reading,
    start: int,
    taken: set[int],
    service: frozenset[int],
    remedy: frozenset[int],
    single: Mapping[str, set[str]],
) -> bool:
    """A service's name right before the hit, across a word of `about` and the sign's own other words:
    "poli untuk stroke", "dokter spesialis jantung", "treatment for febrile seizures"; not a place ("anak saya di
    klinik kejang") nor with someone between ("habis terapi bapak sesak")."""
    words, clause = reading.words, reading.clause
    ends = service | remedy
    at = start - 1
    people = single["people"] | single["kin"] | single["own"]
    while (
        at >= 0
        and start - at <= 2
        and at in taken
        and at not in ends
        and clause[at] == clause[start]
        and words[at] not in people  # "habis terapi nenek kejang": a person is never the sign's own word
    ):
        at -= 1  # the sign's other words ("febrile", "food")
    about = at >= 0 and at not in ends and words[at] in single["about"]
    if about:
        at -= 1
    if at < 0 or at not in ends or clause[at] != clause[start]:
        return False
    if at not in service and not about:  # a medicine or a cost only "for" a sign: "minum ubat banyak"
        return False
    ends = service if at in service else remedy
    head = at
    while head > 0 and head - 1 in ends:  # the service phrase's first word ("dokter spesialis")
        head -= 1
    return not any(words[i] in PLACE for i in range(max(0, head - 2), head + 1))


def first_in_clause(reading: Reading, unless_first: Phrases, opener: set[str]) -> set[int]:
    """`unless_first` phrases that open their clause (after `opener` words): "maaf, saya tidak sadar
    jadwalnya lewat" is not "nenek saya tidak sadar"."""
    words, clause = reading.words, reading.clause
    starts = unless_first.starts(words, reading.places())
    if not starts:
        return set()
    spans = unless_first.spans(words, at=reading.places())
    covered: set[int] = set()
    for i in sorted(starts):
        j = i - 1
        while j >= 0 and clause[j] == clause[i] and words[j] in opener:
            j -= 1
        if j < 0 or clause[j] != clause[i]:
            end = i
            while end + 1 in spans:
                end += 1
            covered.update(range(i, end + 1))
    return covered


_PAPERS_REACH = 4  # words back from a card's state to the card: "kartu bpjs kami tidak aktif lagi"


def of_papers(reading: Reading, single: Mapping[str, set[str]]) -> set[int]:
    """A card's or an account's state (`status`) said of one of `papers` before it in its clause: "kartunya
    nonaktif", "bpjs anak saya tidak aktif" tell of a card, not of a child who is "tidak aktif" (lethargic)."""
    at = reading.places()
    told = single["status"] & at.words  # most messages tell no card's state: one set meets another
    if not told:
        return set()
    words, clause, papers = reading.words, reading.clause, single["papers"]
    return {
        i
        for w in told
        for i in at.of[w]
        if any(words[j] in papers and clause[j] == clause[i] for j in range(max(0, i - _PAPERS_REACH), i))
    }


_CROWDED_AFTER = 3  # words after "sesak" where someone named is the one short of breath ("sesak sekali saya")


def crowded(reading: Reading, single: Mapping[str, set[str]]) -> set[int]:
    """A word of `crowded` ("sesak") told of a place or a crowd (`crowd`) in a clause with no one before it or just
    after it, no breath and no call for help (`not_crowded`): "antrian di puskesmas sesak banget", "busnya sesak
    penumpang", "bilik tunggu tu sesak" (crowded), not "bapak sesak di ruang tunggu" nor "sesak napas di bus"."""
    at = reading.places()
    told = single["crowded"] & at.words
    if not told or single["crowd"].isdisjoint(at.words):
        return set()
    words, clause = reading.words, reading.clause
    someone = single["people"] | single["kin"] | single["own"] | single["personal"] | single["not_crowded"]
    out = set()
    for w in told:
        for i in at.of[w]:
            own = [j for j in range(len(words)) if clause[j] == clause[i]]
            near = [j for j in own if j < i + _CROWDED_AFTER]  # "angkotnya sesak penumpang jadi saya telat": not hers
            if any(words[j] in single["crowd"] for j in own) and not any(words[j] in someone for j in near):
                out.add(i)
    return out
