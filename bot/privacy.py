"""Personal data that must never be stored: NIKs, phone numbers, e-mail addresses; pseudonyms.

UU 27/2022: the bot never asks for a NIK, and whatever a user types of it (or of a
phone number) is redacted before anything is written anywhere.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

# A NIK is 16 digits; people type it in groups ("1471 0212 3456 0001", "1471.0212.3456.0001", "1471 - 0212...").
_SEP = r"(?:[\s._\-/]{1,3})?"  # also tabs, line breaks and underscores
NIK = re.compile(r"(?<!\d)\d(?:" + _SEP + r"\d){15}(?!\d)")
# Indonesian phone numbers: 08.., +62 8.., 62 8.., (+62) 812.., +62 (0)812.., (0761) 12345; 9-14 digits in all.
_PREFIX = r"(?:\(?\+?\s?62\)?(?:" + _SEP + r"\(0\))?|\(?0)"
PHONE = re.compile(r"(?<![\d+])" + _PREFIX + _SEP + r"\(?\d{2,4}\)?(?:" + _SEP + r"\d){5,10}(?!\d)")
# E-mail, also spelled out to dodge filters: "nama @ gmail . com", "nama[at]gmail[dot]com", "nama (at) gmail (dot) com".
_AT = r"(?:\s?@\s?|\s?[\[(]at[\])]\s?|\s(?:at|et)\s)"
_DOT = r"(?:\.|\s\.\s|\s?[\[(]dot[\])]\s?|\s(?:dot|titik)\s)"
EMAIL = re.compile(r"[\w.+-]+" + _AT + r"[\w-]+(?:" + _DOT + r"[a-zA-Z0-9-]+)+", re.IGNORECASE)

NIK_MARK, PHONE_MARK, EMAIL_MARK = "[NIK]", "[NOMOR]", "[EMAIL]"

# Staff commands that name an account by its platform id, exactly as /idsaya shows it
# ("/kader telegram:5012345678 14.71.02.1002"). There the id names the account the office
# manages, not a number someone shared: it stays as typed, and only the text around it is redacted.
ACCOUNT_COMMANDS = re.compile(r"\s*/kader(?:@\w+)?(?:\s|$)", re.IGNORECASE)
PLATFORM_ID = re.compile(r"(?<![\w:])(?:telegram|whatsapp|console):[\w-]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Redacted:
    text: str
    kinds: frozenset[str]  # which kinds were found: "nik", "phone", "email"


def redact(text: str) -> Redacted:
    """The text with NIKs, phone numbers and e-mail addresses replaced by markers (platform ids of staff commands kept)."""
    if not ACCOUNT_COMMANDS.match(text):
        return _redact(text)
    pieces: list[str] = []
    kinds: set[str] = set()
    start = 0
    for found in PLATFORM_ID.finditer(text):
        around = _redact(text[start : found.start()])  # each piece alone: no number runs on into the id
        pieces += [around.text, found.group()]
        kinds |= around.kinds
        start = found.end()
    rest = _redact(text[start:])
    return Redacted("".join([*pieces, rest.text]), frozenset(kinds | rest.kinds))


def _redact(text: str) -> Redacted:
    kinds: set[str] = set()

    def mark(kind: str, marker: str):  # type: ignore[no-untyped-def]
        def repl(_: re.Match[str]) -> str:
            kinds.add(kind)
            return marker

        return repl

    out = EMAIL.sub(mark("email", EMAIL_MARK), text)
    out = NIK.sub(mark("nik", NIK_MARK), out)
    out = PHONE.sub(mark("phone", PHONE_MARK), out)
    return Redacted(out, frozenset(kinds))


@lru_cache(maxsize=4096)
def pseudonym(user_key: str, secret: bytes) -> str:
    """A stable, keyed pseudonym: the same user maps to the same value, irreversible without the key.

    One message asks for its sender's pseudonym four to six times (the accept, the state's load and save, the
    query log, the labels' language): kept for the last few thousand users, and computed one-shot in C
    (hmac.digest; `hmac.new` builds two Python hash objects per call)."""
    return hmac.digest(secret, user_key.encode("utf-8"), "sha256").hex()[:32]
