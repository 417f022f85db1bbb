"""A typed NIK (or phone number) is never echoed and never stored: every table, every column is scanned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, inspect, select

from bot.knowledge.holder import ContentHolder
from bot.privacy import redact
from bot.runtime import Runtime
from bot.storage.db import Database
from tests.support.chat import Chat, text_of
from tests.support.settings import CONTENT, make_settings

# Made-up NIKs (16 digits) in the spellings residents use; each one different so each is looked for.
SPELLED = [
    ("nik saya 1471021234560001", "1471021234560001"),
    ("NIK: 1471 0212 3456 0002", "1471021234560002"),
    ("1471.0212.3456.0003 ini nik saya", "1471021234560003"),
    ("nik 1471-0212-3456-0004 bisa dicek?", "1471021234560004"),
    ("nik istri 14 71 02 12 34 56 00 05", "1471021234560005"),
    ("nik1471021234560006ya", "1471021234560006"),
    ("1471/0212/3456/0007", "1471021234560007"),
    ("nik 1471_0212_3456_0008", "1471021234560008"),
    ("nik 1471  0212  3456  0009", "1471021234560009"),
    ("tolong cek 1471 - 0212 - 3456 - 0010", "1471021234560010"),
]
PHONE = ("wa saya 0812-3456-7890 ya", "081234567890")


@pytest.mark.parametrize(("typed", "digits"), [*SPELLED, PHONE])
def test_every_spelling_is_redacted(typed: str, digits: str) -> None:
    redacted = redact(typed)
    assert redacted.kinds & {"nik", "phone"}
    assert digits not in re.sub(r"\D", "", redacted.text)


def test_line_breaks_and_tabs_inside_a_nik_are_redacted() -> None:
    for typed in ("1471\n0212\n3456\n0001", "1471\t0212\t3456\t0001"):
        assert redact(typed).text == "[NIK]"


async def test_no_stored_row_contains_a_typed_nik(database: Database, tmp_path: Path) -> None:
    service = Runtime(make_settings(tmp_path), database, ContentHolder(CONTENT))
    chat = Chat(service, user="warga")
    typed = [t for t, _ in SPELLED]
    # Outside any flow, inside the UHC check (at two different steps), after it, and a phone number.
    script = [
        typed[0],
        "apakah saya bisa berobat gratis pakai ktp",
        typed[1],
        typed[2],
        "ya",
        typed[3],
        typed[4],
        "sudah",
        typed[5],
        "tidak tahu",
        typed[6],
        "cek status bpjs " + typed[7],
        typed[8],
        typed[9],
        PHONE[0],
    ]
    try:
        for line in script:
            result = await chat.say(line)
            shown = re.sub(r"\D", "", text_of(result))
            for _, digits in [*SPELLED, PHONE]:
                assert digits not in shown, line
            if line in typed or line == PHONE[0]:
                assert "jangan kirim NIK" in text_of(result), line
    finally:
        await service.close()  # writes every queued query-log row before we look

    rows = 0
    async with database.engine.connect() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert "conversations" in names
        for name in names:
            table = await conn.run_sync(lambda c, n=name: Table(n, MetaData(), autoload_with=c))
            for row in (await conn.execute(select(table))).all():
                rows += 1
                for column, value in zip(table.columns, row, strict=True):
                    if value is None:
                        continue
                    stored = str(value)
                    flat = re.sub(r"\D", "", stored)
                    for spelled, digits in [*SPELLED, PHONE]:
                        assert digits not in flat, f"{name}.{column.name} holds {spelled!r}"
    assert rows > 0  # something was stored, so the scan looked at real rows
