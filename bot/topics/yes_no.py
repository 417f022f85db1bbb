"""Is a reply yes, no, or neither? One reading for every yes/no question the bot asks.

The words live in content/language.yaml (`yes_words`, `no_words`) so staff can add a spelling.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.knowledge.language import LanguageData

MAX_PHRASE = 3  # the longest yes/no phrase looked for ("tidak mau lagi" is read as "tidak mau")
_POLITE = {"tolong", "boleh", "silakan"}  # "tolong ya", "boleh dong": a yes that starts politely


def yes_or_no(text: str, language: LanguageData, *, also_yes: Collection[str] = (), exact: bool = False) -> bool | None:
    """True or False when the reply starts with a yes or no word (the whole reply when `exact`); else None."""
    words = re.findall(r"[\w']+", text.lower())
    if not words:
        return None
    yes = language.yes_words | set(also_yes)
    if exact:
        whole = " ".join(words)
        return True if whole in yes else False if whole in language.no_words else None
    for n in range(min(MAX_PHRASE, len(words)), 0, -1):  # longest first: "tidak usah" before "tidak"
        phrase = " ".join(words[:n])
        if phrase in language.no_words:
            return False
        if phrase in yes:
            return True
    if len(words) > 1 and words[0] in _POLITE and words[1] in yes:
        return True
    return None
