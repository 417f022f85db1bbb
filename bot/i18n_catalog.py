"""Translator's tool: extract the UI strings, update and compile the catalogues, check them.

    python -m bot.i18n_catalog update    # code -> locales/messages.pot -> every <lang>/LC_MESSAGES/messages.po
    python -m bot.i18n_catalog compile   # every messages.po -> messages.mo (what the bot reads)
    python -m bot.i18n_catalog check     # what is missing, untranslated, broken or not compiled; exit 1 on any
    python -m bot.i18n_catalog init jv   # start a new language from the template

Indonesian is the source language: its catalogue is filled from the msgids. English must be
complete; any other language may be partial (the rest is shown in Indonesian).
"""

from __future__ import annotations

import argparse
import gettext
import io
import string
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import DEFAULT_LANG, DOMAIN

ROOT = Path(__file__).resolve().parent.parent
# turn.t / turn.nt in features, t() in templates and dashboard views, _t(lang, ...) in broadcasts,
# translations(lang).gettext(...) where no Turn exists (flood guard, WhatsApp labels).
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "t": None,
    "nt": (1, 2),
    "_t": (2,),
    "gettext": None,
    "ngettext": (1, 2),
}
COMPLETE = ("id", "en")  # these must translate every string; other languages may fall back to Indonesian
INDONESIAN_PLURALS = "nplurals=1; plural=0;"


