"""A long message that tells a story: answer its main question, offer the next one it asks as a button.

`story.py` reads the story (its clauses, which of them ask, its gist); this decides what is answered:
the whole story when it points to one topic with confidence (every fact it gives is kept), else the first
question clause, or "Maksud Anda...?" when the question and the whole story point to different topics.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.engine import context, replies, story, topic_gate
from bot.engine.turn import Turn
from bot.engine.types import Button, Outcome
from bot.engine.understanding import CONFIDENT, Match

RunIntent = Callable[[Turn, str, float], Awaitable[Outcome]]


def _clauses_ask(turn: Turn, whole: Match, asked: list[story.Question]) -> bool:
    """Whether the story's question clauses say what is asked better than the story read whole, though the whole
    scores confidently: it asks two entries and the whole is only one of them (the other would be lost, or
    offered for the wrong question: "bpjs gratis syaratnya apa? dan suami batuk 3 minggu, periksa tbc di mana?"),
    or its first question says all of a variant of another entry ("puskesmas yang paling dekat dari sini yang
    mana?" after a story of moving house and a vaccine due). Residents' phrasings, long stories among them, lift
    a story's whole text over CONFIDENT more often than the authored questions alone did."""
    asks = {q.match.intent_id for q in asked}
    if len(asks) > 1 and whole.intent_id in asks:
        return True
    first = asked[0].match if asked else None
    return (
        first is not None
        and first.intent_id != whole.intent_id
        and turn.understanding.says_all(asked[0].text, first.score)
    )


async def answer(turn: Turn, matches: list[Match], settings: frozenset[str], run_intent: RunIntent) -> Outcome | None:
    """A long message: answer its main question; the next one it asks is offered as a button."""
    told = story.without_teller(turn.understanding, turn.text)
    if told != turn.text:  # "saya kader posyandu di ...": who tells is no question; the story is read without it
        matches = turn.understanding.match(told, turn.lang)
    # "...and do they speak English?" in a story asks about the puskesmas, not to switch the bot's language:
    # a setting (language, erasing data, reminders' commands) is never a story's question.
    asked = [q for q in story.questions(turn.understanding, told, turn.lang) if q.match.intent_id not in settings]
    whole = matches[0] if matches and matches[0].intent_id not in settings else None
    sure = whole is not None and whole.score >= CONFIDENT
    apart = story.asked_apart(turn.understanding, told, whole, turn.lang) if sure and whole else None
    if apart is not None and apart.match.intent_id not in settings:
        main = apart  # the story's question names its own topic: the rest of the story is its context
    elif sure and whole is not None and asked and story.stands_apart(turn.understanding, told, whole, asked[0]):
        main = asked[0]  # the question says what it asks by itself, better than the story read whole
    elif sure and whole is not None and not _clauses_ask(turn, whole, asked):
        main = story.Question(turn.text, whole)  # the whole story points to one topic: keep every fact it gives
    elif asked:
        main = asked[0]
        # The question read with its clauses and the story read whole point to different topics: ask which.
        if whole is not None and (
            story.torn(turn.understanding, told, whole, asked)
            or story.unseen(turn.understanding, told, whole, asked, turn.lang)
        ):
            candidates = [turn.content.intents.get(i) for i in (main.match.intent_id, whole.intent_id)]
            return replies.clarify(turn, [c for c in candidates if c is not None], main.match.score)
    elif (about := story.gist(turn.understanding, told, turn.lang)) is not None:
        main = story.Question(turn.text, about)
    elif (agreed := story.agreed(turn.understanding, told, turn.lang, settings)) is not None:
        main = story.Question(turn.text, agreed)
    else:
        return None
    # The learned second opinion reads the story as it was read, and may doubt its main question (topic_gate.py)
    if (doubted := topic_gate.doubted(replace(turn, text=told), main.match.intent_id, main.match.score)) is not None:
        return doubted
    outcome = await run_intent(replace(turn, text=main.text), main.match.intent_id, main.match.score)
    after = next((q for q in asked if q.match.intent_id != main.match.intent_id), None)
    if after is None or not outcome.replies:
        return outcome
    entry = turn.content.intents.get(after.match.intent_id)
    if entry is None:
        return outcome
    context.keep_next(turn, after.text, entry.id)
    last = outcome.replies[-1]
    offer = Button(story.NEXT, turn.t("Lanjut: {topic}", topic=entry.title.get(turn.lang)))
    buttons = (offer, *last.buttons)
    return replace(outcome, replies=(*outcome.replies[:-1], replace(last, buttons=buttons)))
