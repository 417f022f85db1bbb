"""Leftovers of round 13, each as a resident sees it through `python -m bot chat --jsonl`."""

from __future__ import annotations

from tests.support.chat import text_of
from tests.support.cli import chat_jsonl
from tests.support.immunization import RAW


def _name(alias: str) -> str:
    """A vaccine's Indonesian name in the content, found by one of its names."""
    vaccine = next(v for v in RAW["vaccines"] if alias in v["names"])
    name = vaccine["name"]
    return str(name["id"] if isinstance(name, dict) else name)


def test_dpt_in_chat_is_dapat_where_it_gets_something_and_the_vaccine_where_it_is_named(env: dict[str, str]) -> None:
    """"bisa dpt vaksin campak dmn" is "bisa dapat": it asks about measles (MR) only, not DPT as well."""
    where, dpt = chat_jsonl(["bisa dpt vaksin campak dmn", "imunisasi dpt"], env, user="dpt")
    assert where["intent"] == "imunisasi_vaksin"
    assert _name("campak") in text_of(where) and _name("dpt") not in text_of(where)
    assert _name("dpt") in text_of(dpt)