def _method_map(root: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    from babel.messages import frontend

    with open(root / "babel.cfg", encoding="utf-8") as fp:
        parse = getattr(frontend, "parse_mapping_cfg", None)
        if parse is not None:
            return parse(fp, str(root / "babel.cfg"))
        return frontend.parse_mapping(fp)  # Babel < 2.15


def extract(root: Path = ROOT) -> Catalog:
    """The template catalogue: every UI string in the code and templates under `root`."""
    method_map, options_map = _method_map(root)
    template = Catalog(project="TanyaSehat", msgid_bugs_address="", charset="utf-8", fuzzy=False)
    found = extract_from_dir(str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _po_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(locales: Path) -> list[str]:
    """Every language with a .po catalogue in `locales`."""
    if not locales.is_dir():
        return []
    return sorted(p.name for p in locales.iterdir() if _po_path(locales, p.name).is_file())


def read(path: Path, lang: str) -> Catalog:
    with open(path, "rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def _write_po(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, ignore_obsolete=True, include_previous=True)
    path.write_bytes(buffer.getvalue())


def _fill_indonesian(catalog: Catalog) -> None:
    """The source language translates to itself: msgstr = msgid, one plural form."""
    for message in catalog:
        if not message.id:
            continue
        message.string = (message.id[0],) if isinstance(message.id, tuple | list) else message.id
        message.flags.discard("fuzzy")


def update(root: Path = ROOT, locales: Path | None = None) -> list[str]:
    """Write messages.pot and merge it into every language's .po (Indonesian filled in); returns the languages."""
    locales = locales or root / "locales"
    template = extract(root)
    locales.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, template, width=100)
    (locales / f"{DOMAIN}.pot").write_bytes(buffer.getvalue())
    langs = sorted({DEFAULT_LANG, *languages(locales)})
    for lang in langs:
        path = _po_path(locales, lang)
        catalog = read(path, lang) if path.is_file() else Catalog(locale=lang, domain=DOMAIN, fuzzy=False)
        catalog.version = "0.1"
        catalog.update(template, no_fuzzy_matching=False)
        if lang == DEFAULT_LANG:
            _fill_indonesian(catalog)
            # Babel assumes two plural forms for "id"; Indonesian has one, and with two a plural string
            # whose second form is empty would silently fall back to the msgid.
            catalog.mime_headers = [("Plural-Forms", INDONESIAN_PLURALS)]
        catalog.project, catalog.fuzzy = "TanyaSehat", False
        _write_po(path, catalog)
    return langs


def init(lang: str, root: Path = ROOT, locales: Path | None = None) -> Path:
    """Start a new language: an empty catalogue with every string of the template."""
    locales = locales or root / "locales"
    path = _po_path(locales, lang)
    if path.exists():
        raise SystemExit(f"{path} exists already; use update")
    catalog = Catalog(locale=lang, domain=DOMAIN, project="TanyaSehat", fuzzy=False)
    if lang in ("jv", "su", "ms", "min", "bjn", "ban", "bug", "mad"):  # no grammatical plural, like Indonesian
        catalog.mime_headers = [("Plural-Forms", INDONESIAN_PLURALS)]
    catalog.update(extract(root))
    _write_po(path, catalog)
    return path


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all(locales: Path) -> list[Path]:
    """Compile every .po into the .mo the bot reads."""
    written = []
    for lang in languages(locales):
        path = _po_path(locales, lang)
        mo = path.with_suffix(".mo")
        mo.write_bytes(_mo_bytes(read(path, lang)))
        written.append(mo)
    return written


def _strings(message: Message) -> list[str]:
    value = message.string
    if isinstance(value, tuple | list):
        return [s for s in value]
    return [value or ""]


def _fields(text: str) -> set[str]:
    """The {placeholders} of a text (what .format() fills in); a broken brace counts as a placeholder."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<broken braces>"}


def _decoded(mo: bytes) -> dict[object, str]:
    """The translations of a .mo; the header without the line naming the Babel version that wrote it."""
    catalog = dict(gettext.GNUTranslations(io.BytesIO(mo))._catalog)  # type: ignore[attr-defined]
    header = catalog.get("", "")
    catalog[""] = "\n".join(line for line in header.splitlines() if not line.startswith("Generated-By:"))
    return catalog


def check(root: Path = ROOT, locales: Path | None = None) -> list[str]:
    """Every problem with the catalogues, one line each; an empty list means all is well."""
    locales = locales or root / "locales"
    problems: list[str] = []
    template = extract(root)
    wanted = [m for m in template if m.id]
    langs = languages(locales)
    for lang in COMPLETE:
        if lang not in langs:
            problems.append(f"{_po_path(locales, lang)}: missing catalogue")
    for lang in langs:
        path = _po_path(locales, lang)
        catalog = read(path, lang)
        if lang == DEFAULT_LANG and catalog.plural_forms != INDONESIAN_PLURALS:
            problems.append(f"{path}: Plural-Forms must be '{INDONESIAN_PLURALS}', not '{catalog.plural_forms}'")
        for message in wanted:
            where = f"{path}: {_short(message.id)}"
            have = catalog.get(message.id)
            if have is None:
                if lang in COMPLETE:
                    problems.append(f"{where}: missing")
                continue
            texts = _strings(have)
            translated = all(texts) and "fuzzy" not in have.flags
            if lang in COMPLETE and not translated:
                problems.append(f"{where}: not translated" + (" (fuzzy)" if "fuzzy" in have.flags else ""))
            if isinstance(message.id, tuple | list) != isinstance(have.id, tuple | list):
                problems.append(f"{where}: singular/plural form differs from the code")
            wanted_fields = set().union(*(_fields(i) for i in _ids(message)))
            for text in texts:
                if text and _fields(text) != wanted_fields:
                    problems.append(f"{where}: placeholders {sorted(_fields(text))} should be {sorted(wanted_fields)}")
        mo = path.with_suffix(".mo")
        if not mo.is_file():
            problems.append(f"{mo}: not compiled (run: python -m bot.i18n_catalog compile)")
        elif _decoded(mo.read_bytes()) != _decoded(_mo_bytes(catalog)):
            problems.append(f"{mo}: older than {path.name} (run: python -m bot.i18n_catalog compile)")
    return problems


def _ids(message: Message) -> Iterable[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _short(msgid: object) -> str:
    text = msgid[0] if isinstance(msgid, tuple | list) else str(msgid)
    text = text.replace("\n", " ")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_catalog", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["update", "compile", "check", "init"])
    parser.add_argument("lang", nargs="?", help="language code for init (e.g. jv)")
    parser.add_argument("--locales", type=Path, default=None, help="catalogue dir (default: locales/)")
    args = parser.parse_args(argv)
    locales = args.locales or ROOT / "locales"
    if args.action == "update":
        print("updated:", ", ".join(update(ROOT, locales)))
    elif args.action == "compile":
        for mo in compile_all(locales):
            print("compiled", mo)
    elif args.action == "init":
        if not args.lang:
            parser.error("init needs a language code, e.g. init jv")
        print("created", init(args.lang, ROOT, locales))
    else:
        problems = check(ROOT, locales)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)" if problems else "catalogues complete and compiled")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
