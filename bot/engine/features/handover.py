"""A person at the office: the resident asks for one (reserved intent `handover`), an officer answers.

"mau bicara dengan petugas", "admin tolong" or the "Hubungi petugas" button after a fallback open a
handover (bot/storage/handover.py) and tell the resident what happens next: in office hours an
officer replies here; outside them, when the office opens, and that urgent problems go to 119.
While an officer holds the chat, every message goes to them and the bot stays quiet; danger signs
are checked before this feature runs, so they still get 119 at once. Officers answer, claim and
close from the dashboard (bot/web/dashboard/conversations.py); closing hands the chat back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from bot.engine import story
from bot.engine.feature import Feature
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

# "orang pandai jiwa" (a counsellor), "orang tua", "orang sakit": people spoken of, nobody to talk to here
_PERSON = r"(?:petugas|admin|admn|min|operator|orang(?!\s+(?:pandai|pintar|ahli|tua|lain|sakit|hamil)\b)|manusia|staf|staff|pegawai|nakes|cs|customer service|human|person|agent|officer)(?:nya)?"
_TALK = (
    r"(?:bicara|berbicara|ngomong|ngobrol|chat|chatting|hubungi|menghubungi|dihubungkan|disambungkan|sambungkan"
    r"|sambungin|hubungkan|hubungin|alihkan|alihin|cakap|bercakap|kontak|talk|speak|connect|transfer)"
)
_REAL = r"(?:real|actual|live|beneran|betulan|sungguhan|asli|manusia)"  # "a real person", "admin manusia"
ASKS_FOR_A_PERSON = re.compile(
    rf"\b{_TALK}\b(?:\s+\w+){{0,2}}?\s+(?:dengan|dgn|sama|sm|ama|ke|kpd|kepada|to|with)?\s*(?:a\s+|an\s+|the\s+)?"
    rf"(?:{_REAL}\s+)?{_PERSON}\b"
    rf"|^(?:tolong\s+|minta\s+|panggil\s+|mau\s+)?(?:admin|petugas|operator)(?:\s+(?:tolong|dong|bantu|please|pls|min))+[\s?!.]*$"
    rf"|^(?:minta|panggil|mau|butuh|perlu)\s+(?:sama\s+|dengan\s+)?(?:petugas|admin|operator|orang|manusia)\b"
    rf"|\b(?:admin|cs|petugas|operator|dokter)\s+(?:yang\s+|yg\s+)?{_REAL}\b"
    rf"|\borang\s+(?:yang\s+|yg\s+)?(?:beneran|betulan|sungguhan)\b"  # "orang asli Pekanbaru" is not a request
    rf"|\b(?:bukan|bkn|not)\s+(?:sama\s+|sm\s+|dengan\s+|with\s+)?(?:a\s+|the\s+)?(?:bot|robot|mesin|machine)\b"
    # a person asked to do it ("bisa minta tolong dicek sama petugas aja?", "tolong dibantu admin")
    rf"|\b(?:tolong|minta|mohon)\s+(?:tolong\s+)?di[a-z]+(?:kan|in)?\s+(?:sama\s+|sm\s+|oleh\s+|ama\s+)?{_PERSON}"
    rf"(?:\s+(?:saja|aja|ja|dong|ya|langsung))*[\s?!.]*$"
    # "ada orang yg bisa bantu?", "ada petugas jaga yg bs saya tanya?": someone to ask, now
    rf"|\bada\s+{_PERSON}(?:\s+\w+)?\s+(?:yang|yg)\s+(?:bisa|bs|dapat|boleh)\s+(?:saya\s+|sy\s+|aku\s+|ambo\s+)?"
    rf"(?:langsung\s+)?(?:bantu|membantu|tanya|ditanya|tanyai|jawab|menjawab|balas|diajak|telepon|telpon|hubungi|tolong)"
    rf"(?:\s+(?:saya|sy|aku|bicara|ngobrol))?"
    rf"(?:\s+langsung)?(?:\s+(?:ga|gak|gk|nggak|tidak|tak|kah|dong|min|kak|pak|bu))?[\s?!.]*$"  # not "bantu daftar bpjs"
    # "halo ada orangnya gk?", "bisa langsung sama orangnya aja?", "sy butuh dibantu petugas"
    rf"|^(?:halo\s+|hai\s+|permisi\s+)?ada\s+orangnya\s*(?:ga|gak|gk|nggak|tidak|kah)?[\s?!.]*$"
    rf"|\b(?:bisa|boleh|mau|minta)\s+langsung\s+(?:sama|sm|dengan|dgn|ke)\s+{_PERSON}\b"
    # "bisa ke admin aja?", "boleh sama petugas aja gk": the whole request is to be passed to a person
    rf"|^(?:\w+\s+)?(?:bisa|boleh|mau|minta)\s+(?:sama|sm|dengan|dgn|ke)\s+(?:petugas|admin|operator|manusia|staf|staff|cs)"
    rf"(?:nya)?(?:\s+(?:saja|aja|ja|dong|deh|langsung))*(?:\s+(?:ga|gak|gk|nggak|tidak|tak|kah|ya))?[\s?!.]*$"
    rf"|\b(?:butuh|perlu|mau|minta|ingin)\s+dibantu\s+(?:oleh\s+|sama\s+|sm\s+)?{_PERSON}\b"
    rf"|^(?:ada\s+)?{_PERSON}\s+(?:ada|online|on)\s*(?:ga|gak|gk|nggak|tidak|kah)?[\s?!.]*$"  # "admin ada?"
    rf"|^ada\s+(?:admin|petugas|operator|cs)(?:nya)?\s*(?:ga|gak|gk|nggak|tidak|kah)?[\s?!.]*$"
    rf"|\b(?:admin|petugas|operator|min|cs)(?:nya)?\b.*\b(?:tolong|mohon|pls|please)\s+(?:di)?(?:balas|bales|respon|jawab)\b"
    rf"|\b(?:balas|bales|dibalas|dibales|jawab|dijawab)\s+(?:secara\s+)?manual\b"  # not by the bot
    # "can a real staff member answer me pls", "could someone from the office call me"
    rf"|\b(?:can|could|may)\s+(?:a\s+|an\s+|the\s+|some\s+)?(?:real\s+|actual\s+|live\s+)?"
    rf"(?:staff|person|human|officer|agent|someone|somebody)(?:\s+member)?(?:\s+from\s+(?:the\s+)?\w+)?\s+"
    rf"(?:answer|reply|respond|call|contact|talk|speak|text)\s+(?:to\s+|with\s+)?me\b"
    # "minta nomor wa petugas biar bisa chat langsung": a person to write to, not the office's contacts
    rf"|\b{_PERSON}\b.*\b(?:chat|chatting|ngobrol|bicara|ngomong|telpon|telepon)\s+langsung\b"
    rf"|\bjangan\s+(?:di)?(?:balas\s+|jawab\s+)?(?:oleh\s+|sama\s+)?(?:bot|robot|otomatis|mesin)\b"
    rf"|\b(?:tanya|bertanya|konsultasi|bicara|ngobrol)\s+langsung\s+(?:ke|sama|sm|dengan|dgn|kpd|kepada)\s+"
    rf"(?:orang|manusia|{_PERSON}|nakes|dokter|bidan|perawat)\b"
    # a health worker asked for by name of the trade, with a way of reaching them ("hubungkan saya dengan dokter")
    rf"|^(?:tolong\s+|bisa\s+|mau\s+|minta\s+)?(?:hubungkan|sambungkan|sambungin|hubungin|connect)\s+(?:saya\s+|aku\s+|me\s+)?"
    rf"(?:dengan|dgn|sama|ke|to|with)\s+(?:a\s+)?(?:dokter|bidan|perawat|nakes|doctor|nurse|midwife)(?:nya)?\b",
    re.IGNORECASE,
)
# A person asked to call or write back ("tolong operator dinkes telp balik", "could a staff member get back to me"),
# not told to have done so ("petugasnya kemarin sudah telepon balik": _TOLD).
_CALLS_BACK = re.compile(
    rf"\b{_PERSON}\b(?:\s+\w+){{0,3}}\s+(?:telp|telpon|telepon|nelpon|hubungi|kontak|call|contact|ring|get|write)"
    rf"\s+(?:saya\s+|sy\s+|aku\s+|me\s+)?(?:balik|back)\b"
    rf"|\b(?:call|ring|contact)\s+me\s+back\b|\bget\s+back\s+to\s+me\b",
    re.IGNORECASE,
)
MAX_WORDS = 14  # a long message that mentions a petugas is a question about them, not a request for one


# A person and a way of reaching them, in any order ("ada operator yang bisa saya ajak bicara?", "connect me
# to an agent"), or wanting a person ("botnya ga ngerti, saya mau sama orang aja").
_STAFF = frozenset(
    {
        "petugas", "petugasnya", "admin", "adminnya", "operator", "operatornya", "staf", "staff", "pegawai", "cs", "nakes",
        "agen", "agent", "officer", "representative",
    }
)  # fmt: skip
_PEOPLE = frozenset({"orang", "manusia", "human", "person", "someone", "somebody"})
_REACH = frozenset(
    {
        "bicara", "berbicara", "ngomong", "ngobrol", "chat", "chatting", "hubungi", "menghubungi", "dihubungi",
        "hubungkan", "dihubungkan", "hubungin", "sambung", "sambungkan", "disambungkan", "sambungin", "alihkan",
        "dialihkan", "alihin", "cakap", "bercakap", "dilayani", "layani", "balas", "online",
        "talk", "speak", "connect", "transfer", "contact", "reply",
    }
)  # fmt: skip
_STAFF_ONLY = frozenset({"langsung", "bantuan"})  # "tanya langsung ke petugas", "butuh bantuan petugas"
# "saya mau sama orang aja" (after "botnya ga ngerti"); not "kamu manusia atau robot?", which asks what the bot is.
_WANTS = re.compile(
    r"\b(?:mau|ingin|minta|butuh|perlu|want|need)\s+(?:sama\s+|dengan\s+|ke\s+|to\s+|a\s+)?"
    r"(?:orang|manusia|petugas|admin|operator|cs|human|person)\b"
)
_ASKS_ABOUT = re.compile(
    r"\b(?:cara|caranya|nomor|nomer|alamat|email|telepon|how)\b"
)  # "cara menghubungi...": contacts
# "orang tua", "orang cakap stunting" (people say): nobody to talk to
_NOT_A_PERSON = re.compile(r"\borang\s+(?:tua|tuanya|lain|sakit|hamil|yang|cakap|bicara|bilang|kata|blg)\b")
# "kamu ini robot atau orang beneran?", "are you a bot or a real person": what the bot is (small talk), unless
# the rest of the message asks for one ("bot atau orang? saya mau bicara sama orang").
_BOT = r"(?:robot|bot|mesin|machine|program)"
_HUMAN = r"(?:orang|manusia|human|person|admin|petugas)(?:\s+(?:beneran|betulan|sungguhan|asli|real))?"
_WHAT_IT_IS = re.compile(
    rf"\b{_BOT}\s+(?:atau|ato|apa|or|ke|kah)\s+(?:a\s+|an\s+)?(?:real\s+)?{_HUMAN}\b"
    rf"|\b{_HUMAN}\s+(?:atau|ato|apa|or|ke|kah)\s+(?:a\s+|an\s+)?{_BOT}\b",
    re.IGNORECASE,
)


# A longer message asks for a person in one of its clauses, said as a wish or a request ("udh sy coba ke
# kelurahan gk bisa jg, sy mau ngomong sm petugas dinas langsung aja"); "kemarin sudah bicara dengan petugas"
# tells what happened.
MAX_CLAUSES_WORDS = 40
_CLAUSE = re.compile(r"[.!?;,\n]+")
_WISH = re.compile(
    r"\b(?:mau|ingin|pengen|minta|tolong|mohon|bisa|boleh|ada|butuh|perlu|can|could|may|want|would|please|pls|prefer"
    r"|rather|nak)\b"
)
# A story longer than MAX_CLAUSES_WORDS asks for a person in its last clauses, the way such stories end ("...saya
# capek ditanya-tanya mesin, tolong ada petugas manusia yang bisa langsung bantu saya"); its middle tells.
LONG_STORY_WORDS = 150
LAST_CLAUSES = 2
# "anak sy ditolak imunisasi krn ga bawa buku KIA, sy mau komplain": a complaint told, then the wish to make it to
# someone, in the last clause with nothing after it (normalised). "saya mau komplain pelayanan pustu" asks how.
_COMPLAINS = re.compile(
    r"^(?:saya\s+|aku\s+|kami\s+)?(?:mau|ingin|pengen|nak)\s+(?:komplain|complain|keluhan|mengadu|mengeluh|protes|lapor|melapor)"
    r"(?:\s+(?:saja|dong|nih|ini|ya|min|kakak|pak|ibu|bapak))*$"
)
_STAFF_NAMED = re.compile(r"\b(?:petugas|admin|operator|staf|staff|pegawai|cs|officer|agent|nakes)", re.IGNORECASE)
_COMPLAINT_ROOTS = ("komplain", "complain", "adu", "keluh", "protes", "lapor")  # the words _COMPLAINS reads, typed
_TOLD = re.compile(r"\b(?:sudah|pernah|tadi|kemarin|sempat|already|yesterday)\b")


def asks_for_a_person(text: str, norm: str | None = None, normalize: Callable[[str], str] | None = None) -> bool:
    """Whether a message asks to talk to a person at the office; `norm` is the text normalised, if known, and
    `normalize` reads a clause the same way (a long message's clauses are read one by one)."""
    words = len(text.split())
    if words > LONG_STORY_WORDS:
        return False
    if _complains(text, normalize):
        return True
    if words > MAX_WORDS:
        clauses = [c for c in _CLAUSE.split(text) if c.strip()]
        # A long story's last clauses name someone of the office ("petugas dinkes", "a staff"): "pengen ngobrol sama
        # orang yg ngerti" at the end of a story of sleepless months asks for a counsellor, not for an officer.
        read = clauses if words <= MAX_CLAUSES_WORDS else [c for c in clauses[-LAST_CLAUSES:] if _STAFF_NAMED.search(c)]
        return any(_asks_in(clause, normalize) for clause in read if len(clause.split()) <= MAX_WORDS)
    return _asks_short(text, norm, normalize)


def _complains(text: str, normalize: Callable[[str], str] | None) -> bool:
    """A complaint told, then the wish to make it in a clause of its own at the end ("..., sy mau komplain")."""
    low = text.lower()
    if not any(root in low for root in _COMPLAINT_ROOTS):
        return False
    clauses = [c for c in _CLAUSE.split(text) if c.strip()]
    if len(clauses) < 2:
        return False
    last = clauses[-1]
    return _COMPLAINS.search(normalize(last) if normalize is not None else last.lower().strip(" ?!.")) is not None


def _asks_in(clause: str, normalize: Callable[[str], str] | None) -> bool:
    """A clause of a longer message that asks for a person by the strict patterns, as a wish, not as a report."""
    norm = normalize(clause) if normalize is not None else clause.lower()
    if not _WISH.search(norm) or _TOLD.search(norm) or _WHAT_IT_IS.search(clause):
        return False
    return any(
        pattern.search(said) is not None for pattern in (ASKS_FOR_A_PERSON, _CALLS_BACK) for said in (clause, norm)
    )


# Every way above of asking for a person names one of these (ASKS_FOR_A_PERSON's alternatives, _WHAT_IT_IS's person,
# the words of _STAFF and _PEOPLE), as part of a word at least: a short message with none of them in its text or
# its normalised text asks for nobody, and is told so without the patterns (about 0.1-0.3 ms of every turn; 9 of
# 10 messages). Keep it a superset when a pattern above gains a word. re.IGNORECASE also equates these
# non-ASCII letters with ASCII ones, so they are folded first.
_NAMES_A_PERSON = (
    "min", "admn", "petugas", "operator", "orang", "manusia", "staf", "pegawai", "nakes", "cs", "customer", "human",
    "person", "agen", "officer", "representative", "someone", "somebody", "dokter", "bidan", "perawat", "doctor",
    "nurse", "midwife", "bot", "mesin", "machine", "otomatis", "manual",
)  # fmt: skip
_FOLD = str.maketrans({0x131: "i", 0x130: "i", 0x17F: "s", 0x212A: "k"})  # ı İ ſ K


def _names_a_person(text: str) -> bool:
    low = text.translate(_FOLD).lower()
    return any(name in low for name in _NAMES_A_PERSON)


def _asks_short(text: str, norm: str | None, normalize: Callable[[str], str] | None = None) -> bool:
    if not _names_a_person(text) and not (norm and _names_a_person(norm)):
        return False
    if _WHAT_IT_IS.search(text) is not None or (norm is not None and _WHAT_IT_IS.search(norm)):
        text = _WHAT_IT_IS.sub(" ", text)  # the question what the bot is asks for nobody: read the rest
        norm = _WHAT_IT_IS.sub(" ", norm) if norm is not None else None
    if ASKS_FOR_A_PERSON.search(text) is not None or (norm is not None and ASKS_FOR_A_PERSON.search(norm)):
        return True
    read = norm if norm is not None else text.lower()
    if _CALLS_BACK.search(read) is not None and _TOLD.search(read) is None:
        return True
    if any(ASKS_FOR_A_PERSON.search(c.strip()) for c in _CLAUSE.split(text) if c.strip() != text.strip()):
        return True  # "halo ada orangnya gk? sy butuh dibantu petugas": one sentence asks
    if normalize is not None and any(
        ASKS_FOR_A_PERSON.search(_WHAT_IT_IS.sub(" ", normalize(c)))
        for c in _CLAUSE.split(text)
        if c.strip() and c.strip() != text.strip()
    ):
        return True  # "ado urang yg bisa ambo telpon tak, payah nak mengetik ni": read in standard words
    said = _NOT_A_PERSON.sub(" ", (norm or text).lower())
    words = set(re.findall(r"[a-z]+", said))
    staff, people = words & _STAFF, words & _PEOPLE
    if not (staff or people) or _ASKS_ABOUT.search(said):
        return False
    return bool(words & _REACH or (staff and words & _STAFF_ONLY) or _WANTS.search(said))


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


# "i have panic attacks, is there someone to talk to?", "sy sering cemas, ada seseorang yg bisa diajak bicara?":
# anyone to talk to, beside a matter the content answers, asks for that answer (the mental-health entry names
# the counselling and the line), with an officer one press away; a named person ("petugas", "admin") is a handover.
_ANYONE = re.compile(r"\b(?:someone|somebody|anyone|anybody|seseorang)\b", re.IGNORECASE)
_SOMEONE_NAMED = re.compile(rf"\b(?:{_PERSON}|dokter|bidan|perawat|doctor|nurse|midwife|bot|robot)\b", re.IGNORECASE)


def _matter_told(turn: Turn) -> Intent | None:
    """The FAQ entry that a message asking for anyone to talk to tells in its other clauses, when one answers it."""
    if not _ANYONE.search(turn.text) or _SOMEONE_NAMED.search(turn.text):
        return None
    rest = [c for c in _CLAUSE.split(turn.text) if c.strip() and not _ANYONE.search(c)]
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
