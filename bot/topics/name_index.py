"""The name index of a puskesmas directory: typed text against its kecamatan, kelurahan, former
kecamatan, puskesmas and hospital names, typos tolerated.

A question names a place in a run of its words ("simpang baru", "rumbai timur"); every run is scored
against every name. The names are indexed once per content load (`NameTable`), so that scoring costs
one rapidfuzz call instead of a Python loop per question. This module finds the best-scoring name;
puskesmas.py decides what a match means (an Area, the puskesmas it names, a hospital).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.puskesmas import Directory, Kecamatan, Puskesmas

MAX_WORDS = 40  # a place name sits in the question itself; a pasted essay is not searched word by word

# Words around a place name that are not part of it ("puskesmas di kecamatan Tampan").
FILLER = frozenset(
    {"puskesmas", "pkm", "puskes", "faskes", "terdekat", "dekat", "di", "ke", "dari", "daerah", "wilayah",
     "kelurahan", "kel", "desa", "kecamatan", "kec", "kecamatannya", "kelurahannya", "alamat", "alamatnya",
     "lokasi", "lokasinya", "yang", "ada", "mana", "dimana", "saya", "tinggal", "rumah", "apa", "apakah", "ya",
     "min", "kak", "dong", "tolong", "cari", "info", "nomor", "telepon", "telp", "hp", "jam", "buka", "tutup",
     "hari", "ini", "sekarang", "berapa", "kota", "pekanbaru", "untuk", "warga", "sekitar", "area", "buat", "mau",
     "tanya", "gimana", "bagaimana", "kalau", "kalo", "nya", "no"}
)  # fmt: skip

# Words every hospital's name shares: what is left names the hospital ("Awal Bros", "Santa Maria", "Syafira").
HOSPITAL_WORDS = frozenset(
    {"rs", "rsu", "rsud", "rsia", "umum", "rumah", "sakit", "hospital", "pekanbaru", "pekan", "baru", "riau", "ibu",
     "dan", "anak", "prof", "dr", "kota"}
)  # fmt: skip


def key(text: str) -> str:
    """A name as the index compares it: lower-case letters only ("Simpang Baru" -> "simpangbaru")."""
    return re.sub(r"[^a-z]", "", text.lower())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z']+", text.lower()[:2000])[:MAX_WORDS] if w not in FILLER]


def windows(words: list[str], longest: int = 4) -> list[str]:
    """Every run of up to `longest` consecutive words, joined without spaces."""
    return ["".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)]


def windows_for(text: str) -> list[str]:
    """Runs of the words that are not filler, plus runs of all words (for names like "Pekanbaru Kota")."""
    every = re.findall(r"[a-z']+", text.lower()[:2000])[:MAX_WORDS]
    return list(dict.fromkeys(windows(_words(text)) + [w for w in windows(every) if len(w) >= 8]))


@dataclass(frozen=True, slots=True)
class NameTable:
    """Names to match typed windows against (`key` form), indexed once per content load.

    `best` over a table gives the answer the plain loop gave (every window against every name, in
    Python): the fuzzy scores come from one `process.cdist` call (C, rapidfuzz's own length bounds)
    that keeps only the pairs within a point of the threshold, plus the pairs a dict finds at once
    (a name typed exactly, a 6+ letter start of a name); only those few are scored again as the loop
    scored them, in the loop's order, so its tie-breaks hold.
    """

    keys: list[str]
    values: list[object]
    prefixes: dict[str, list[int]]  # a start of 6+ letters (shorter than the name) -> the names it starts

    @classmethod
    def of(cls, names: list[tuple[str, object]]) -> NameTable:
        prefixes: dict[str, list[int]] = {}
        for index, (name, _value) in enumerate(names):
            for end in range(6, len(name)):
                prefixes.setdefault(name[:end], []).append(index)
        return cls([n for n, _ in names], [v for _, v in names], prefixes)

    def pairs(self, windows: list[str], threshold: float) -> list[tuple[float, int, int]]:
        """(score, window, name) for every pair that may reach `threshold`, in the plain loop's order."""
        if not windows or not self.keys:
            return []
        close = process.cdist(windows, self.keys, scorer=fuzz.ratio, score_cutoff=threshold - 1)
        found = set(zip(*(axis.tolist() for axis in close.nonzero()), strict=True))
        for w, window in enumerate(windows):
            if len(window) >= 6:
                found.update((w, n) for n in self.prefixes.get(window, ()))
        return [(_score(windows[w], self.keys[n]), w, n) for w, n in sorted(found)]


def _score(window: str, name: str) -> float:
    if window == name:
        return 100.0
    if len(window) >= 6 and name.startswith(window):
        return 90.0  # "marpoyan" for Marpoyan Damai, "tenayan" for Tenayan Raya
    return fuzz.ratio(window, name) - (10 if len(name) <= 5 else 0)  # short names need exactness


def best(windows: list[str], table: NameTable, threshold: float) -> tuple[float, object | None]:
    """The best-matching name's score and value; a longer exact name wins a tie ("rumbai timur" over "rumbai").

    Below the threshold the score is that of the best near pair (0.0 when there is none): callers
    compare it only with scores that reached the threshold.
    """
    found: tuple[float, int, object | None] = (0.0, 0, None)
    for score, _w, n in table.pairs([w for w in windows if len(w) >= 3], threshold):
        name = table.keys[n]
        if (score, len(name)) > found[:2]:
            found = (score, len(name), table.values[n])
    return (found[0], found[2]) if found[0] >= threshold else (found[0], None)


@dataclass(frozen=True, slots=True)
class DirectoryNames:
    """A directory's names as the matcher compares them (`key`), worked out once per content load."""

    kecamatan: NameTable
    kelurahan: NameTable
    former: dict[str, list[Kecamatan]]  # a kecamatan's former name -> the kecamatan that carry it now
    former_keys: NameTable
    puskesmas: list[Puskesmas]
    puskesmas_keys: NameTable  # each puskesmas's names ("A/B", "RI ...") -> its position in `puskesmas`
    hospitals: NameTable  # each hospital's own words ("awalbros") -> the Hospital


_NAMES: dict[int, tuple[Directory, DirectoryNames]] = {}  # by id(directory); the directory itself kept against reuse


def directory_names(directory: Directory) -> DirectoryNames:
    """The name index of a directory, built on first use and kept for the recent content versions."""
    found = _NAMES.get(id(directory))
    if found is not None and found[0] is directory:
        return found[1]
    former: dict[str, list[Kecamatan]] = {}
    for each in directory.kecamatan:
        for name in each.formerly:
            if key(name) != key(each.name):
                former.setdefault(key(name), []).append(each)
    variants: list[tuple[str, object]] = []
    for position, entry in enumerate(directory.puskesmas):
        keys = {key(part) for part in re.split(r"/", entry.name)} | {key(entry.name)}
        keys |= {key(re.sub(r"^RI\s+", "", entry.name))}
        variants.extend((n, position) for n in sorted(keys) if n)
    hospitals: list[tuple[str, object]] = []
    for h in directory.hospitals:
        own = [w for w in re.findall(r"[a-z]+", h.name.lower()) if w not in HOSPITAL_WORDS]
        if own:
            hospitals.append(("".join(own), h))
    names = DirectoryNames(
        NameTable.of([(key(k.name), k) for k in directory.kecamatan]),
        NameTable.of([(key(kel.name), kel) for k in directory.kecamatan for kel in k.kelurahan]),
        former,
        NameTable.of([(name, name) for name in former]),
        list(directory.puskesmas),
        NameTable.of(variants),
        NameTable.of(hospitals),
    )
    if len(_NAMES) >= 64:  # content versions come and go: keep the recent ones only
        _NAMES.clear()
    _NAMES[id(directory)] = (directory, names)
    return names
