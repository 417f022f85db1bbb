"""A person at the office: the resident asks for one (reserved intent `handover`), an officer answers.

"mau bicara dengan petugas", "admin tolong" or the "Hubungi petugas" button after a fallback open a
handover (bot/storage/handover.py) and tell the resident what happens next: in office hours an
officer replies here; outside them, when the office opens, and that urgent problems go to 119.
While an officer holds the chat, every message goes to them and the bot stays quiet; danger signs
are checked before this feature runs, so they still get 119 at once. Officers answer, claim and
close from the dashboard (bot/web/dashboard/conversations.py); closing hands the chat back. The ways of
asking for a person are read in handover_words.py (and content/smalltalk.yaml `handover`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from bot.engine import story
from bot.engine.feature import Feature
from bot.engine.features.handover_words import ANYONE, CLAUSE, SOMEONE_NAMED, asks_for_a_person
from bot.engine.features.health_info import answer_reply
from bot.engine.replies import HANDOVER_BUTTON
from bot.engine.turn import Turn, intent_button, reply
from bot.engine.types import Button, Outcome, Reply
from bot.engine.understanding import CONFIDENT, Match
from bot.i18n import format_date, format_time, translations
from bot.knowledge.faq import Intent
from bot.storage import handover as store

INTENT = "handover"
PREFIX = HANDOVER_BUTTON.split(":", 1)[0]


async def before(turn: Turn) -> Outcome | None:
    """The resident's messages while a handover is open; a request for a person opens one."""
    if turn.state.handover:
        case = await store.current(turn.db, turn.inbound.user_key)
        if case is None:  # closed from the dashboard or by the timeout: the bot answers again
            turn.state.handover = 0
            waiting = await _awaiting(turn)
            if waiting:  # the officer's last words never reached them (WhatsApp window): now they do
                return turn.outcome(INTENT, *waiting, reply(handed_back(turn.lang)))
        else:
            return await _while_open(turn, case)
    if turn.inbound.payload == HANDOVER_BUTTON:
        return await open_handover(turn)
    if turn.text and (
        asks_for_a_person(turn.text, turn.norm, turn.understanding.normalize)
        or turn.understanding.smalltalk.asks_for_a_person(turn.text, turn.understanding)
    ):
        told = _matter_told(turn)
        if told is not None:
            return _answered_with_a_person_offered(turn, told)
        asked = _asked_beside(turn)
        return await open_handover(turn, *([] if asked is None else [_meanwhile(turn, asked)]))
    return None


# "syarat daftar uhc apa? tolong sambungkan ke petugas": the question beside the request is answered at once (the
# officer may answer only tomorrow) and the case is opened with the whole message; the clauses kept with their ends.
_CLAUSE_KEPT = re.compile(r"(?<=[.!?;,\n])")


def _asked_beside(turn: Turn) -> Intent | None:
    """The FAQ entry that the message's other clauses ask about, beside the request for a person, if one answers it."""
    parts = [c for c in _CLAUSE_KEPT.split(turn.text) if c.strip(" .!?;,\n")]
    rest = [c for c in parts if not asks_for_a_person(c.strip(" .!?;,\n"), None, turn.understanding.normalize)]
    if not rest or len(rest) == len(parts):
        return None
    said = "".join(rest)
    if story.is_story(said):
        matches = [question.match for question in story.questions(turn.understanding, said, turn.lang)[:1]]
    else:
        matches = turn.understanding.match(said, turn.lang, limit=1)
    return _confident_entry(turn, matches)


def _confident_entry(turn: Turn, matches: list[Match]) -> Intent | None:
    """The entry of the best match when the matcher is confident of it."""
    if not matches or matches[0].score < CONFIDENT:
        return None
    return turn.content.intents.get(matches[0].intent_id)


def _meanwhile(turn: Turn, intent: Intent) -> Reply:
    """The answer itself when the entry has one, else the entry as a button (its feature answers on the press)."""
    if intent.answer is not None:
        return answer_reply(turn, intent)
    return reply(
        turn.t("Sambil menunggu petugas, jawaban untuk pertanyaan Anda ada di sini:"), [intent_button(turn, intent)]
    )


# "i have panic attacks, is there someone to talk to?": anyone to talk to beside a matter the content answers asks for
# that answer, with an officer one press away (ANYONE and SOMEONE_NAMED in handover_words.py).
def _matter_told(turn: Turn) -> Intent | None:
    """The FAQ entry that a message asking for anyone to talk to tells in its other clauses, when one answers it."""
    if not ANYONE.search(turn.text) or SOMEONE_NAMED.search(turn.text):
        return None
    rest = [c for c in CLAUSE.split(turn.text) if c.strip() and not ANYONE.search(c)]
    if not rest:
        return None
    intent = _confident_entry(turn, turn.understanding.match(" ".join(rest), turn.lang, limit=1))
    return intent if intent is not None and intent.answer is not None else None


def _answered_with_a_person_offered(turn: Turn, intent: Intent) -> Outcome:
    turn.state.leave()
    answer = answer_reply(turn, intent)
    officer = Button(HANDOVER_BUTTON, turn.t("Hubungi petugas"))
    return turn.outcome(intent.id, replace(answer, buttons=(officer, *answer.buttons)))


