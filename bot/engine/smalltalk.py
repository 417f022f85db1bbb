"""Small talk: recognising a greeting, a thank-you or a goodbye, and answering it briefly.

The phrases and answers are content (content/smalltalk.yaml). A message is small talk when,
after normalising, every word is a small-talk phrase or a filler word ("makasih banyak kak 🙏").
A message that also holds a question ("halo kak, mau tanya jadwal imunisasi") is not small
talk: the question is answered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine import replies
from bot.engine.normalize import Normalizer, phrases_in
from bot.engine.turn import Turn, reply
from bot.engine.types import Outcome
from bot.knowledge.smalltalk import Family, SmallTalkBook

if TYPE_CHECKING:
    from bot.engine.understanding import Understanding

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
        for rank, found in phrases_in(words, self._phrases, self._longest):
            if rank is not None:
                ranks.append(rank)
            else:
                (loose if found[0] in self._filler else extra).append(found[0])
        if not ranks:
            return None
        closing = next((self._families[r] for r in sorted(ranks) if self._families[r].closes), None)
        return Heard(self._families[min(ranks)], tuple(extra), tuple(loose), closing)

    def closes(self, heard: Heard, usable: Collection[str]) -> Family | None:
        """The family that ends an open flow: a message of small talk alone that backs out or leaves ("ga jadi",
        "oke deh nanti aja", "makasih, wassalam"), with no word outside its phrases a step could read: no name
        (a kelurahan, an office: "tarai bangun" is an answer) and none of `usable` (the yes/no words: "ya")."""
        if heard.closing is None or heard.extra:
            return None
        if any(w in self._names or w in usable for w in heard.loose):
            return None
        return heard.closing


def only(understanding: Understanding, heard: Heard) -> bool:
    """Small talk and nothing else: the other words are filler or carry no meaning ("oke nanti saya ke sana")."""
    return heard.only_small_talk or not understanding.keys(" ".join(heard.extra))


def aside(understanding: Understanding, text: str, heard: Heard) -> bool:
    """A thank-you or an acknowledgement with a few words beside it that ask nothing ("terima kasih atas
    pelayanannya", "makasih, sangat bermanfaat"): small talk, even when those words alone match an entry."""
    if (
        heard.family.announces
        or "?" in text
        or any(w in understanding.aside_question_words or w.isdigit() for w in heard.extra)
    ):
        return False
    return mostly(understanding, text, heard)


def mostly(understanding: Understanding, text: str, heard: Heard) -> bool:
    """Small talk with a few words the bot cannot read ("oke saya coba"): better answered as small talk than
    with "I cannot answer that". A greeting with words after it is a question (a fallback says so), and
    words that weigh more than a short aside ("makasih, btw skor bola tadi malam?") are a question too."""
    if heard.family.intent == "greeting" or understanding.topics_named(text):
        return False
    said = " ".join(heard.extra)
    if asks(understanding, heard):
        return False  # "oh yaudh, klo posyandu bulan ini kpn?": the dialogue reads the question without the "oh yaudh"
    return understanding.weight(said) <= ASIDE_WEIGHT


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
