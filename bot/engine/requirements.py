"""What the code needs from the content: the handlers it names and the entry ids the code links to.

One check, used by `content check` and by every live reload (the composition root passes
`CHECKS` to both), so a content version that lacks them never goes live.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from bot.engine.features import FEATURES
from bot.engine.replies import MENU_INTENTS
from bot.knowledge.content import Check, Content
from bot.knowledge.faq import FILES as FAQ_FILES
from bot.knowledge.source import Problems


@dataclass(frozen=True, slots=True)
class Requirements:
    handlers: frozenset[str]  # every handler name content may use
    intents: Mapping[str, str]  # entry id the code links to -> who needs it


def requirements() -> Requirements:
    needed: dict[str, str] = dict.fromkeys(MENU_INTENTS, "the main menu")
    for feature in FEATURES:
        for intent_id in feature.requires_intents:
            needed.setdefault(intent_id, f"the {feature.name} answers")
    handlers = frozenset(name for feature in FEATURES for name in feature.handlers)
    return Requirements(handlers, needed)


def check_requirements(content: Content, problems: Problems) -> None:
    """Every handler named by an entry exists in code; every entry id the code links to exists."""
    required = requirements()
    book = content.intents
    for intent in book.intents:
        if intent.handler and intent.handler not in required.handlers:
            problems.error(intent.file, intent.line, f"entry '{intent.id}': unknown handler '{intent.handler}'")
    ids = [intent.id for intent in book.intents]
    for intent_id, who in required.intents.items():
        if book.get(intent_id) is not None:
            continue
        message = f"entry '{intent_id}' is missing: the code links to it ({who})"
        close = difflib.get_close_matches(intent_id, ids, n=1, cutoff=0.6)
        if close and (renamed := book.get(close[0])) is not None:
            problems.error(renamed.file, renamed.line, f"{message} (renamed to '{renamed.id}'?)")
        else:
            problems.error(FAQ_FILES[0], 1, message)


CHECKS: tuple[Check, ...] = (check_requirements,)
