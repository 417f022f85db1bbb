"""The repository's own content/, loaded once per test process (it must load without problems), and how it reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from bot.knowledge.content import Content, load_content
from tests.support.settings import CONTENT


@cache
def shipped_content() -> Content:
    content, problems = load_content(CONTENT)
    assert content is not None, "\n".join(str(p) for p in problems)
    return content


def shipped_normalize() -> Callable[[str], str]:
    """The shipped content's normaliser: a message as the bot reads it (slang expanded, typos corrected)."""
    from bot.engine.understanding import understanding_for

    return understanding_for(shipped_content()).normalize
