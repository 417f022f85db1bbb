"""One turn of a conversation: what a handler sees and the helpers it answers with."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.engine.state import ConversationState
from bot.engine.types import Button, Inbound, Outcome, Reply
from bot.i18n import translations

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.engine.understanding import Understanding
    from bot.knowledge.content import Content
    from bot.knowledge.faq import Intent
    from bot.knowledge.offices import Offices
    from bot.storage.db import Database


@dataclass
class Turn:
    inbound: Inbound
    content: Content
    state: ConversationState
    now: datetime  # aware, in the office's time zone
    text: str  # what the user typed, NIKs and phone numbers already redacted ("" if nothing)
    understanding: Understanding
    db: Database
    deployment: Offices | None = None  # every office this bot serves; None: only `content`'s
    # The catalogue of each language this turn translated into: a turn translates 4-5 strings, and each look-up
    # of the catalogue reads LOCALES_DIR from the environment and checks its freshness (round 13, issue 23).
    _catalogues: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def offices(self) -> Offices:
        """The offices of the deployment (just this one when the bot serves one office)."""
        if self.deployment is None:
            from bot.knowledge.offices import Offices

            self.deployment = Offices.one(self.content)
        return self.deployment

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def norm(self) -> str:
        """The typed text normalised (lower case, slang expanded, typos kept for the matcher)."""
        return self.understanding.normalize(self.text)

    def t(self, message: str, **values: Any) -> str:
        """Translate an Indonesian UI string into the user's language, then fill in values."""
        text = self._catalogue(self.lang).gettext(message)
        return _fill(text, message, values) if values else text

    def nt(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = self._catalogue(self.lang).ngettext(singular, plural, n)
        return _fill(text, singular if n == 1 else plural, {"n": n, **values})

    def _catalogue(self, lang: str) -> Any:
        found = self._catalogues.get(lang)
        if found is None:
            found = self._catalogues[lang] = translations(lang)
        return found

    def outcome(
        self,
        intent: str,
        *replies: Reply,
        confidence: float = 1.0,
        answered: bool = True,
    ) -> Outcome:
        return Outcome(intent=intent, replies=tuple(replies), confidence=confidence, answered=answered)


def _fill(text: str, original: str, values: dict[str, Any]) -> str:
    """Fill placeholders; a translation with a broken placeholder falls back to the Indonesian text."""
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        log.error("translation of %r has broken placeholders; using Indonesian", original)
        return original.format(**values)


def reply(text: str, buttons: list[Button] | tuple[Button, ...] = (), location_request: bool = False) -> Reply:
    return Reply(text=text.strip(), buttons=tuple(buttons), location_request=location_request)


def intent_button(turn: Turn, intent: Intent) -> Button:
    """A button that answers a content intent, labelled with its title."""
    return Button(f"intent:{intent.id}", intent.title.get(turn.lang))


def intent_buttons(turn: Turn, *intent_ids: str) -> list[Button]:
    """Buttons for the named intents the content has (an entry the office removed is left out)."""
    found = (turn.content.intents.get(intent_id) for intent_id in intent_ids)
    return [intent_button(turn, intent) for intent in found if intent is not None]


def menu_button(turn: Turn) -> Button:
    """The "Menu utama" button that leads back to the main menu from any answer."""
    return Button("menu", turn.t("Menu utama"))