async def _while_open(turn: Turn, case: store.Case) -> Outcome | None:
    """Times are when we received a message, not the platform's stamp: the wait the office sees is ours."""
    said = turn.text or (turn.inbound.payload or "")
    if said:
        await store.resident_said(turn.db, case, said, datetime.now(UTC))
    waiting = await _awaiting(turn)  # the resident answered the template: the officer's words go out now
    if case.status == store.HELD:
        return turn.outcome(INTENT, *waiting)  # the officer answers from the dashboard; the bot says nothing
    if turn.inbound.payload == HANDOVER_BUTTON or (
        turn.text and (asks_for_a_person(turn.text, turn.norm, turn.understanding.normalize) or _awaits(turn.norm))
    ):
        return turn.outcome(INTENT, *waiting, reply(_what_next(turn, again=True)))
    if waiting:
        return turn.outcome(INTENT, *waiting)
    return None  # waiting: the bot still answers what it can, and the officer sees the question too


# "kapan dibalas?", "lama gak dibalesnya?", "masih lama?", "when will someone reply": while the officer is awaited,
# a short message asking about the reply asks about this wait (not how to complain about a puskesmas that never
# answers, the complaints entry's "tidak dibalas"), in normalised words.
_AWAITS = re.compile(
    r"\b(?:di)?(?:balas|bales|jawab|respon|direspon)(?:nya)?\b|\b(?:reply|replies|answer|respond)\b"
    r"|^(?:masih\s+)?lama\s*(?:lagi|tidak|ya|kah|sih)?$|\bhow long\b|\bberapa lama\b"
)
AWAITS_WORDS = 6


def _awaits(norm: str) -> bool:
    """Whether a short message asks when the awaited officer replies."""
    return len(norm.split()) <= AWAITS_WORDS and _AWAITS.search(norm) is not None


async def _awaiting(turn: Turn) -> list[Reply]:
    """The officer's messages kept while the WhatsApp window was closed, as replies; marked delivered."""
    found = await store.awaiting(turn.db, turn.inbound.user_key)
    await store.delivered_many(turn.db, [e.id for e in found], store.DELIVERED, store.AFTER_REPLY)
    return [reply(from_officer(turn.lang, e.text)) for e in found]


async def noticed_danger(turn: Turn) -> None:
    """A danger sign while a person holds or awaits the chat: the bot answered with 119 (the dialogue
    decides that first); the officer sees the message, marked, in the thread."""
    if turn.state.handover:
        case = await store.current(turn.db, turn.inbound.user_key)
        if case is not None:
            await store.resident_event(turn.db, case, store.DANGER, turn.text, datetime.now(UTC))


def from_officer(lang: str, text: str) -> str:
    """What the resident reads: marked as a person's words, in their language."""
    return f"👤 {translations(lang).gettext('Petugas')}: {text}"


def handed_back(lang: str) -> str:
    return translations(lang).gettext(
        "Percakapan dengan petugas sudah selesai. TanyaSehat akan menjawab lagi; ketik menu untuk melihat topik."
    )


def timed_out(lang: str) -> str:
    return translations(lang).gettext(
        "Percakapan dengan petugas kami tutup karena sudah lama tidak ada pesan. TanyaSehat akan menjawab lagi. "
        "Bila masih perlu petugas, ketik: hubungi petugas."
    )


async def open_handover(turn: Turn, *after: Reply) -> Outcome:
    """Open a case with the message; `after` are replies after what happens next (an answer asked beside)."""
    case = await store.open_case(
        turn.db,
        turn.inbound.user_key,
        turn.inbound.channel,
        turn.lang,
        turn.text or "",
        datetime.now(UTC),
        office=turn.content.office.region_code,  # the resident's office's staff answer
    )
    turn.state.handover = case.id
    turn.state.leave()
    return turn.outcome(INTENT, reply(_what_next(turn)), *after)


def _what_next(turn: Turn, again: bool = False) -> str:
    office = turn.content.office
    first = (
        turn.t("Permintaan Anda sudah tercatat; petugas {office} akan membalas di sini.", office=office.name)
        if again
        else turn.t("Baik, pesan Anda kami teruskan ke petugas {office}.", office=office.name)
    )
    if office.is_open(turn.now):
        later = turn.t(
            "Petugas sedang bertugas dan akan membalas di chat ini, biasanya dalam beberapa menit. "
            "Silakan tulis pertanyaan Anda selagi menunggu."
        )
    else:
        opening = office.next_opening(turn.now)
        when = _day_words(turn, opening)
        later = turn.t(
            "Saat ini di luar jam kerja. Petugas akan membalas di chat ini setelah kantor buka, {when} pukul {time}. "
            "Silakan tulis pertanyaan Anda sekarang.",
            when=when,
            time=format_time(opening, turn.lang),
        )
    urgent = turn.t(
        "Untuk masalah yang mendesak atau darurat, jangan menunggu: hubungi {number} atau datang ke IGD terdekat.",
        number=office.emergency_number,
    )
    return f"{first}\n{later}\n\n{urgent}"


def _day_words(turn: Turn, moment: datetime) -> str:
    days = (moment.date() - turn.now.date()).days
    if days == 0:
        return turn.t("hari ini")
    if days == 1:
        return turn.t("besok")
    return format_date(moment.date(), turn.lang)


async def on_payload(turn: Turn) -> Outcome:
    return await open_handover(turn)


FEATURE = Feature(
    name="handover",
    payload_prefix=PREFIX,
    on_payload=on_payload,
    before=before,
    not_answers=frozenset({INTENT}),
)
