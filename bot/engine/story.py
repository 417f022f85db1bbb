"""Long messages that tell a story: find the questions in it, answer the main one, offer the next.

"assalamualaikum, maaf mengganggu malam2, anak saya perempuan 10 bulan, waktu 9 bulan kemarin
kami lagi mudik jadi belum sempat suntik campak, apa masih boleh sekarang dan di puskesmas
rejosari ada jadwalnya hari apa ya" holds two questions: can measles still be given (the main
one, asked first) and Puskesmas Rejosari's days (offered as a button). The whole text matches
nothing well: its story dilutes both questions. So the text is split into clauses; each clause
that asks something is matched together with the clause or two before it (where the story
says what "it" is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.followup_reading import PLACE_TOPIC, WANTS
from bot.engine.incomplete import points_back
from bot.engine.understanding import UNSURE, Match, Understanding

NEXT = "story:next"  # the button that answers the story's next question
MIN_WORDS = 14  # shorter messages are one question, matched whole
WINDOW = 2  # clauses before a question that may say what it is about
MAX_CLAUSE_WORDS = 40
MAX_QUESTIONS = 6  # questions read per message: a pasted wall of text costs no more than a long story
SUBJECTS = 2  # clauses further back than WINDOW that may say what a question is about...
SUBJECT = 0.6  # ...when they fit an entry this well by themselves ("Saya penyintas TBC")
STORY_CONFIDENT = 0.5  # a clause that asks, matched with its story, may be answered a little below CONFIDENT
STORY_UNKNOWN = 0.3  # weight of words the content never uses, inside a story (they tell, they do not ask)
SAYS_IT = 0.85  # a story's question that says nearly all of one variant is answered, whatever the whole says
POINTED = 0.4  # ...and what the story told, when its question points back at it ("is that also the advice here?")
SAYS_NOTHING = 0.25  # a clause pointing back that fits no entry this well alone asks only about what was told
UNSEEN = 0.67  # a story's question whose entry the whole story fits at less than this share of its best is torn from it
ALL_ENTRIES = 100  # every entry's score, to find the question's among the whole story's
GIST = 0.35  # a story whose question names nothing ("perlu dibawa ke dokter?") is answered by its whole at this score
# ...or, below GIST, by the entry a clause it tells fits this well by itself, if the whole fits that entry best too
TOLD_SUBJECT = 0.7
ASKED_APART = 0.7  # a question that names another topic than its story's, fitting one of its entries this well alone
APART_LEAD = 0.1  # a question read alone that fits its entry this much better than the whole story fits its own...
APART_NAMES = 0.9  # ...and names that entry's topic this much by its own words (3x understanding.NAMES_TOPIC)
AGREED_QUESTION = 0.35  # a question clause and its story that fit the same entry best, each weakly, agree on it...
AGREED_WHOLE = 0.25  # ...when the clause fits it this well and the whole story this well,
AGREED_MARGIN = 1.2  # ...this many times as well as the whole fits any other entry

# Clauses end at sentence ends and commas, and before "dan/terus/tapi" that open another question ("dan di ...").
_SENTENCE = re.compile(
    r"(?<=[.!?\n;])\s*|,(?!\d)\s*"  # "1,5 thn", "38,5" are numbers, not two clauses
    r"|\s+(?=(?:dan|terus|trus|lalu|tapi|sama)\s+"
    r"(?:di|ke|apa|apakah|kapan|berapa|bagaimana|gimana|gmn|bisa|boleh|perlu|harus|kalau|klo|kalo)\b)"
)


# A short message asking for the story's other question again ("yg soal adiknya tadi gmn", "yg soal pelatihan blm
# dijawab", "what about my other question?"), in normalised words; "oh iya satu lagi, ..." opens a new one.
_AGAIN = re.compile(
    r"\b(?:tadi|barusan|(?:belum|tidak) dijawab|satunya|yang lain|(?:pertanyaan|soal) (?:yang )?kedua"
    r"|other (?:question|one)|second (?:question|one)|didnt answer|not answered)\b"
)
_AGAIN_WORDS = (
    "tadi barusan belum tidak dijawab satunya lain pertanyaan tanya kedua soal other question second one didnt answer"
)
AGAIN_WORDS = 9  # longer messages say what they ask themselves


_POINTERS = frozenset({"itu", "tsb", "tersebut", "begitu", "gitu"})  # "itu wajib kah?" opens on the story told
# "is that also the advice here?", "and is it free?", "can she get it now...?": an English clause whose subject or
# object, among its first words, is what the story told.
_EN_POINTERS = frozenset({"that", "this", "it", "those", "these"})
_EN_OPENING = 4
_END = re.compile(r"(?<=[.!?\n;])\s*")  # sentence ends, as _SENTENCE splits them


# "saya kader posyandu di kel. X", "sy guru SD di Rumbai", "I'm a nurse from the Philippines": the teller says who
# they are before the story. Their role names a topic ("posyandu") that the question need not be about (a child who
# does not gain weight, a vaccine rumour), and in a story read whole it outweighs the question. Normalised words.
_TELLER = re.compile(
    r"^(?:\w+ )?(?:saya|aku|kami|ambo|awak|i|i am|im)(?: ni| ini)? (?:(?:a|an|seorang|sebagai) )?"
    r"(?:kader|guru|bidan|perawat|nurse|teacher|mahasiswa|mahasiswi|student|wali kelas|dokter|doctor|volunteer)\b"
)
TELLER_CLAUSES = 2  # the teller introduces themselves in the story's first clauses ("selamat siang bu. saya kader...")


@dataclass(frozen=True, slots=True)
class Question:
    text: str  # the question with the story it leans on
    match: Match


def is_story(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS


def is_told_beside(text: str) -> bool:
    """A short message of a question and a clause that tells beside it ("ckg itu apa ya? sy liat di berita ada
    cek kesehatan gratis", "anak sy 2thn beratnya cm 9kg, apa dia stunting"): what is told dilutes the question
    as a story's does, so an unsure whole may be read clause by clause (`beside`)."""
    return not is_story(text) and len(clauses(text)) >= 2


def beside(understanding: Understanding, text: str, matches: list[Match], lang: str = "id") -> Match | None:
    """The question of a short message with an aside, when the whole message is about its topic too: the whole
    fits that topic at GIST or better and names it ("jalan berlubang, lapor kemana" asks no complaint of ours).
    Or the message asks in one clause only, which says nearly all of an entry (SAYS_IT) that the whole names by
    its own words and fits among its closest: "CKG itu apa ya? sering liat di spanduk", where the aside's words
    weigh the whole below GIST."""
    whole = matches[0] if matches else None
    if whole is None:
        return None
    asked = questions(understanding, text, lang)
    if not asked:
        return None
    question = asked[0].match
    if (
        whole.score >= GIST
        and understanding.names(text, whole.intent_id, whole.score)
        and understanding.topic_of(question.intent_id) == understanding.topic_of(whole.intent_id)
    ):
        return question
    if (
        question.score >= SAYS_IT
        and sum(_asks(understanding, part) for part in clauses(text)) == 1
        and any(m.intent_id == question.intent_id for m in matches)
        and understanding.topic_of(question.intent_id) in understanding.topic_named(text)
    ):
        return question
    return None


def asks_the_other(understanding: Understanding, text: str, pending: str, intent_id: str, lang: str = "id") -> bool:
    """Whether a short message asks for the story's question that was offered, not answered: it says it is the other
    (or earlier) question ("yg soal adiknya tadi gmn bu", "what about my other question?"), and names nothing of its
    own: what else it says is told in that question, or names no other topic and fits no other entry well."""
    if len(text.split()) > AGAIN_WORDS or not _AGAIN.search(understanding.normalize(text)):
        return False
    plain = understanding.keys(text) - understanding.keys(
        f"{_AGAIN_WORDS} {' '.join(sorted(understanding.question_words))}"
    )
    if not plain or plain & understanding.keys(pending):
        return True
    if understanding.topics_named(text) - {understanding.topic_of(intent_id)}:
        return False  # "tadi sy tanya posbindu dimana" asks about another topic
    alone = understanding.match(text, lang, limit=1)
    return not alone or alone[0].intent_id == intent_id or alone[0].score < UNSURE


def without_teller(understanding: Understanding, text: str) -> str:
    """The story without the clause in which the teller says who they are (`_TELLER`), when there is one and more
    is told after it; else the story as it is."""
    parts = clauses(text)
    for i, part in enumerate(parts[:TELLER_CLAUSES]):
        if _TELLER.match(understanding.normalize(part)) and i + 1 < len(parts):
            at = text.find(part)
            rest = f"{text[:at]}{text[at + len(part) :].lstrip(' .,;')}"  # the other clauses as written
            return rest if at >= 0 and is_story(rest) else text
    return text


def clauses(text: str) -> list[str]:
    """The clauses of a message, in order: split at sentence ends, commas and "dan di ...", "terus apa ..."."""
    return [part for part, _asked in _marked(text)]


def _marked(text: str) -> list[tuple[str, bool]]:
    """The clauses, each with whether its sentence ends in a question mark."""
    marked = []
    for sentence in _END.split(text):
        asked = sentence.rstrip().endswith("?")
        for part in _SENTENCE.split(sentence):
            part = part.strip(" .,;")
            if part and len(part.split()) <= MAX_CLAUSE_WORDS:
                marked.append((part, asked))
    return marked


def questions(understanding: Understanding, text: str, lang: str = "id") -> list[Question]:
    """The questions a story asks that the matcher is confident about, in the order asked, one per intent."""
    parts, asking = _asked(understanding, text)
    found: list[Question] = []
    seen: set[str] = set()
    subjects: list[int] | None = None  # read only when a question needs them
    for i in asking:
        near = [" ".join(parts[start : i + 1]) for start in range(i, max(-1, i - WINDOW - 1), -1)]
        pointed = i > 0 and _points_back(understanding, parts[i])
        if pointed:
            near = near[1:]  # "itu wajib kah?" asks about what the clause before told, whatever "wajib" fits alone
        best = _best(understanding, near, lang)
        if best is None and pointed:
            # "...we give paracetamol, is that also the advice here?": what was told is what is asked, and the
            # asking clause's own words ("advice", "here") only dilute it
            told = [" ".join(parts[start:i]) for start in range(i - 1, max(-1, i - WINDOW - 1), -1)]
            best = _told(understanding, told, parts[i], lang)
        if best is None and i > WINDOW:
            # "Boleh tidak kalau saya tidak lanjut minum obat?" is about the TBC told three clauses before.
            if subjects is None:
                subjects = _subjects(understanding, parts, asking, lang)
            best = _best(understanding, [f"{parts[s]} {parts[i]}" for s in subjects if s < i - WINDOW], lang)
        if best is not None and best.match.intent_id not in seen:
            seen.add(best.match.intent_id)
            found.append(best)
    return found


def torn(understanding: Understanding, text: str, whole: Match, asked: list[Question]) -> bool:
    """Whether a story's question, read with the clauses around it, is answered by an entry of another topic than
    the story read whole, and the story names that other topic more ("apa bisa cek nya hari sabtu" → the
    puskesmas's hours, in a story about the free birthday check → CKG): a "Maksud Anda...?" with both beats
    answering either. On the tuning sets A-E, T and T2's train part the question's answer was wrong in 7 of 9 such
    stories; where the topics are the same or the story names the question's topic as much, in 14 of 32, which no
    topic-level reading tells apart (bench/RESULTS.md, round 6). A question that says nearly all of one variant
    (SAYS_IT) is answered."""
    if not asked or asked[0].match.score >= SAYS_IT:
        return False
    mine, theirs = asked[0].match.intent_id, whole.intent_id
    if understanding.topic_of(mine) == understanding.topic_of(theirs):
        return False
    return understanding.naming(text, theirs) > understanding.naming(text, mine)


def unseen(understanding: Understanding, text: str, whole: Match, asked: list[Question], lang: str = "id") -> bool:
    """Whether a story's question, read with the clauses around it, picks an entry the story read whole fits at less
    than UNSEEN of its best: the clause's reading is torn from the story it tells ("apa beliau bisa didaftarkan?"
    after a pension and a company's BPJS that was cut), and a "Maksud Anda...?" with both beats answering either.
    A question that says nearly all of one variant (SAYS_IT) is answered, and so is a place asked for ("puskesmas
    yg paling dekat dr sini?" in a story of a child's vaccines: where it is done)."""
    if not asked or asked[0].match.score >= SAYS_IT:
        return False
    mine = asked[0].match.intent_id
    if mine == whole.intent_id or understanding.topic_of(mine) == PLACE_TOPIC:
        return False
    read = understanding.match(text, lang, limit=ALL_ENTRIES)
    return next((m.score for m in read if m.intent_id == mine), 0.0) < UNSEEN * whole.score


def _told(understanding: Understanding, told: list[str], asking: str, lang: str) -> Question | None:
    """The question a clause that points back and says nothing else asks ("is that also the advice here?"): what the
    clauses before it told, read without it, fits an entry at POINTED or better, the same entry they fit best read
    with it, of a topic they name."""
    alone = understanding.match(asking, lang, limit=1)
    if alone and alone[0].score >= SAYS_NOTHING:
        return None  # "is that done at every puskesmas" asks something of its own: what was told is not all of it
    best: Question | None = None
    for window in told:  # the clause just before first, then with the one before it
        # What was told, read as the questions alone read it: residents' chat words ("mother", "give") would weigh
        # more than a story's words the content never uses ("...my mother says to give paracetamol syrup").
        matches = understanding.match(window, lang, unknown=STORY_UNKNOWN, plain=True)
        if not matches or matches[0].score < POINTED or (best and matches[0].score <= best.match.score):
            continue
        asked = f"{window} {asking}"
        whole = understanding.match(asked, lang, limit=1, unknown=STORY_UNKNOWN)
        if not whole or whole[0].intent_id != matches[0].intent_id:
            continue  # read with its question, what was told points elsewhere: no clear question
        if understanding.topic_of(matches[0].intent_id) in understanding.topics_named(asked):
            best = Question(asked, matches[0])
    return best


def _asked(understanding: Understanding, text: str) -> tuple[list[str], list[int]]:
    """A story's clauses, and which of them ask (`_asking`)."""
    marked = _marked(text)
    return [part for part, _asked in marked], _asking(understanding, marked, "?" in text)


def _asking(understanding: Understanding, marked: list[tuple[str, bool]], marks: bool) -> list[int]:
    """The clauses that ask, at most MAX_QUESTIONS. A message that marks its questions ("?") asks in those
    sentences, in a clause that opens with a question word or says what is wanted ("sy mau belajar jadwal...");
    "mertua bilang hrs periksa lab juga." tells. Each clause is normalised once, and only when its marks do not
    say it all (`_asks`, `_opens_asking` and WANTS read the same words)."""
    asking = []
    for i, (part, asked) in enumerate(marked):
        norm = None
        if "?" not in part:
            norm = understanding.normalize(part)
            if not any(w in understanding.question_words for w in norm.split()):
                continue
        if not (asked or not marks):
            norm = understanding.normalize(part) if norm is None else norm
            words = norm.split()
            if not (words and words[0] in understanding.question_words) and not WANTS.search(norm):
                continue
        asking.append(i)
    return asking[:MAX_QUESTIONS]


def _best(understanding: Understanding, windows: list[str], lang: str) -> Question | None:
    """The window (a question with some of its story) that fits an entry best, if one fits well enough."""
    best: Question | None = None
    for window in windows:  # the clause alone first, then with its story
        matches = understanding.match(window, lang, unknown=STORY_UNKNOWN)
        if not matches or matches[0].score < STORY_CONFIDENT or (best and matches[0].score <= best.match.score):
            continue
        # "apa yang harus saya lakukan?" names no topic: it needs the story around it to mean anything.
        if understanding.topic_of(matches[0].intent_id) in understanding.topics_named(window):
            best = Question(window, matches[0])
    return best


def _subjects(understanding: Understanding, parts: list[str], asking: list[int], lang: str) -> list[int]:
    """The clauses that say what the story is about ("Saya penyintas TBC", "sy lg hamil anak pertama"): told,
    not asked, and matching an entry of a topic they name by themselves; the clearest first, at most SUBJECTS."""
    return [i for i, _ in _told_clauses(understanding, parts, asking, lang, SUBJECT)[:SUBJECTS]]


def _told_clauses(
    understanding: Understanding, parts: list[str], asking: list[int], lang: str, floor: float
) -> list[tuple[int, Match]]:
    """The told clauses before the last question that fit an entry by themselves at `floor` or better, naming its
    topic, with that entry: the clearest first (on a tie, the earlier clause)."""
    told = []
    for i, part in enumerate(parts[: max(asking, default=0)]):
        if i in asking:
            continue
        matches = understanding.match(part, lang, limit=1, unknown=STORY_UNKNOWN)
        top = matches[0] if matches else None
        if (
            top is not None
            and top.score >= floor
            and understanding.topic_of(top.intent_id) in understanding.topics_named(part)
        ):
            told.append((-top.score, i, top))
    return [(i, top) for _, i, top in sorted(told, key=lambda t: (t[0], t[1]))]


def _asks(understanding: Understanding, clause: str) -> bool:
    if "?" in clause:
        return True
    words = understanding.normalize(clause).split()
    return any(w in understanding.question_words for w in words)  # content/language.yaml


def _points_back(understanding: Understanding, clause: str) -> bool:
    """ "itu wajib kah?", "boleh minta rinciannya per umur?": the clause is about something told before it."""
    norm = understanding.normalize(clause)
    words = norm.split()
    return bool(words) and (
        words[0] in _POINTERS or points_back(norm) or bool(_EN_POINTERS.intersection(words[:_EN_OPENING]))
    )


def _opens_asking(understanding: Understanding, clause: str) -> bool:
    words = understanding.normalize(clause).split()
    return bool(words) and words[0] in understanding.question_words


def gist(understanding: Understanding, text: str, lang: str = "id") -> Match | None:
    """What the whole story is about, when its question leans on the story ("gimana supaya tetap punya BPJS
    gratis?" after moving from another regency): the whole text matched with the story's own words weighing
    less, if that is clear enough."""
    matches = understanding.match(text, lang, limit=1, unknown=STORY_UNKNOWN)
    if matches and matches[0].score >= GIST:
        return matches[0]
    told = _told_subject(understanding, text, lang)
    if told is None or not matches or matches[0].intent_id != told.intent_id:
        return None  # a clause that fits by a shared word ("kelas 9" of a school, BPJS's "kelas") is no subject
    return told


def asked_apart(understanding: Understanding, text: str, whole: Match, lang: str = "id") -> Question | None:
    """A story's main question (the first that fits an entry by itself) when it names, by its own words, another
    topic than the story read whole, and fits one of its entries at ASKED_APART or better read alone: the story
    mentions the rest as context ("anak sy demam, ... bpjs nya nonaktif, daftar uhc dimana?" asks about
    registering, whatever the whole says of a sick child)."""
    if not understanding.topic_named(text) - {understanding.topic_of(whole.intent_id)}:
        return None  # the story names no other topic: most stories, read at the cost of one lookup
    parts, asking = _asked(understanding, text)
    for i in asking:
        read = understanding.match(parts[i], lang, limit=1, unknown=STORY_UNKNOWN)
        if not read or read[0].score < STORY_CONFIDENT:
            continue  # the main question is the first that fits an entry by itself
        topic = understanding.topic_of(read[0].intent_id)
        if read[0].score < ASKED_APART or topic == understanding.topic_of(whole.intent_id):
            return None
        if topic not in understanding.topic_named(parts[i]):
            return None
        # answered with the clauses before it, which may say whose or where ("anak sy 9 bulan", "di rumbai")
        return Question(" ".join(parts[max(0, i - WINDOW) : i + 1]), read[0])
    return None


def stands_apart(understanding: Understanding, text: str, whole: Match, question: Question) -> bool:
    """Whether a story's first question, read by itself (not with the clauses before it), asks another entry than
    the story read whole and says so: it fits its entry APART_LEAD better than the whole fits its own, and names
    that entry's topic by its own words at APART_NAMES or more. The rest is the teller's background ("...bpjs dari
    kantor otomatis mati, istri hamil 7 bulan... Bisa langsung didaftarkan ke BPJS gratis dari pemko?" asks to
    register, whatever the whole says of an inactive card); a question that names nothing of its own ("sy harus
    lapor kemana?" after a child who does not gain weight) leans on the story, which answers it. A story read whole
    as its topic's overview (the entry named as the topic: "uhc", "imunisasi") keeps it against a sibling: the
    overview answers a story's broad question as often as the sibling does (bench/RESULTS.md, round 15); so does a
    story whose topic the question's own words name, when the question's entry is of another topic."""
    match = question.match
    topic, asked = understanding.topic_of(whole.intent_id), understanding.topic_of(match.intent_id)
    return (
        match.intent_id != whole.intent_id
        and not (whole.intent_id == topic and asked == topic)
        # "bisa dipindah ke puskesmas dkt rumah?" of a card's clinic: its own words name the story's topic too
        and (asked == topic or topic not in understanding.topic_named(question.text))
        and match.score >= whole.score + APART_LEAD
        and question.text in clauses(text)  # the clause alone: no story read with it
        and understanding.naming(question.text, match.intent_id) >= APART_NAMES
    )


def agreed(
    understanding: Understanding, text: str, lang: str = "id", skip: frozenset[str] = frozenset()
) -> Match | None:
    """What a story asks when nothing in it fits an entry well, but two readings point to the same one: the clause
    that asks (read with the clause or two before it) fits it best at AGREED_QUESTION or better, naming its topic,
    and the whole story, its own words weighing less, fits it best at AGREED_WHOLE or better. An English story
    ("...Is there any counseling service at the puskesmas?") scores low on either reading alone, the content's
    English variants being few."""
    whole = understanding.match(text, lang, limit=2, unknown=STORY_UNKNOWN)
    if (
        not whole
        or whole[0].score < AGREED_WHOLE
        or whole[0].intent_id in skip
        or (len(whole) > 1 and whole[0].score < AGREED_MARGIN * whole[1].score)
    ):
        return None
    parts, asking = _asked(understanding, text)
    for i in asking:
        for start in range(i, max(-1, i - WINDOW - 1), -1):
            window = " ".join(parts[start : i + 1])
            read = understanding.match(window, lang, limit=1, unknown=STORY_UNKNOWN)
            if (
                read
                and read[0].intent_id == whole[0].intent_id
                and read[0].score >= AGREED_QUESTION
                # English words name no topic: the content's English variants are too few to tell
                and (lang == "en" or understanding.topic_of(read[0].intent_id) in understanding.topics_named(window))
            ):
                return Match(whole[0].intent_id, read[0].score)
    return None


def _told_subject(understanding: Understanding, text: str, lang: str) -> Match | None:
    """The entry a story's clearest told clause fits by itself, naming its topic ("kemarin cek di apotek tensinya
    160/100"), when the story asks something that fits nothing ("ada ga tempat cek rutin yg murah?"): the question is
    about what was told. Told before the last question, at TOLD_SUBJECT or better."""
    parts = clauses(text)
    asking = [i for i, part in enumerate(parts) if _asks(understanding, part)]
    told = _told_clauses(understanding, parts, asking, lang, TOLD_SUBJECT)
    return told[0][1] if told else None
