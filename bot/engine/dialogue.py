"""The dialogue: turns one Inbound into an Outcome. This is where every answer is decided.

Order of precedence, top wins:
1. something we cannot read (photo, voice...) -> ask for text;
2. danger signs -> 119 and emergency care, whatever else is going on;
3. a button (or its typed equivalent: "2", "ya") -> the feature that offered it;
4. "menu"/"batal"/commands -> leave any flow;
5. a shared location -> the feature that takes locations;
6. an open guided flow -> that feature's next step;
7. understanding the text -> an answer, "Maksud Anda...?", or an honest fallback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, time
from weakref import WeakValueDictionary

from bot.engine.feature import Feature, Handler
from bot.engine.features import FEATURES
from bot.engine.features.health_info import answer_reply
from bot.engine.state import ConversationState
from bot.engine.turn import Turn, reply
from bot.engine.types import Button, Inbound, Outcome
from bot.engine.understanding import CONFIDENT, UNSURE, understanding_for
from bot.i18n import DEFAULT_LANG, available_languages
from bot.knowledge.content import Content
from bot.knowledge.danger import DangerSign
from bot.privacy import redact
from bot.storage import conversations
from bot.storage.db import Database

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # longer messages are read up to here: enough for any real question
MENU_INTENTS = ("imunisasi", "puskesmas", "uhc", "info_kesehatan", "pengingat")
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
        after_turn: Callable[[Turn, Outcome], Awaitable[Outcome]] | None = None,
    ) -> None:
        self._content = content
        self._after_turn = after_turn  # the service's hook: query-log facts and the feedback prompt
        self.db = db
        self.features = tuple(features)
        self._handlers: dict[str, Handler] = {k: v for f in self.features for k, v in f.handlers.items()}
        self._commands: dict[str, Handler] = {k: v for f in self.features for k, v in f.commands.items()}
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    async def handle(self, inbound: Inbound, today: date | None = None) -> Outcome:
        """Answer one inbound for its user; the user's state is loaded and saved around it."""
        inbound = _readable(inbound)
        lock = self._locks.get(inbound.user_key)
        if lock is None:
            lock = self._locks[inbound.user_key] = asyncio.Lock()
        async with lock:  # one user's messages are answered in order, never interleaved
            content = self._content()
            state = await conversations.load_state(self.db, inbound.user_key)
            if not state.lang_chosen and inbound.language_hint:
                state.lang = _guess_lang(inbound.language_hint)
            now = inbound.at.astimezone(content.office.zone)
            if today is not None:
                now = datetime.combine(today, time(9, 0), tzinfo=content.office.zone)
            text = redact((inbound.text or "")[:MAX_TEXT])
            turn = Turn(inbound, content, state, now, text.text.strip(), understanding_for(content), self.db)
            outcome = await self._decide(turn)
            if self._after_turn is not None:
                outcome = await self._after_turn(turn, outcome)
            if text.kinds & {"nik", "phone"}:
                outcome = _with_privacy_warning(turn, outcome)
            state.offered = [[b.payload, b.label] for r in outcome.replies for b in r.buttons]
            state.last_intent = outcome.intent
            await conversations.save_state(self.db, inbound.user_key, inbound.channel, state)
            return outcome

    async def _decide(self, turn: Turn) -> Outcome:
        inbound = turn.inbound
        if inbound.unsupported:
            return self._unsupported(turn)
        if turn.text:
            sign = turn.understanding.danger(turn.text)
            if sign is not None:
                turn.state.leave()
                return self._emergency(turn, sign)
        if turn.text.lower().rstrip(".!") in STOP_WORDS and "reminders.unsubscribe" in self._handlers:
            return await _must(self._handlers["reminders.unsubscribe"](turn))
        payload = inbound.payload or self._typed_choice(turn)
        if payload:
            return await self._on_payload(turn, payload)
        word = turn.norm
        if turn.text.lower() in START_WORDS or word in START_WORDS:
            turn.state.leave()
            return self._menu(turn, intent="greeting", greet=True)
        if word in MENU_WORDS or turn.text.lower() in MENU_WORDS:
            turn.state.leave()
            return self._menu(turn)
        if turn.text.lower() in HELP_WORDS:
            return self._help(turn)
        # A slash command always means the user wants that, whatever step they were in.
        command = turn.text.split()[0].lower().split("@")[0] if turn.text.startswith("/") else ""
        if command in self._commands:
            turn.state.leave()
            return await _must(self._commands[command](turn))
        if inbound.location is not None:
            for feature in self.features:
                if feature.on_location is not None:
                    return await _must(feature.on_location(turn))
            return self._fallback(turn)
        if turn.state.flow:
            owner = self._flow_owner(turn.state.flow)
            if owner is None or owner.on_flow is None:
                turn.state.leave()  # a flow from an older version of the bot: start afresh
            else:
                answer = await owner.on_flow(turn)
                if answer is not None:
                    return answer
        if not turn.text:
            return turn.outcome(
                "empty", reply(turn.t("Silakan ketik pertanyaan Anda, atau ketik menu.")), answered=False
            )
        if word in GREETINGS:
            return self._menu(turn, intent="greeting", greet=True)
        return await self._understand(turn)

    async def _understand(self, turn: Turn) -> Outcome:
        matches = turn.understanding.match(turn.text, turn.lang)
        if matches and matches[0].score >= CONFIDENT:
            return await self.run_intent(turn, matches[0].intent_id, matches[0].score)
        unsure = [m for m in matches if m.score >= UNSURE]
        if unsure:
            buttons = []
            for m in unsure[:3]:
                intent = turn.content.intents.get(m.intent_id)
                if intent is not None:
                    buttons.append(Button(f"intent:{intent.id}", intent.title.get(turn.lang)))
            buttons.append(Button("menu", turn.t("Menu utama")))
            text = turn.t("Maaf, saya belum yakin maksud Anda. Apakah maksud Anda salah satu dari ini?")
            return turn.outcome("clarify", reply(text, buttons), confidence=unsure[0].score, answered=False)
        return self._fallback(turn, matches[0].score if matches else 0.0)

    async def run_intent(self, turn: Turn, intent_id: str, confidence: float = 1.0) -> Outcome:
        """Answer an intent from the content: its FAQ text, or its handler in code."""
        intent = turn.content.intents.get(intent_id)
        if intent is None:
            return self._fallback(turn)
        if intent.answer is not None:
            turn.state.leave()
            return turn.outcome(intent.id, answer_reply(turn, intent), confidence=confidence)
        handler = self._handlers.get(intent.handler or "")
        if handler is None:
            log.error("intent %s names unknown handler %s", intent.id, intent.handler)
            return self._fallback(turn)
        turn.state.leave()
        outcome = await _must(handler(turn))
        if outcome.confidence == 1.0 and confidence != 1.0:
            outcome = Outcome(outcome.intent, outcome.replies, confidence, outcome.answered)
        return outcome

    async def _on_payload(self, turn: Turn, payload: str) -> Outcome:
        if payload == "menu":
            turn.state.leave()
            return self._menu(turn)
        if payload.startswith("intent:"):
            return await self.run_intent(turn, payload.removeprefix("intent:"))
        prefix = payload.split(":", 1)[0]
        for feature in self.features:
            if feature.payload_prefix == prefix and feature.on_payload is not None:
                return await _must(feature.on_payload(_with_payload(turn, payload)))
        # A button from an old message whose meaning is gone: say so kindly and show the menu.
        return self._menu(turn, intent="menu", note=turn.t("Maaf, tombol itu sudah tidak berlaku."))

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

    def _flow_owner(self, flow: str) -> Feature | None:
        return next((f for f in self.features if f.flow == flow), None)

    def _menu(self, turn: Turn, intent: str = "menu", greet: bool = False, note: str = "") -> Outcome:
        office = turn.content.office
        buttons = []
        for intent_id in MENU_INTENTS:
            entry = turn.content.intents.get(intent_id)
            if entry is not None:
                buttons.append(Button(f"intent:{entry.id}", entry.title.get(turn.lang)))
        lines = []
        if note:
            lines.append(note)
        if greet:
            lines.append(turn.t("Halo! Saya TanyaSehat, asisten informasi {office}.", office=office.name))
        lines.append(turn.t("Silakan pilih topik di bawah ini, atau ketik pertanyaan Anda."))
        if greet:
            lines.append(turn.t("Dalam keadaan darurat, segera telepon {number}.", number=office.emergency_number))
        return turn.outcome(intent, reply("\n".join(lines), buttons))

    def _help(self, turn: Turn) -> Outcome:
        text = turn.t(
            "Saya bisa membantu soal jadwal imunisasi anak, puskesmas terdekat, layanan JKN gratis (UHC), "
            "dan info program kesehatan.\n\n"
            'Ketik pertanyaan Anda dengan bahasa sehari-hari, misalnya: "imunisasi bayi 2 bulan apa saja?"\n'
            "Ketik menu untuk kembali ke menu utama. Ketik /hapusdata untuk menghapus data Anda."
        )
        return turn.outcome("help", reply(text, [Button("menu", turn.t("Menu utama"))]))

    def _fallback(self, turn: Turn, confidence: float = 0.0) -> Outcome:
        office = turn.content.office
        lines = [turn.t("Maaf, saya belum bisa menjawab pertanyaan itu.")]
        if office.hotline:
            lines.append(
                turn.t(
                    "Anda bisa menghubungi petugas {office} di {hotline} ({hours}).",
                    office=office.name,
                    hotline=office.hotline,
                    hours=office.hours.get(turn.lang),
                )
            )
        else:
            lines.append(
                turn.t("Anda bisa bertanya langsung ke puskesmas terdekat atau ke {office}.", office=office.name)
            )
        lines.append(turn.t("Atau pilih topik di menu:"))
        return turn.outcome(
            "fallback",
            reply("\n".join(lines), self._menu(turn).replies[0].buttons),
            confidence=confidence,
            answered=False,
        )

    def _unsupported(self, turn: Turn) -> Outcome:
        text = turn.t("Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pertanyaan Anda, ya.")
        return turn.outcome("unsupported", reply(text, [Button("menu", turn.t("Menu utama"))]), answered=False)

    def _emergency(self, turn: Turn, sign: DangerSign) -> Outcome:
        office = turn.content.office
        lines = [
            turn.t(
                "⚠️ Ini bisa keadaan darurat. Segera telepon {number} (gratis, 24 jam) atau bawa ke IGD rumah sakit terdekat sekarang.",
                number=office.emergency_number,
            )
        ]
        if sign.kind == "mental":
            lines.append(turn.t("Layanan dukungan kesehatan jiwa: {line}.", line=office.mental_health_line))
        if sign.advice.get(turn.lang):
            lines.append(sign.advice.get(turn.lang))
        for feature in self.features:
            if feature.emergency_lines is not None:
                try:
                    lines.extend(feature.emergency_lines(turn))
                except Exception:  # the emergency answer must go out even if a helper fails
                    log.exception("emergency lines of %s failed", feature.name)
        lines.append(turn.t("Saya bukan pengganti petugas kesehatan. Jangan menunggu balasan chat ini."))
        return turn.outcome("emergency", reply("\n\n".join(lines)))


