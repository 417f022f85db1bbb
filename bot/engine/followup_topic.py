"""A short follow-up read as an entry of the topic in hand: "jam pelayanannya?" after a puskesmas's address
asks its opening hours; "tesnya gmn" after TBC asks for the TB test; "alamatnya?" after the hospitals asks
about them. Which sibling entry the message picks, checked against the answer in hand's own words."""

from __future__ import annotations

from typing import Any

from bot.engine import place_followup, vaccine_thread
from bot.engine.context import HOSPITALS, subject
from bot.engine.followup_reading import (
    ALL_MATCHES,
    FOLLOW,
    OWN_SUBJECT,
    SAYS_SIBLING,
    SIBLING,
    SIBLING_MARGIN,
    Resolved,
    elliptical,
    programme_pointers,
    same_topic,
)
from bot.engine.turn import Turn
from bot.engine.understanding import CONFIDENT, UNSURE, Match
from bot.knowledge.faq import Intent

CONTEXT_BONUS = 0.15  # the topic in hand counts this much more than another topic for a short follow-up


def in_topic(turn: Turn, ctx: dict[str, Any], text: str) -> Resolved | None:
    """ "jam pelayanannya?" after a puskesmas's address: the entry of the topic in hand the message asks for.

    The message alone picks the entry among the topic's own ("jam" -> opening hours); a message that
    names none of them asks the last entry again ("daftarnya di mana?"). The thing talked about (the
    puskesmas shown) is added to the text, so the answer is about it.
    """
    intent = turn.content.intents.get(str(ctx.get("intent", "")))
    if intent is None:
        return None
    alone = turn.understanding.match(text, turn.lang, limit=ALL_MATCHES)
    inside = [m for m in alone if same_topic(turn, m, intent.topic)]
    itself = next((m.score for m in inside if m.intent_id == intent.id), 0.0)
    if intent.id == HOSPITALS and "puskesmas" not in turn.norm.split():
        # The hospitals share the puskesmas topic, but "24 jam kan?", "alamatnya?" after them ask about them;
        # "parkir mobil di sana bayar brp per jam?" says much and fits nothing: not a question for the bot.
        read = place_followup.nearest_words(turn.norm)  # "the closest one to panam?" is "yang dekat panam?"
        if read != turn.norm:
            alone = turn.understanding.match(read, turn.lang, limit=ALL_MATCHES)
        if not elliptical(turn, read) and (not alone or alone[0].score < CONFIDENT):
            return None
        return Resolved(f"{text} {subject(ctx)}".strip(), "hospitals", intent.id, itself)
    leans = elliptical(turn, text)
    floor = SIBLING if leans else SAYS_SIBLING  # a message that says more must fit the other entry better
    # The topic's guided check is no step from an entry inside it: the sibling after it may be what is asked
    # ("ngeceknya gmn" after an inactive card fits "what is UHC" and the status check alike: the status check)
    ahead = [m for m in inside if not _step_back(turn, intent, m.intent_id)]
    best = ahead[0] if ahead and ahead[0].score >= max(floor, itself + SIBLING_MARGIN) else None
    if best is not None and vaccine_thread.without_birth_date(turn, ctx, best.intent_id, text):
        best = None
    if best is not None and _another_subject(turn, intent, best):
        best = _with_title(turn, intent, text, best, floor)
    top = alone[0] if alone else None
    if leans and best is None and itself < UNSURE and _names_other_topic(turn, intent, text, top):
        return None  # "trs puskesmasnya yg mana?" after the posyandu: the place asked, not the posyandu again
    if not leans:
        if best is None:
            return _same_topic_again(turn, intent, text, subject(ctx))
        bonus = CONTEXT_BONUS * (2 if FOLLOW.match(turn.norm) else 1)  # "kalau demam?" leans on the context
        if top is not None and top.intent_id != best.intent_id and best.score + bonus < top.score:
            return None  # it fits another topic clearly better
    chosen = best.intent_id if best is not None else intent.id
    return Resolved(f"{text} {subject(ctx)}".strip(), "topic", chosen, best.score if best else 0.0)


def _step_back(turn: Turn, intent: Intent, other_id: str) -> bool:
    """Whether another entry is its topic's guided check's start ("what is UHC" and its questions), a step back from
    the answer in hand: "kalau ktp blm elektronik?" after the UHC documents asks about them. The immunization
    entry is no such step: "itu di pkm gratis kan?" after an age's vaccines asks what it answers (free)."""
    other = turn.content.intents.get(other_id)
    return (
        other is not None
        and other.id != intent.id
        and other.id == intent.topic
        and (other.handler or "").endswith(".start")
    )


def _another_subject(turn: Turn, intent: Intent, sibling: Match) -> bool:
    """Whether a sibling the message leans to weakly is about another subject than the answer in hand: TBC
    and HIV share a topic, but their titles share no word (the puskesmas's hours and address do)."""
    other = turn.content.intents.get(sibling.intent_id)
    if other is None or other.id in {intent.id, HOSPITALS} or sibling.score >= OWN_SUBJECT:
        return False
    keys = turn.understanding.keys
    return not keys(intent.title.get("id")) & keys(other.title.get("id"))


def _with_title(turn: Turn, intent: Intent, text: str, sibling: Match, floor: float) -> Match | None:
    """The sibling a message picks alone, checked by reading it with the answer in hand's title: "tesnya gmn"
    after TBC asks for the TB test, though "tes" alone is HIV's word. When the title changes the choice, the
    entry that reading picks clearly is asked, else the one in hand (None)."""
    read = turn.understanding.match(f"{text} {intent.title.get(turn.lang)}", turn.lang, limit=ALL_MATCHES)
    inside = [m for m in read if same_topic(turn, m, intent.topic)]
    scores = {m.intent_id: m.score for m in inside}
    itself = scores.get(intent.id, 0.0)
    if scores.get(sibling.intent_id, 0.0) >= itself:
        return sibling
    top = inside[0] if inside else None
    if top is not None and top.intent_id != intent.id and top.score >= max(floor, itself + SIBLING_MARGIN):
        return top  # "cara cegahnya gmn" after dengue: the prevention entry
    return None


def _same_topic_again(turn: Turn, intent: Intent, text: str, subject: str) -> Resolved | None:
    """A message that fits no entry of the topic alone ("bikin KK nya dmn" after UHC documents): read
    with the last answer's own words, it may still ask that topic; else it is not a follow-up."""
    rewritten = " ".join([text, intent.title.get("id"), *intent.keywords[:2]])
    matches = turn.understanding.match(rewritten, turn.lang)
    if not matches or matches[0].score < CONFIDENT or not same_topic(turn, matches[0], intent.topic):
        return None
    chosen = intent.id if _step_back(turn, intent, matches[0].intent_id) else matches[0].intent_id
    return Resolved(f"{text} {subject}".strip(), "topic again", chosen, matches[0].score)


def _names_other_topic(turn: Turn, intent: Intent, text: str, top: Match | None) -> bool:
    """Whether a message that leans on the thread names another programme by a "-nya" word ("trs puskesmasnya yg
    mana?" after the posyandu) and fits that programme's entry confidently alone: it asks about that programme."""
    if top is None or top.score < CONFIDENT or same_topic(turn, top, intent.topic):
        return False
    return bool(programme_pointers(turn, top, intent.topic))
