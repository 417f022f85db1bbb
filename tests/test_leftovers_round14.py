"""Leftovers of round 13, each as a resident sees it through `python -m bot chat --jsonl`."""

from __future__ import annotations

from tests.support.chat import payloads_of, text_of
from tests.support.cli import chat_jsonl
from tests.support.immunization import RAW


def _name(alias: str) -> str:
    """A vaccine's Indonesian name in the content, found by one of its names."""
    vaccine = next(v for v in RAW["vaccines"] if alias in v["names"])
    name = vaccine["name"]
    return str(name["id"] if isinstance(name, dict) else name)


def test_dpt_in_chat_is_dapat_where_it_gets_something_and_the_vaccine_where_it_is_named(env: dict[str, str]) -> None:
    """ "bisa dpt vaksin campak dmn" is "bisa dapat": it asks about measles (MR) only, not DPT as well."""
    where, dpt = chat_jsonl(["bisa dpt vaksin campak dmn", "imunisasi dpt"], env, user="dpt")
    assert where["intent"] == "imunisasi_vaksin"
    assert _name("campak") in text_of(where) and _name("dpt") not in text_of(where)
    assert _name("dpt") in text_of(dpt)


def test_a_missed_dose_at_one_age_of_a_child_now_older_gets_the_catch_up_at_the_childs_age(env: dict[str, str]) -> None:
    """The two ages were added (9 + 14 = "23 bulan"); the child is 14 months and missed MR at 9."""
    for said, age in (("campak 9 bulan terlewat, sekarang 14 bulan", "14 bulan"),
                      ("skipped measles at 9 months, he is 14 months", "14 months")):  # fmt: skip
        [answer] = chat_jsonl([said], env, user=f"late-{age}")
        assert answer["intent"] == "imunisasi_kejar", answer["intent"]
        assert age in text_of(answer) and age.replace("14", "23") not in text_of(answer)
        assert "MR" in text_of(answer)


def test_panic_attacks_and_someone_to_talk_to_get_the_mental_health_answer_with_an_officer_offered(
    env: dict[str, str],
) -> None:
    """It opened a handover: "someone to talk to" beside a matter the content answers asks for that answer
    (counselling at the puskesmas, SEJIWA 119 ext. 8); an officer stays one press away. Someone asked
    for with no matter told still opens one, as a named person does (tests/test_handover.py)."""
    [panic] = chat_jsonl(["i have panic attacks, is there someone to talk to?"], env, user="panic")
    assert panic["intent"] == "kesehatan_jiwa", panic["intent"]
    assert "119" in text_of(panic) and "puskesmas" in text_of(panic)
    assert "handover:open" in payloads_of(panic)
    [someone] = chat_jsonl(["is there someone to talk to?"], env, user="someone")
    assert someone["intent"] == "handover"
