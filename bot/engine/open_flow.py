"""A message while a guided flow is open: the resident backs out, the open step answers, or a question
the step cannot read is answered as a follow-up (step 6 of dialogue.py's order).

flow.py declares what one flow's steps accept; this module decides, for every flow alike, whether the
open step gets the message at all and what its answer gives way to. Small talk alone that backs out or
leaves ("ga jadi", "nanti aja", a goodbye) ends the flow; a thank-you the step cannot read is small talk,
not an answer; a question the step cannot read that the conversation's context reads ends the flow with
that answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bot.engine import followup, followup_reading, smalltalk
from bot.engine.feature import Feature
from bot.engine.turn import Turn
from bot.engine.types import Outcome
from bot.knowledge.smalltalk import Family

log = logging.getLogger(__name__)

# The dialogue's way to answer a content intent (Dialogue.run_intent): turn, intent id, confidence.
RunIntent = Callable[[Turn, str, float], Awaitable[Outcome]]


async def answer(
    turn: Turn, features: Sequence[Feature], heard: smalltalk.Heard | None, chatting: bool, run_intent: RunIntent
) -> Outcome | None:
    """The answer while `turn.state.flow` is open; None: normal routing goes on (the flow may have ended).

    `heard` is the small talk in the message, `chatting` whether the message is small talk alone.
    """
    if heard is not None and (closing := _closes(turn, heard)) is not None:
        # "ga jadi", "oke deh nanti aja": read as the step's answer "ga" would be a no, "oke" a yes. The
        # resident backs out: the flow ends with a short answer. Small talk with a word the step can read
        # ("ya", a kelurahan's name) goes to the step.
        turn.state.leave()
        return smalltalk.answer(turn, closing)
    if heard is not None and chatting and _thanks_not_yes(turn, heard):
        # "ok mksh" after "Apakah KTP Anda Pekanbaru?": the "ok" acknowledges the answer given, the thanks says
        # the resident is done; read as the step's "ok" = yes, the check asked on about a card they never named.
        turn.state.leave()
        return smalltalk.answer(turn, heard.family)
    owner = next((f for f in features if f.flow == turn.state.flow), None)
    if owner is None or owner.on_flow is None:
        turn.state.leave()  # a flow from an older version of the bot: start afresh
        return None
    stepped = await owner.on_flow(turn)
    # "ya, makasih" may answer the step; a thank-you the step cannot read is just that.
    if stepped is None or (chatting and not stepped.answered):
        return None
    asked = None if stepped.answered or chatting else await _asked(turn, run_intent)
    return stepped if asked is None else asked


async def _asked(turn: Turn, run_intent: RunIntent) -> Outcome | None:
    """A question the open step could not read, that the conversation's context reads ("who pays for it?"
    after the UHC answer asks whether your KTP is from Pekanbaru): answered, and the flow ends. A statement
    ("tarai bangun", a misspelt kelurahan) stays the step's; so does a question the context cannot read."""
    if followup_reading.tells(turn, turn.text) or not turn.understanding.keys(turn.text):
        return None  # "tarai bangun" is an answer; "kenapa?" asks nothing the context can read
    followed = followup.resolve(turn)
    if followed is None or not followed.intent:
        return None
    log.debug("a question mid-flow read as %r (%s) %s", followed.text, followed.why, followed.intent)
    return await run_intent(replace(turn, text=followed.text), followed.intent, followed.score)


def _closes(turn: Turn, heard: smalltalk.Heard) -> Family | None:
    language = turn.content.language
    return turn.understanding.smalltalk.closes(heard, language.yes_words | language.no_words)


def _thanks_not_yes(turn: Turn, heard: smalltalk.Heard) -> bool:
    """Small talk whose only yes is an acknowledgement heard as another family than the message's ("ok" in
    "ok mksh", "baik" in "baik, terima kasih"): a thank-you or a compliment, not the step's yes. A plain yes
    ("ya, makasih": "ya" is no small talk by itself) still answers the step; so does "oke siap" (one family)."""
    family = heard.family
    if family.closes or family.announces or family.intent == "greeting":
        return False
    yes = turn.content.language.yes_words
    acks = [w for w in turn.norm.split() if w in yes]
    if not acks:
        return False
    for word in acks:
        alone = turn.understanding.smalltalk.hear(word)
        if alone is None or alone.family.id == family.id:
            return False
    return True
