"""Small talk: recognising a greeting, a thank-you or a goodbye, and answering it briefly.

The phrases and answers are content (content/smalltalk.yaml). A message is small talk when,
after normalising, every word is a small-talk phrase or a filler word ("makasih banyak kak 🙏").
A message that also holds a question ("halo kak, mau tanya jadwal imunisasi") is not small
talk: the question is answered. Clauses that only tell beside small talk ask nothing ("ini nomor
siapa ya? dapat dari grup wa rt", "makasih min, tadi anak sy sudah diimunisasi"): small talk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine import replies
from bot.engine.normalize import Normalizer, longest_by_first, phrases_in
from bot.engine.turn import Turn, reply
from bot.engine.types import Outcome
from bot.knowledge.smalltalk import Family, SmallTalkBook

if TYPE_CHECKING:
    from bot.engine.understanding import Understanding

ANNOUNCED_WORDS = 3  # "mau tanya tentang kehamilan": a topic named after the announcement, nothing asked yet
ASIDE_WEIGHT = 1.5  # the weight (understanding.weight) of the words beside small talk that still make it small talk


@dataclass(frozen=True, slots=True)
class Heard:
    family: Family  # the first-listed family whose phrase the message holds
    extra: tuple[str, ...]  # the message's words that are neither small talk nor filler
    loose: tuple[str, ...] = ()  # the filler words outside its phrases ("ya" in "ya, ga jadi"), names included
    closing: Family | None = None  # the first-listed family it holds that closes a flow ("makasih, ga jadi")

    @property
    def only_small_talk(self) -> bool:
        return not self.extra


class SmallTalk:
    """The small-talk phrases of one content version, normalised like messages are."""

    def __init__(self, book: SmallTalkBook, normalizer: Normalizer, names: Iterable[str] = ()) -> None:
        self._families = book.families
        self._normalizer = normalizer
        self._phrases: dict[tuple[str, ...], int] = {}
        self._symbols: list[tuple[str, int]] = []  # emoji and other phrases without words
        for rank, family in enumerate(book.families):
            for phrase in family.phrases:
                words = tuple(normalizer.words(phrase))
                if words:
                    self._phrases.setdefault(words, rank)
                else:
                    self._symbols.append((phrase, rank))
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._starts = longest_by_first(self._phrases)  # a word that starts no phrase is passed at once
        # Phrases that are small talk only as the whole message ("dah" is done, "dah 4 bulan" an age).
        self._alone = {tuple(normalizer.words(p)): rank for rank, f in enumerate(book.families) for p in f.alone}
        self._emoji = next((rank for rank, family in enumerate(book.families) if family.emoji), None)
        self._person = {words: True for p in book.handover if (words := tuple(normalizer.words(p)))}
        self._person_longest = max((len(k) for k in self._person), default=1)
        self._filler = {w for f in book.filler for w in normalizer.words(f)}
        # Names say who is addressed ("halo admin dinkes pekanbaru", "makasih tanyasehat"): filler too.
        self._names = {w for name in names for w in normalizer.words(name)}
        self._filler.update(self._names)

    def hear(self, text: str) -> Heard | None:
        """The small talk in a message, and what else it says; None when it holds none."""
        words = self._normalizer.words(text)
        ranks = [rank for symbol, rank in self._symbols if symbol in text]
        extra: list[str] = []
        loose: list[str] = []
        for rank, found in phrases_in(words, self._phrases, self._longest, self._starts):
            if rank is not None:
                ranks.append(rank)
            else:
                (loose if found[0] in self._filler else extra).append(found[0])
        if not extra and loose and self._alone:
            runs = _runs(loose)
            ranks += [rank for found, rank in self._alone.items() if found in runs]  # "udah kak"
        if not ranks and not words and self._emoji is not None and _emoji_only(text):
            ranks = [self._emoji]  # "🤗", "👏👏": no family lists them, and they ask nothing
        if not ranks:
            return None
        closing = next((self._families[r] for r in sorted(ranks) if self._families[r].closes), None)
        return Heard(self._families[min(ranks)], tuple(extra), tuple(loose), closing)

    def asks_for_a_person(self, text: str, understanding: Understanding) -> bool:
        """A person asked for in the content's everyday words (smalltalk.yaml `handover`), with nothing beside them
        but small talk and words that carry no meaning ("tak paham ambo, ado pegawai yg boleh tolong?")."""
        if not self._person:
            return False
        rest: list[str] = []
        asked = False
        for found, run in phrases_in(self._normalizer.words(text), self._person, self._person_longest):
            asked = asked or bool(found)
            if not found:
                rest.append(run[0])
        if not asked:
            return False
        heard = self.hear(" ".join(rest)) if rest else None
        said = heard.extra if heard is not None else [w for w in rest if w not in self._filler]
        return not said or not understanding.keys(" ".join(said))

    def closes(self, heard: Heard, usable: Collection[str]) -> Family | None:
        """The family that ends an open flow: a message of small talk alone that backs out or leaves ("ga jadi",
        "oke deh nanti aja", "makasih, wassalam"), with no word outside its phrases a step could read: no name
        (a kelurahan, an office: "tarai bangun" is an answer) and none of `usable` (the yes/no words: "ya")."""
        if heard.closing is None or heard.extra:
            return None
        if any(w in self._names or w in usable for w in heard.loose):
            return None
        return heard.closing


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    """Every run of consecutive words."""
    return {tuple(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _emoji_only(text: str) -> bool:
    """A message of pictographs alone (skin tones and joiners aside): no letter, digit or punctuation mark."""
    marks = [c for c in text if not c.isspace()]
    return any(unicodedata.category(c) == "So" for c in marks) and all(
        unicodedata.category(c) in _EMOJI_PARTS for c in marks
    )


_EMOJI_PARTS = frozenset({"So", "Sk", "Mn", "Cf", "Me"})  # pictographs, skin tones, variation selectors, joiners


# A clause that requests, though it holds no question word ("rekomendasi bakso enak dong"): not a clause that tells.
_REQUEST = re.compile(r"\b(?:dong|donk|please|pls|plz|mohon|rekomendasi|recommend|suggest|saran)\b")


def only(understanding: Understanding, heard: Heard) -> bool:
    """Small talk and nothing else: the other words are filler or carry no meaning ("oke nanti saya ke sana")."""
    return heard.only_small_talk or not understanding.keys(" ".join(heard.extra))


def aside(understanding: Understanding, text: str, heard: Heard) -> bool:
    """A thank-you or an acknowledgement with a few words beside it that ask nothing ("terima kasih atas
    pelayanannya", "makasih, sangat bermanfaat"): small talk, even when those words alone match an entry.
    So is a question about the bot beside clauses that only tell ("ini siapa ya? kok nomor ini kirim info
    kesehatan"): its question is the only one asked."""
    if heard.family.asks and told_beside(understanding, text, asking=True):
        return True
    if (
        heard.family.announces
        or "?" in text
        or any(w in understanding.aside_question_words or w.isdigit() for w in heard.extra)
    ):
        return False
    return _few(understanding, text, heard)


def mostly(understanding: Understanding, text: str, heard: Heard) -> bool:
    """Small talk the matcher found no question in: better answered as small talk than with "I cannot answer
    that". A few words beside it (`_few`), clauses that only tell (`told_beside`), or a question announced
    and not asked ("Bismillah, mau tanya tentang kehamilan": "Bisa, silakan ketik pertanyaan Anda")."""
    if heard.family.announces:
        return _few(understanding, text, heard) or (
            "?" not in text
            and len(heard.extra) <= ANNOUNCED_WORDS
            and not set(heard.extra) & understanding.question_words
            and bool(understanding.topics_named(text))  # "kak bisa bantu buat cv lamaran kerja" is declined
        )
    return _few(understanding, text, heard) or told_beside(understanding, text)


def _few(understanding: Understanding, text: str, heard: Heard) -> bool:
    """Small talk with a few words the bot cannot read ("oke saya coba"). A greeting with words after it is a
    question (a fallback says so), and words that weigh more than a short aside ("makasih, btw skor bola tadi
    malam?") are a question too."""
    if heard.family.intent == "greeting" or understanding.topics_named(text):
        return False
    said = " ".join(heard.extra)
    if asks(understanding, heard):
        return False  # "oh yaudh, klo posyandu bulan ini kpn?": the dialogue reads the question without the "oh yaudh"
    return understanding.weight(said) <= ASIDE_WEIGHT


def told_beside(understanding: Understanding, text: str, asking: bool = False) -> bool:
    """Small talk in clauses of its own, the other clauses telling and asking nothing: no question mark, no question
    word, no wish ("ini nomor apa ya, tiba2 ada yg share di grup wa rt", "makasih min, tadi sy udh ke puskesmas,
    pelayanannya ramah"). A greeting's clause alone is no small talk of the message: what follows it may be a
    question told as a story. With `asking`, a clause must ask about the bot (a family that `asks`)."""
    from bot.engine import story  # here: story.py imports understanding.py, which imports this module
    from bot.engine.followup_reading import WANTS

    parts = story.clauses(text)
    if len(parts) < 2 or len(" ".join(parts).split()) < len(text.split()):
        return False  # one clause, or a clause too long to read (story.MAX_CLAUSE_WORDS) left out
    chatting = False
    for part in parts:
        heard = understanding.smalltalk.hear(part)
        if heard is not None and only(understanding, heard):
            family = heard.family
            chatting = chatting or (family.asks if asking else family.intent != "greeting")
            continue
        norm = understanding.normalize(part)
        if (
            "?" in part
            or any(w in understanding.question_words for w in norm.split())
            or WANTS.search(norm)
            or _REQUEST.search(norm)
        ):
            return False
    return chatting


def asks(understanding: Understanding, heard: Heard) -> bool:
    """Whether the words beside the small talk ask a question the bot answers on their own: a question word, and
    read alone they match an entry confidently ("kalau posyandu kapan"). "gimana cara pake bot ini?" asks what the
    bot is (small talk), "oke, kapan2 ya" asks nothing. Only a message the matcher declined comes here."""
    from bot.engine.understanding import CONFIDENT  # here: understanding.py imports this module

    if not set(heard.extra) & understanding.question_words:
        return False
    best = understanding.match(" ".join(heard.extra), limit=1)
    return bool(best) and best[0].score >= CONFIDENT


def answer(turn: Turn, family: Family) -> Outcome:
    """The family's short answer; greetings come with the main menu, a thank-you with nothing more."""
    office = turn.content.office
    text = family.answer.get(turn.lang).format(office=office.name, emergency=office.emergency_number)
    if family.intent == "greeting":
        # A language the content has no greeting in (a new catalogue) still gets a greeting in that language.
        return replies.menu(turn, intent="greeting", greet=True, hello=text if family.answer.has(turn.lang) else "")
    if family.menu:
        return replies.menu(turn, intent=family.intent, note=text)
    return turn.outcome(family.intent, reply(text))
