"""Guards of whom a sign is told: a thing ("HP saya tenggelam"), an owned animal ("kucing saya muntah"),
someone already in care ("dirawat di ICU"), or the writer's own people here and now ("tiba tiba bapak saya").

Apart from the guards of time (`danger_when`) and how much (`danger_mild`); `danger_guards` asks all of them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.danger_text import Phrases, Reading

PLACE = frozenset(["di", "ke", "dari", "dalam", "dekat", "atas", "in", "at", "on", "from", "inside", "into"])
_OWN_BEFORE = 3  # words before a turn where its subject may stand ("my dad suddenly ...")


def of_a_thing(words: list[str], start: int, single: Mapping[str, set[str]]) -> bool:
    """The sign's word tells of a thing, not a person: "HP saya tenggelam", "motornya terbakar"
    (a thing right before it, or its owner between: not "di mobil kejang")."""
    thing, personal = single["thing"], single["personal"]
    for at in (start - 1, start - 2):
        if at < 0 or words[at] not in thing or (at == start - 2 and words[start - 1] not in personal):
            continue
        if at == 0 or words[at - 1] not in PLACE:
            return True
    return False


def pets_and_people(words: list[str], single: Mapping[str, set[str]]) -> tuple[frozenset[int], frozenset[int]]:
    """Where an owned animal is named ("kucing saya", "anjingku", "my dog", "our cat"), and where people are
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
