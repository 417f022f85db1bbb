"""Guards of whom a sign is told: a thing ("HP saya tenggelam"), an owned animal ("kucing saya muntah"),
someone already in care ("dirawat di ICU"), or the writer's own people here and now ("tiba tiba bapak saya").

Apart from the guards of time (`danger_when`) and how much (`danger_mild`); `danger_guards` asks all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.danger_text import Phrases, Reading

PLACE = frozenset(["di", "ke", "dari", "dalam", "dekat", "atas", "in", "at", "on", "from", "inside", "into"])
# what kind of animal, between it and its owner ("kucing oren saya"); not a verb ("kucing cakar saya")
_PET_KIND = frozenset(
    ["oren", "oranye", "hitam", "putih", "belang", "abu", "coklat", "kampung", "persia", "anggora", "betina", "jantan"]
)
_OWN_BEFORE = 3  # words before a turn where its subject may stand ("my dad suddenly ...")
# small words that may stand between a thing and the sign told of it ("hp saya kejang terus", "laptopnya sudah kejang")
_ADVERBS = frozenset(
    ["terus", "udah", "sudah", "tiba", "kadang", "malah", "jadi", "kok", "lagi", "suka", "sering", "keeps", "kept"]
)


def of_a_thing(words: list[str], start: int, single: Mapping[str, set[str]], clause: list[int] | None = None) -> bool:
    """The sign's word tells of a thing, not a person: "HP saya tenggelam", "motornya terbakar"
    (a thing right before it, or its owner between: not "di mobil kejang"), or a thing is its clause's subject
    (`subject_thing`: "laptop adek kejang kejang gitu", "mobil tetangga tenggelam")."""
    thing, personal = single["thing"], single["personal"]
    for at in (start - 1, start - 2):
        if at < 0 or not is_thing(words[at], thing) or (at == start - 2 and words[start - 1] not in personal):
            continue
        if at == 0 or words[at - 1] not in PLACE:
            return True
    return clause is not None and subject_thing(words, start, clause, single)


def is_thing(word: str, thing: set[str]) -> bool:
    """A thing's word, or its "-nya" form ("hpnya", "tvnya"): the owner's suffix keeps it a thing."""
    return word in thing or (word.endswith("nya") and word[:-3] in thing)


def subject_thing(words: list[str], start: int, clause: list[int], single: Mapping[str, set[str]]) -> bool:
    """A thing opens the clause (after greetings only) and nothing but its owners and small adverbs stand between it
    and the sign's word: the clause is told of the thing. An owner is a person's word right after the thing or
    another owner ("mobil tetangga", "hp adek saya"); any other person before the sign makes it theirs."""
    thing, opener = single["thing"], single["opener"]
    c = clause[start]
    t = start
    while t > 0 and clause[t - 1] == c:
        t -= 1
    while t < start and words[t] in opener:
        t += 1
    if t >= start or not is_thing(words[t], thing):  # most clauses: no thing opens them
        return False
    owners = single["personal"] | single["people"] | single["kin"] | single["own"]
    skip = opener | single["filler"] | single["between"] | _ADVERBS
    previous_owned = True  # right after the thing: its owner
    for i in range(t + 1, start):
        w = words[i]
        if w in owners:
            if not previous_owned:
                return False
            continue
        previous_owned = is_thing(w, thing)
        if w not in skip and not previous_owned:
            return False
    return True


def likened(reading: Reading, start: int, taken: set[int], single: Mapping[str, set[str]]) -> bool:
    """The word is a figure of comparison: right after "seperti" ("galak kayak anjing mau gigit"), or one filler
    word between, and no sign's word before the comparison in its sentence ("digigit hewan, kayak anjing"; "dua titik
    berdarah di betis, kayaknya ular": a real bite told first, the animal only guessed at)."""
    words, sentence, simile = reading.words, reading.sentence, single["simile"]
    if start >= 1 and words[start - 1] in simile:
        at = start - 1
    elif start >= 2 and words[start - 2] in simile and words[start - 1] in single["filler"]:
        at = start - 2
    else:
        return False
    return not any(p < at and sentence[p] == sentence[start] for p in taken)


def pets_and_people(words: list[str], single: Mapping[str, set[str]]) -> tuple[frozenset[int], frozenset[int]]:
    """Where an owned animal is named ("kucing saya", "anjingku", "my dog", "our cat", one word between: "kucing
    oren saya"), and where people are
    (kin, one's own, "anak", "orang"): the owner's word right after or before the animal is no person."""
    pet = single["pet"]
    if pet.isdisjoint(words):  # no animal named: most messages
        return frozenset(), frozenset()
    people, own = single["people"] | single["kin"], single["own"]
    pets: set[int] = set()
    owners: set[int] = set()
    for i, w in enumerate(words):
        if w not in pet:
            continue
        if i + 1 < len(words) and words[i + 1] in own:
            pets.add(i)
            owners.add(i + 1)
        elif i > 0 and words[i - 1] in own:
            pets.add(i)
            owners.add(i - 1)
        elif i + 2 < len(words) and words[i + 2] in own and words[i + 1] in _PET_KIND:  # "kucing oren saya"
            pets.add(i)
            owners.add(i + 2)
    if not pets:
        return frozenset(), frozenset()
    found = {i for i, w in enumerate(words) if (w in people or w in own) and i not in owners}
    return frozenset(pets), frozenset(found)


def of_a_pet(reading: Reading, start: int, pets: frozenset[int], people: frozenset[int]) -> bool:
    """The sign is told of an owned animal named before it in its sentence, with no person between:
    "kucing saya muntah terus", "my dog is having a seizure" (a vet's question); not "anjing saya
    menggigit anak tetangga, berdarah" (the bite signs skip this guard)."""
    sentence = reading.sentence
    return any(p < start and sentence[p] == sentence[start] and not any(p < i < start for i in people) for p in pets)


def here(reading: Reading, single: Mapping[str, set[str]]) -> set[int]:
    """The words after a turn ("tiba tiba", "suddenly", "tapi sekarang") in a sentence where the writer's own
    people follow it: "lagi nonton berita, tiba tiba bapak saya pingsan" is happening here, not on the news."""
    words, sentence, clause = reading.words, reading.sentence, reading.clause
    turn, own, kin = single["turn"], single["own"], single["kin"]
    if turn.isdisjoint(words):
        return set()

    def owned(i: int) -> bool:
        return words[i] in own or words[i] in kin or (words[i].endswith("ku") and len(words[i]) > 4)

    out: set[int] = set()
    for t, w in enumerate(words):
        if w in turn and t + 1 not in out:
            rest = [i for i in range(t + 1, len(words)) if sentence[i] == sentence[t]]
            just_before = [i for i in range(max(0, t - _OWN_BEFORE), t) if clause[i] == clause[t]]
            if any(owned(i) for i in rest) or any(owned(i) for i in just_before):
                out.update(rest)
    return out


def in_care_of(reading: Reading, in_care: Phrases, scope: set[str]) -> set[int]:
    """The sentence of "dirawat di ICU" / "already admitted", up to a turn after it ("tapi sekarang"):
    someone already in hospital, asked about for papers or a visit, is in care."""
    words, sentence = reading.words, reading.sentence
    starts = in_care.starts(words, reading.places())
    if not starts:
        return set()
    out: set[int] = set()
    for p in starts:
        s = sentence[p]
        end = next((i for i in range(p + 1, len(words)) if sentence[i] != s or words[i] in scope), len(words))
        out.update(i for i in range(end) if sentence[i] == s)
    return out
