"""The language a turn is answered in: the one the message is written in, when that is clear and the
office offers it; else the user's /bahasa choice; for a first message, the platform's language hint.

Split from dialogue.py: the dialogue asks once per turn; the choice rules (a chosen language that
the detector cannot tell apart from Indonesian stands) read on their own here.
"""

from __future__ import annotations

from bot.engine import langdetect
from bot.engine.state import ConversationState
from bot.i18n import DEFAULT_LANG, available_languages
from bot.knowledge.content import Content


def answer_in(state: ConversationState, content: Content, written: str | None) -> str | None:
    """Answer in the language the message is written in, when that is clear and the office offers it.

    Returns the chosen language to restore after the turn when a /bahasa choice is overridden for
    this turn only; a user who chose nothing simply continues in the language they write in.
    """
    if written is None or written == state.lang or written not in content.office.languages:
        return None
    if written not in available_languages():
        return None
    if not state.lang_chosen:
        state.lang = written
        return None
    if not content.office.language_follows_message or state.lang not in langdetect.LANGUAGES:
        return None  # the detector cannot tell a chosen Javanese from Indonesian: the choice stands
    preferred, state.lang = state.lang, written
    return preferred


def guess(hint: str) -> str:
    """Telegram's language_code ("en-GB", "jv", "ms") as a first guess, if we have that language; else Indonesian."""
    base = hint.strip().lower().replace("_", "-").split("-")[0]
    return base if base in available_languages() else DEFAULT_LANG
