"""British and American English spell the same word differently: one form for the matcher.

"health centre" and "health center", "immunisation" and "immunization", "paediatric" and
"pediatric" must meet the same content variant, whichever spelling the content or the resident
uses. Both the content's English variants and the message go through `american()`.
"""

from __future__ import annotations

import re

# Whole words that change in more than one place, or whose rule would hit other words.
_WORDS = {
    "programme": "program", "programmes": "programs", "colour": "color", "behaviour": "behavior",
    "neighbour": "neighbor", "neighbours": "neighbors", "neighbourhood": "neighborhood", "labour": "labor",
    "tumour": "tumor", "tumours": "tumors", "favour": "favor", "grey": "gray", "mould": "mold",
    "counselling": "counseling", "counsellor": "counselor", "travelling": "traveling", "cancelled": "canceled",
    "enrol": "enroll", "enrolment": "enrollment", "fulfil": "fulfill", "cheque": "check", "practise": "practice",
    "diarrhoea": "diarrhea", "oedema": "edema", "foetus": "fetus", "manoeuvre": "maneuver", "ageing": "aging",
}  # fmt: skip
_RULES = (
    (re.compile(r"^(cen|me|li|thea|lus)tre(s?)$"), r"\1ter\2"),  # centre, metre, litre
    (re.compile(r"^(fib|calib|sab)re(s?)$"), r"\1er\2"),  # fibre
    (re.compile(r"^(immun|vaccin|hospital|organ|recogn|real|special|minim|priorit|steril|categor|apolog)is"), r"\1iz"),
    (re.compile(r"^(orthop|p)aed"), r"\1ed"),  # paediatric, paediatrician, orthopaedic
    (re.compile(r"^(an|h|leuk|septic)aem"), r"\1em"),  # anaemia, haemorrhage, leukaemia, septicaemia
    (re.compile(r"^gynaec"), "gynec"),
    (re.compile(r"^oes"), "es"),  # oesophagus, oestrogen
)


def american(word: str) -> str:
    """The American spelling of a lower-case English word ("centre" -> "center"); other words unchanged."""
    found = _WORDS.get(word)
    if found is not None:
        return found
    for pattern, replacement in _RULES:
        word = pattern.sub(replacement, word, count=1)
    return word
