"""Choosing the language the bot answers in: /bahasa, "english please", "bahasa indonesia"."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from bot.engine.feature import Feature
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.i18n import DEFAULT_LANG, available_languages


def language_name(code: str) -> str:
    """A language's name in that language ("Bahasa Indonesia", "English", "Jawa")."""
    if code == "id":
        return "Bahasa Indonesia"  # Babel says only "Indonesia"
    try:
        return (Locale.parse(code).display_name or code).capitalize()
    except (UnknownLocaleError, ValueError):
        return code


def _named_in(text: str) -> str | None:
    """The available language a message names, in Indonesian, English or its own name."""
    words = set(text.lower().replace("-", " ").split())
    for code in available_languages():
        names = {code}
        try:
            locale = Locale.parse(code)
            for in_lang in ("id", "en", code):
                name = locale.get_display_name(in_lang)
                if name:
                    names.add(name.lower())
        except (UnknownLocaleError, ValueError):
            pass
        if code == "en":
            names.update({"inggris", "english"})
        if any(all(w in words for w in name.split()) for name in names if name):
            return code
    return None


async def choose(turn: Turn) -> Outcome:
    """Switch straight away when the message names a language; otherwise offer the choice."""
    named = _named_in(turn.text)
    if named is not None:
        return _switch(turn, named)
    codes = sorted(available_languages(), key=lambda code: (code != DEFAULT_LANG, code))  # Indonesian first
    buttons = [Button(f"lang:{code}", language_name(code)) for code in codes]
    return turn.outcome("bahasa", reply(turn.t("Pilih bahasa yang Anda inginkan:"), buttons))


async def on_payload(turn: Turn) -> Outcome:
    code = (turn.inbound.payload or "").removeprefix("lang:")
    if code not in available_languages():
        return await choose(turn)
    return _switch(turn, code)


def _switch(turn: Turn, code: str) -> Outcome:
    turn.state.lang, turn.state.lang_chosen = code, True
    text = turn.t("Baik, mulai sekarang saya menjawab dalam {language}.", language=language_name(code))
    return turn.outcome("bahasa", reply(text, [menu_button(turn)]))


FEATURE = Feature(
    name="language",
    not_answers=frozenset({"bahasa"}),  # a setting, not an answer
    handlers={"language.choose": choose},
    payload_prefix="lang",
    on_payload=on_payload,
    commands={"/bahasa": choose, "/language": choose},
)
