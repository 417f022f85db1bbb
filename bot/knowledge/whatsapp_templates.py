"""WhatsApp message templates approved by Meta: the only messages allowed outside the 24-hour window.

Staff create a template in WhatsApp Manager, wait for approval, then list it here with
the same name, its approved languages and what goes into each {{n}} of its body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge.source import Document, Fields, Problems

FILES = ("whatsapp_templates.yaml",)

_NAME = re.compile(r"^[a-z0-9_]{1,512}$")  # Meta's rule for template names
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")  # e.g. id, en, en_US
_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Template:
    key: str  # what the bot calls it, e.g. "pengingat_imunisasi"
    name: str  # the approved name in WhatsApp Manager
    languages: tuple[str, ...]  # approved language codes, the first is the default
    parameters: tuple[str, ...]  # what goes into {{1}}, {{2}}, ... in order
    body: str  # the approved Indonesian wording, for staff and for checking the parameters
    line: int = 1  # where it is written, for content check

    def language_for(self, lang: str) -> str:
        """The approved code closest to the user's language ('en' picks 'en_US'), else the default."""
        for code in self.languages:
            if code == lang or code.split("_")[0] == lang:
                return code
        return self.languages[0]


@dataclass(frozen=True, slots=True)
class Templates:
    items: tuple[Template, ...] = ()

    def get(self, key_or_name: str) -> Template | None:
        return next((t for t in self.items if key_or_name in (t.key, t.name)), None)


EMPTY = Templates()


def parse(docs: list[Document], problems: Problems) -> Templates:
    doc = docs[0]
    top = Fields(doc.data, doc.name, problems, "whatsapp_templates")
    items: list[Template] = []
    seen: dict[str, int] = {}
    for line, raw in top.items("templates", required=False):
        f = Fields(raw, doc.name, problems, "template", line)
        key, name = f.text("key"), f.text("name")
        where = f"template '{key}'"
        if name and not _NAME.match(name):
            f.error("name", f"{where}: name must be lowercase letters, digits and _ exactly as in WhatsApp Manager")
        languages = f.texts("languages")
        for code in languages:
            if not _LANGUAGE.match(code):
                f.error("languages", f"{where}: '{code}' is not a WhatsApp language code (e.g. id, en_US)")
        parameters = f.texts("parameters", required=False)
        body = f.text("body")
        numbers = sorted({int(n) for n in _PLACEHOLDER.findall(body)})
        if numbers != list(range(1, len(parameters) + 1)):
            f.error(
                "parameters",
                f"{where}: the body has placeholders {numbers or 'none'} but {len(parameters)} parameter(s) are listed",
            )
        for label in {key, name}:
            if label and label in seen:
                f.error("key", f"{where}: '{label}' is already used on line {seen[label]}")
            seen.setdefault(label, f.line)
        f.done()
        items.append(Template(key, name, languages, parameters, body, f.line))
    top.done()
    return Templates(tuple(items))


def check(content: Any, problems: Problems) -> None:
    """Cross-section: a template not approved in a language the office answers in only warns.

    Outside the 24-hour window a resident who chose English gets the Indonesian template; only Meta
    can approve another language, so this cannot be an error the office fixes in content.
    """
    templates: Templates = content.whatsapp_templates
    for template in templates.items:
        approved = {code.split("_")[0] for code in template.languages}
        for lang in content.office.languages:
            if lang not in approved:
                problems.warn(
                    FILES[0],
                    template.line,
                    f"template '{template.key}' is not approved in '{lang}': outside WhatsApp's 24-hour window "
                    f"residents who read '{lang}' get it in '{template.languages[0]}'",
                )
