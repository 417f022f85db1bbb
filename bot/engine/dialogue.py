"""The dialogue: turns one Inbound into an Outcome. This is where every answer is decided.

Order of precedence, top wins:
1. something we cannot read (photo, voice...) -> ask for text;
2. danger signs -> 119 and emergency care, whatever else is going on;
3. a button (or its typed equivalent: "2", "ya") -> the feature that offered it;
4. "menu"/"batal"/commands -> leave any flow;
5. a shared location -> the feature that takes locations;
6. an open guided flow -> that feature's next step (small talk it did not take is answered as such;
   small talk alone that backs out or leaves, "ga jadi", "nanti aja", a goodbye, ends the flow first;
   a question it could not read that the conversation's context reads is answered as that follow-up);
7. small talk alone ("makasih kak 🙏", "pagi min") -> a short answer from content/smalltalk.yaml;
8. a short follow-up ("yang 9 bulan?") -> read against the conversation's context (followup.py);
9. understanding the text -> an answer, "Maksud Anda...?", or an honest fallback.

The wording of the dialogue's own replies (menu, help, fallback, emergency...) is in
replies.py; input sanitising in readable.py; step 6 in open_flow.py; the language a turn
is answered in, in answer_language.py.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from weakref import WeakValueDictionary

from bot.engine import (
    answer_language,
    answers,
    context,
    followup,
    langdetect,
    open_flow,
    replies,
    shopping,
    smalltalk,
    story,
    story_answer,
    topic_gate,
    topic_net,
)
from bot.engine.feature import Feature, Handler
from bot.engine.features import FEATURES, feedback, handover
from bot.engine.features.health_info import answer_reply
from bot.engine.followup_reading import WANTS
from bot.engine.offices import choose as choose_office
from bot.engine.readable import readable, readable_text
from bot.engine.semantic import SemanticStage
from bot.engine.state import ConversationState, StateConflict, load_state, save_state
from bot.engine.turn import Turn
from bot.engine.types import Inbound, Outcome
from bot.engine.understanding import CONFIDENT, TORN_GAP, UNSURE, understanding_for
from bot.knowledge.content import Content
from bot.knowledge.offices import Offices
from bot.storage.db import Database

log = logging.getLogger(__name__)

HOSPITALS = "rumah_sakit"  # the content entry that lists the hospitals with an IGD
_HOSPITAL = re.compile(r"\b(?:rumah sakit|hospitals?)\b")  # normalised: "rs", "rsud" are "rumah sakit"
LIKELY = 0.3  # below UNSURE, a topic the question came this close to is offered first on the fallback
LIKELY_SHOWN = 2
UNANSWERED = followup.UNANSWERED  # a message read without its small talk may yet be answered
STATE_ATTEMPTS = 5  # another process answering the same user at the same moment: redo the turn on its state

MENU_WORDS = {
    "menu",
    "/menu",
    "batal",
    "kembali",
    "/batal",
    "menu utama",
    "mulai lagi",
    "cancel",
    "/cancel",
    "main menu",
    "back",
}
START_WORDS = {"/start", "start", "mulai"}
HELP_WORDS = {"/bantuan", "/help", "bantuan", "help"}
# The reserved intent `unsubscribe`: wins over any open flow, so "berhenti" always stops every message we start.
STOP_WORDS = {"berhenti", "stop", "unsubscribe", "/berhenti", "/stop", "/unsubscribe"}
GREETINGS = {
    "halo", "hallo", "hai", "hi", "hello", "helo", "hey", "pagi", "siang", "sore", "malam",
    "selamat pagi", "selamat siang", "selamat sore", "selamat malam", "assalamualaikum",
    "assalamu alaikum", "permisi", "salam", "good morning", "halo kak", "hai kak", "halo min",
}  # fmt: skip


class Dialogue:
    def __init__(
        self,
        content: Callable[[], Content],
        db: Database,
        features: Sequence[Feature] = FEATURES,
        after_turn: Callable[[Turn, Outcome], Awaitable[None]] | None = None,
        *,
        pseudonym_secret: bytes,
        offices: Callable[[], Offices] | None = None,
        semantic: SemanticStage | None = None,
    ) -> None:
        self._content = content
        self._semantic = semantic  # the optional second stage by sentence embedding (semantic.py)
        self._offices = offices  # several offices (CONTENT_DIRS); None: `content` is the only one
        self._secret = pseudonym_secret  # conversation state is keyed by the user's pseudonym
        self._after_turn = after_turn  # the service's hook: the query log's facts about the turn
        self.db = db
        self.features = tuple(features)
        self._not_answers = answers.not_answers(self.features)
        self._settings = frozenset().union(*(f.not_answers for f in self.features))  # a language switch, /hapusdata
        self._handlers: dict[str, Handler] = {k: v for f in self.features for k, v in f.handlers.items()}
        self._commands: dict[str, Handler] = {k: v for f in self.features for k, v in f.commands.items()}
        self._before = tuple(f.before for f in self.features if f.before is not None)
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    async def handle(self, inbound: Inbound, today: date | None = None) -> Outcome:
        """Answer one inbound for its user; the user's state is loaded and saved around it."""
        inbound = readable(inbound)
        lock = self._locks.get(inbound.user_key)
        if lock is None:
            lock = self._locks[inbound.user_key] = asyncio.Lock()
        async with lock:  # one user's messages are answered in order, never interleaved (in this process)
            attempt = 1
            while True:
                try:
                    return await self._turn(inbound, today)
                except StateConflict:  # another process saved this user's state meanwhile: answer on the fresh one
                    if attempt >= STATE_ATTEMPTS:
                        raise
                    attempt += 1

    async def _turn(self, inbound: Inbound, today: date | None) -> Outcome:
        """One attempt at a turn: load the state, decide, save it at the version loaded."""
        deployment = self._offices() if self._offices is not None else Offices.one(self._content())
        state, version = await load_state(self.db, inbound.user_key, self._secret)
        text = readable_text(inbound)
        content = choose_office(deployment, state, inbound, text.text.strip())  # the resident's office
        if not state.lang_chosen and inbound.language_hint:
            state.lang = answer_language.guess(inbound.language_hint)
        now = inbound.at.astimezone(content.office.zone)
        if today is not None:
            now = datetime.combine(today, time(9, 0), tzinfo=content.office.zone)
        understanding = understanding_for(content)
        written = langdetect.detect(text.text, understanding.place_words, keeping=state.lang)  # None keeps it too
        preferred = answer_language.answer_in(state, content, written)
        turn = Turn(inbound, content, state, now, text.text.strip(), understanding, self.db, deployment)
        outcome = await self._decide(turn)
        if outcome.intent != "emergency" and turn.text and (net := understanding.trouble(turn.text)) is not None:
            hint = understanding.net_hint(turn.text)  # self-harm told: the mental-health line after 119
            outcome = replies.with_safety_line(turn, outcome, net, hint)  # "tolong, anak saya ...": 119 first
        if outcome.intent not in self._settings:  # "english please" is no topic: the next question stands alone
            context.remember(turn, outcome)
        if text.kinds & {"nik", "phone"}:
            outcome = replies.with_privacy_warning(turn, outcome)
        outcome = feedback.follow_up(turn, answers.classified(outcome, self._not_answers))
        if self._after_turn is not None:
            await self._after_turn(turn, outcome)  # the query log notes the turn; it never changes the answer
        state.offered = [[b.payload, b.label] for r in outcome.replies for b in r.buttons]
        state.last_intent = outcome.intent
        if preferred is not None and outcome.intent != "bahasa":
            state.lang = preferred  # this message spoke another language; the /bahasa choice stays
        await save_state(self.db, inbound.user_key, self._secret, inbound.channel, state, version)
        return outcome

    async def _decide(self, turn: Turn) -> Outcome:
        inbound = turn.inbound
        if inbound.unsupported:
            return replies.unsupported(turn)
        if turn.text:
            understanding = turn.understanding
            sign = understanding.danger_rules(turn.text)
            if sign is None and (told := context.danger_text(turn)) is not None:
                sign = understanding.danger_rules(told)  # "pandangannya kabur" after a pregnancy question
            if sign is None:  # no sign, even in context: the learned net's own answer when it is sure
                sign = understanding.danger(turn.text)
            if sign is not None and not (sign.hospitals_first and self._asks_for_hospitals(turn)):
                turn.state.leave()
                await handover.noticed_danger(turn)  # an officer holding the chat sees it too
                return replies.emergency(turn, sign, self._emergency_lines(turn))
        if turn.text.lower().rstrip(".!") in STOP_WORDS and "reminders.unsubscribe" in self._handlers:
            return await _must(self._handlers["reminders.unsubscribe"](turn))
        for look_first in self._before:
            first = await look_first(turn)
            if first is not None:
                return first
        payload = inbound.payload or self._typed_choice(turn)
        if payload:
            return await self._on_payload(turn, payload)
        word = turn.norm
        if turn.text.lower() in START_WORDS or word in START_WORDS:
            turn.state.leave()
            return replies.menu(turn, intent="greeting", greet=True)
        if word in MENU_WORDS or turn.text.lower() in MENU_WORDS:
            turn.state.leave()
            return replies.menu(turn)
        if turn.text.lower() in HELP_WORDS:
            return replies.help_text(turn)
        # A slash command always means the user wants that, whatever step they were in.
        command = turn.text.split()[0].lower().split("@")[0] if turn.text.startswith("/") else ""
        if command in self._commands:
            turn.state.leave()
            return await _must(self._commands[command](turn))
        if inbound.location is not None:
            for feature in self.features:
                if feature.on_location is not None:
                    return await _must(feature.on_location(turn))
            return replies.fallback(turn)
        heard = turn.understanding.smalltalk.hear(turn.text) if turn.text else None
        chatting = heard is not None and smalltalk.only(turn.understanding, heard)
        if (
            chatting
            and heard is not None
            and heard.extra
            and heard.family.intent == "greeting"
            and context.current(turn)
        ):
            chatting = False  # "tesnya gimana untuk anak?" after TBC: a "tes" with words beside it asks the thread
        if chatting and heard is not None and heard.family.closes and "?" in turn.text and context.current(turn):
            chatting = False  # "itu aja?", "tu je?" after a list of documents asks whether that is all
        if (
            chatting
            and heard is not None
            and set(heard.extra) & turn.understanding.question_words
            and context.current(turn)
        ):
            chatting = False  # "yg bagus apa aja" after the first foods: a question of the thread, not a compliment
        if turn.state.flow:  # back out, the open step's answer, or a question it cannot read (open_flow.py)
            in_flow = await open_flow.answer(turn, self.features, heard, chatting, self.run_intent)
            if in_flow is not None:
                return in_flow
        if not turn.text:
            return replies.empty(turn)
        if heard is not None and (chatting or smalltalk.aside(turn.understanding, turn.text, heard)):
            # "ok ditunggu ya", "oke deh nanti saya telepon": an acknowledgement, not a follow-up question
            return smalltalk.answer(turn, heard.family)
        if word in GREETINGS:
            return replies.menu(turn, intent="greeting", greet=True)
        pending = context.current(turn).get("next")
        if (
            isinstance(pending, list)
            and len(pending) == 2
            and story.asks_the_other(turn.understanding, turn.text, str(pending[0]), str(pending[1]), turn.lang)
        ):
            return await self._on_payload(turn, story.NEXT)  # "yg soal adiknya tadi gmn?": the story's other question
        if shopping.asks_a_shop(turn.content.language, turn.text) and not story.is_story(turn.text):
            return replies.fallback(turn)  # "beli obat darah tinggi online": a shop's question (shopping.py)
        followed = followup.resolve(turn)
        if followed is not None:
            log.debug("follow-up read as %r (%s) %s", followed.text, followed.why, followed.intent)
            if followed.intent:
                return await self.run_intent(replace(turn, text=followed.text), followed.intent, followed.score)
            return await self._understand(replace(turn, text=followed.text))
        outcome = await self._understand(turn, follow_up=True)
        if (
            outcome.intent == "fallback"
            and heard is not None
            and smalltalk.mostly(turn.understanding, turn.text, heard)
        ):
            return smalltalk.answer(turn, heard.family)  # "oke saya coba", "alhamdulillah sudah sembuh"
        if outcome.intent in UNANSWERED and heard is not None and _before_question(turn, heard):
            # "oh gt, mau liat jadwal imunisasi bayi dong": the acknowledgement's words diluted the question after it
            said = await self._understand(replace(turn, text=" ".join(heard.extra)))
            if said.intent not in UNANSWERED:
                return said
        return outcome

    async def _understand(self, turn: Turn, follow_up: bool = False) -> Outcome:
        long = story.is_story(turn.text)
        # The second opinion only for a short message that opens a conversation: in one, a short message
        # may lean on what was said ("boleh dipencet?"), and a story is read clause by clause.
        fresh = follow_up and not long and not context.current(turn)
        matches = turn.understanding.match(turn.text, turn.lang, second=fresh)
        if long:
            told = await story_answer.answer(turn, matches, self._settings, self.run_intent)
            if told is not None:
                return told
        if (
            follow_up
            and not long
            and matches
            and matches[0].score >= CONFIDENT
            and followup.after_unanswered(turn, matches[0])
        ):
            # "hrs bawa dokumen apa" after a question the bot asked back about: it leans on what nobody understood
            top = turn.content.intents.get(matches[0].intent_id)
            return replies.clarify(turn, [top] if top else [], matches[0].score)
        in_hand = followup.in_hand(turn, matches) if follow_up and matches and matches[0].score >= CONFIDENT else None
        if in_hand is not None:  # "obatnya di puskesmas?" after blood pressure: ask
            top = turn.content.intents.get(matches[0].intent_id)
            return replies.clarify(turn, [in_hand, *([top] if top else [])], matches[0].score)
        sure = bool(matches) and matches[0].score >= CONFIDENT
        # A confident score carried by words every topic uses ("bayar ga?") is asked about, not answered. The learned
        # opinion is read once, where it is asked (a pick below its FLOOR it never answers: most fallbacks skip it)
        opinion = functools.cache(lambda: topic_gate.opinion(turn) if matches else None)
        if (
            sure
            and not turn.understanding.torn(matches)
            and turn.understanding.names(turn.text, matches[0].intent_id, matches[0].score)
        ):
            doubted = topic_gate.doubted(turn, matches[0].intent_id, matches[0].score, opinion())
            if doubted is not None:
                return doubted
            return await self.run_intent(turn, matches[0].intent_id, matches[0].score)
        if story.is_told_beside(turn.text) and matches:  # "posbindu itu apaan sih? bapak sy darah tinggi"
            asked = story.beside(turn.understanding, turn.text, matches, turn.lang)
            if asked is not None:  # the clause that asks, answered with every fact the message gives
                doubted = topic_gate.doubted(turn, asked.intent_id, asked.score, opinion())
                if doubted is not None:
                    return doubted
                return await self.run_intent(turn, asked.intent_id, asked.score)
        if (
            matches
            and matches[0].score >= topic_net.FLOOR
            and topic_net.agrees(opinion(), matches[0].intent_id, matches[0].score)
        ):  # unsure, but the learned opinion is sure
            return await self.run_intent(turn, matches[0].intent_id, CONFIDENT)
        if self._semantic is not None and not long:  # unsure: the semantic stage may know the paraphrase
            near = await self._semantic.answer(turn.content, turn.text, matches)
            if near is not None:
                return await self.run_intent(turn, near.intent_id, CONFIDENT)
        # Torn between topics: the close ones are offered; else those above UNSURE.
        floor = min(UNSURE, matches[0].score - TORN_GAP) if sure else UNSURE
        unsure = [m for m in matches if m.score >= floor]
        if unsure:
            candidates = [turn.content.intents.get(m.intent_id) for m in unsure[:3]]
            return replies.clarify(turn, [c for c in candidates if c is not None], unsure[0].score)
        likely = [turn.content.intents.get(m.intent_id) for m in matches[:LIKELY_SHOWN] if m.score >= LIKELY]
        return replies.fallback(turn, matches[0].score if matches else 0.0, [i for i in likely if i is not None])

    async def run_intent(self, turn: Turn, intent_id: str, confidence: float = 1.0) -> Outcome:
        """Answer an intent from the content: its FAQ text, or its handler in code."""
        intent = turn.content.intents.get(intent_id)
        if intent is None:
            return replies.fallback(turn)
        if intent.answer is not None:
            turn.state.leave()
            return turn.outcome(intent.id, answer_reply(turn, intent), confidence=confidence)
        handler = self._handlers.get(intent.handler or "")
        if handler is None:
            log.error("intent %s names unknown handler %s", intent.id, intent.handler)
            return replies.fallback(turn)
        turn.state.leave()
        outcome = await _must(handler(turn))
        if outcome.confidence == 1.0 and confidence != 1.0:
            outcome = replace(outcome, confidence=confidence)
        return outcome

    async def _on_payload(self, turn: Turn, payload: str) -> Outcome:
        if payload == "menu":
            turn.state.leave()
            return replies.menu(turn)
        if payload.startswith("intent:"):
            return await self.run_intent(turn, payload.removeprefix("intent:"))
        if payload == story.NEXT:
            pending = context.take_next(turn)
            if pending is None:
                return replies.stale_button(turn)
            text, intent_id = pending
            return await self.run_intent(replace(turn, text=text), intent_id)
        prefix = payload.split(":", 1)[0]
        for feature in self.features:
            if feature.payload_prefix == prefix and feature.on_payload is not None:
                return await _must(feature.on_payload(_with_payload(turn, payload)))
        return replies.stale_button(turn)

    def _typed_choice(self, turn: Turn) -> str | None:
        """Typed '2' or a button's label counts as pressing that button."""
        if not turn.state.offered or not turn.text:
            return None
        typed = turn.norm
        if typed.isdigit():
            index = int(typed) - 1
            if 0 <= index < len(turn.state.offered):
                return turn.state.offered[index][0]
            return None
        for payload, label in turn.state.offered:
            if turn.understanding.normalize(label) == typed:
                return payload
        return None

    def _asks_for_hospitals(self, turn: Turn) -> bool:
        """ "IGD RSUD Madani di mana?" asks about a hospital and describes no emergency (no medical sign
        matched, the help sign says `hospitals_first`): the hospital answer lists the IGDs and the emergency
        number, which is what was asked. "IGD" alone, "nomor IGD", "IGD terdekat" get 119 first and the IGDs."""
        if not _HOSPITAL.search(turn.norm):
            return False
        matches = turn.understanding.match(turn.text, turn.lang, limit=1)
        return bool(matches) and matches[0].intent_id == HOSPITALS and matches[0].score >= CONFIDENT

    def _emergency_lines(self, turn: Turn) -> list[str]:
        lines: list[str] = []
        for feature in self.features:
            if feature.emergency_lines is not None:
                try:
                    lines.extend(feature.emergency_lines(turn))
                except Exception:  # the emergency answer must go out even if a helper fails
                    log.exception("emergency lines of %s failed", feature.name)
        return lines


def _before_question(turn: Turn, heard: smalltalk.Heard) -> bool:
    """Whether small talk opens a short message whose other words ask something ("oh gt, mau liat jadwal imunisasi
    dong", "oh hari ini? puskesmas buka sampe jam brp"): a question mark, a question word or a wish among them. Not a
    phrase that announces a question ("mau tanya tentang kehamilan" is answered as such), nor a wish told as a
    blessing ("semoga petugas sehat selalu"); a story reads its small talk as a clause of its own."""
    if not heard.extra or heard.family.announces or story.is_story(turn.text):
        return False
    return (
        "?" in turn.text
        or bool(set(heard.extra) & turn.understanding.question_words)
        or WANTS.search(" ".join(heard.extra)) is not None
    )


async def _must(result: object) -> Outcome:
    outcome = await result if asyncio.iscoroutine(result) else result
    if not isinstance(outcome, Outcome):
        raise TypeError("a feature handler returned no Outcome where one is required")
    return outcome


def _with_payload(turn: Turn, payload: str) -> Turn:
    if turn.inbound.payload == payload:
        return turn
    return replace(turn, inbound=replace(turn.inbound, payload=payload))


__all__ = ["ConversationState", "Dialogue"]
