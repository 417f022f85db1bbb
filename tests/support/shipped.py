"""The repository's own content/, loaded once per test process (it must load without problems)."""

from __future__ import annotations

from functools import cache

from bot.knowledge.content import Content, load_content
from tests.support.settings import CONTENT


@cache
def shipped_content() -> Content:
    content, problems = load_content(CONTENT)
    assert content is not None, "\n".join(str(p) for p in problems)
    return content