async def _must(result: object) -> Outcome:
    outcome = await result if asyncio.iscoroutine(result) else result
    if not isinstance(outcome, Outcome):
        raise TypeError("a feature handler returned no Outcome where one is required")
    return outcome


def _with_payload(turn: Turn, payload: str) -> Turn:
    if turn.inbound.payload == payload:
        return turn
    from dataclasses import replace

    return replace(turn, inbound=replace(turn.inbound, payload=payload))


def _readable(inbound: Inbound) -> Inbound:
    """Whatever a channel let through, the engine gets well-typed values or the "cannot read this" answer."""
    from dataclasses import replace

    fixes: dict[str, object] = {}
    if not isinstance(inbound.at, datetime) or inbound.at.tzinfo is None:
        fixes["at"] = datetime.now(UTC)
    if inbound.language_hint is not None and not isinstance(inbound.language_hint, str):
        fixes["language_hint"] = None
    loc = inbound.location
    # Numbers out of range are still a location (the location feature answers them kindly); other types are not.
    bad_location = loc is not None and not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (loc.lat, loc.lon)
    )
    bad_text = inbound.text is not None and not isinstance(inbound.text, str)
    bad_payload = inbound.payload is not None and not isinstance(inbound.payload, str)
    if bad_location or bad_text or bad_payload:
        fixes.update(text=None, payload=None, location=None, unsupported=inbound.unsupported or "unknown")
    return replace(inbound, **fixes) if fixes else inbound  # type: ignore[arg-type]


def _guess_lang(hint: str) -> str:
    """Telegram's language_code ("en-GB", "jv", "ms") as a first guess, if we have that language; else Indonesian."""
    base = hint.strip().lower().replace("_", "-").split("-")[0]
    return base if base in available_languages() else DEFAULT_LANG


def _with_privacy_warning(turn: Turn, outcome: Outcome) -> Outcome:
    warning = reply(
        turn.t(
            "🔒 Demi keamanan, jangan kirim NIK atau nomor telepon di chat ini. "
            "Kami tidak menyimpannya dan tidak pernah memintanya."
        )
    )
    return Outcome(outcome.intent, (warning, *outcome.replies), outcome.confidence, outcome.answered)


__all__ = ["ConversationState", "Dialogue"]
