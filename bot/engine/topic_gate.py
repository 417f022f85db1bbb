"""Where the matcher is about to answer, the learned second opinion (topic_net.py) may stop it.

Asked on the confident answers the dialogue reads from the text: a direct answer, a clause told beside a question
(dialogue.py) and a story's main question (story_answer.py); not a follow-up the conversation's context resolves,
where the model, reading the words and the answer before, is wrong more often than the context (bench/RESULTS.md,
round 15 gateO). The model sure that another entry answers and doubting the pick: "Maksud Anda...?" with both; sure
the message is about nothing the office answers: the fallback. A better question back than a confident wrong answer.
"""

from __future__ import annotations

from bot.engine import replies, topic_net
from bot.engine.turn import Turn
from bot.engine.types import Outcome


def opinion(turn: Turn) -> topic_net.Reading | None:
    """The learned second opinion on the message, read with the answer of the turn before it."""
    net = turn.understanding.topic_net
    return net.read(turn.text, topic_net.previous(turn.state.last_intent, net.intents))


def doubted(turn: Turn, intent_id: str, score: float, reading: topic_net.Reading | None = None) -> Outcome | None:
    """The question back or the fallback where the model doubts `intent_id`; None: answer it."""
    reading = reading if reading is not None else opinion(turn)
    if topic_net.declines(reading, intent_id):
        return replies.fallback(turn, score, [])
    other = topic_net.disagrees(reading, intent_id)
    if other is None:
        return None
    both = [turn.content.intents.get(i) for i in (intent_id, other)]
    return replies.clarify(turn, [i for i in both if i is not None], score)
