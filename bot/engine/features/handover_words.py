"""How residents ask for a person at the office, in words: the vocabulary the handover feature reads (handover.py).

"mau bicara dengan petugas", "admin tolong", "can a real staff member answer me", a long story ending in "tolong
sambungkan ke petugas", a complaint told then "sy mau komplain": `asks_for_a_person`. Staff add everyday ways of
asking in content/smalltalk.yaml `handover` (read by smalltalk.py); the patterns here are the grammar of a request.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# "orang pandai jiwa" (a counsellor), "orang tua", "orang sakit": people spoken of, nobody to talk to here
_PERSON = r"(?:petugas|admin|admn|min|operator|orang(?!\s+(?:pandai|pintar|ahli|tua|lain|sakit|hamil)\b)|manusia|staf|staff|pegawai|nakes|cs|customer service|human|person|agent|officer|supervisor|manager|atasan)(?:nya)?"
_TALK = (
    r"(?:bicara|berbicara|ngomong|ngobrol|chat|chatting|hubungi|menghubungi|dihubungkan|disambungkan|sambungkan"
    r"|sambungin|hubungkan|hubungin|alihkan|alihin|cakap|bercakap|kontak|talk|speak|connect|transfer"
    r"|teruskan|diteruskan|terusin|terusken|forward|pass)"  # "tolong teruskan ke petugas": the message passed on
)
_REAL = r"(?:real|actual|live|beneran|betulan|sungguhan|asli|manusia)"  # "a real person", "admin manusia"
ASKS_FOR_A_PERSON = re.compile(
    rf"\b{_TALK}\b(?:\s+\w+){{0,2}}?\s+(?:dengan|dgn|sama|sm|ama|ke|kpd|kepada|to|with)?\s*(?:a\s+|an\s+|the\s+|your\s+)?"
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
    rf"|^(?:tolong\s+|mohon\s+)?(?:admin|min|petugas|operator)(?:nya)?\s+(?:tolong\s+|mohon\s+)?(?:di)?(?:balas|bales|respon|jawab)"
    rf"(?:\s+(?:dong|donk|ya|pls|please|segera|cepat))*[\s?!.]*$"
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
CLAUSE = re.compile(r"[.!?;,\n]+")
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
        clauses = [c for c in CLAUSE.split(text) if c.strip()]
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
    clauses = [c for c in CLAUSE.split(text) if c.strip()]
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
    "nurse", "midwife", "bot", "mesin", "machine", "otomatis", "manual", "supervisor", "manager", "atasan",
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
    if any(ASKS_FOR_A_PERSON.search(c.strip()) for c in CLAUSE.split(text) if c.strip() != text.strip()):
        return True  # "halo ada orangnya gk? sy butuh dibantu petugas": one sentence asks
    if normalize is not None and any(
        ASKS_FOR_A_PERSON.search(_WHAT_IT_IS.sub(" ", normalize(c)))
        for c in CLAUSE.split(text)
        if c.strip() and c.strip() != text.strip()
    ):
        return True  # "ado urang yg bisa ambo telpon tak, payah nak mengetik ni": read in standard words
    said = _NOT_A_PERSON.sub(" ", (norm or text).lower())
    words = set(re.findall(r"[a-z]+", said))
    staff, people = words & _STAFF, words & _PEOPLE
    if not (staff or people) or _ASKS_ABOUT.search(said):
        return False
    return bool(words & _REACH or (staff and words & _STAFF_ONLY) or _WANTS.search(said))


# "i have panic attacks, is there someone to talk to?", "sy sering cemas, ada seseorang yg bisa diajak bicara?":
# anyone to talk to, beside a matter the content answers, asks for that answer (the mental-health entry names
# the counselling and the line), with an officer one press away; a named person ("petugas", "admin") is a handover.
ANYONE = re.compile(r"\b(?:someone|somebody|anyone|anybody|seseorang)\b", re.IGNORECASE)
SOMEONE_NAMED = re.compile(rf"\b(?:{_PERSON}|dokter|bidan|perawat|doctor|nurse|midwife|bot|robot)\b", re.IGNORECASE)
