"""The guided steps around a child's own schedule, declared as a table: asking for the birth
date or the age, and the offer to remind the parent before the next doses.
"""

from __future__ import annotations

from datetime import date

from bot.engine.features.immunization import answers, offer_reply, reading
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Outcome
from bot.i18n import format_date
from bot.storage import subscriptions
from bot.topics.dates import find_date

SHORT_ANSWER_WORDS = 6


async def typed_birth(turn: Turn) -> Outcome | None:
    """Step "birth": a birth date (or an age); a short reply with a number or a month we cannot read gets a hint."""
    return _typed_answer(turn, month_is_an_answer=True)


async def typed_age(turn: Turn) -> Outcome | None:
    """Step "age": an age (or a birth date); a short reply with a number we cannot read gets a hint."""
    return _typed_answer(turn, month_is_an_answer=False)


def _typed_answer(turn: Turn, *, month_is_an_answer: bool) -> Outcome | None:
    """A date or an age answers the step; a longer text is another question (None: normal routing answers it)."""
    if reading.another_question(turn):
        turn.state.leave()
        return None
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return answers.personal_for(turn, mention)
    age = reading.typed_age(turn)
    if age is not None:
        return answers.at_age_answer(turn, age)
    # A short reply with a number (or a month) was meant as the answer; a longer text is another question.
    short = len(turn.text.split()) <= SHORT_ANSWER_WORDS
    if short and (any(ch.isdigit() for ch in turn.text) or (month_is_an_answer and reading.names_a_month(turn.text))):
        if not month_is_an_answer:
            text = turn.t('Maaf, umurnya belum saya pahami. Tulis seperti ini: "2 bulan", "9 bulan" atau "1,5 tahun".')
            return turn.outcome("imunisasi_usia", reply(text, [menu_button(turn)]), answered=False)
        text = turn.t("Maaf, tanggalnya belum saya pahami. Tulis seperti ini: 3 Agustus 2026 atau 03-08-2026.")
        return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]), answered=False)
    turn.state.leave()
    return None


async def typed_offer_reply(turn: Turn) -> Outcome | None:
    """Step "remind": "ya" (with a nickname, perhaps) or "tidak"; another date is a new schedule; else the offer lapses."""
    answer = offer_reply.yes_or_no(turn)
    if answer is True:
        return await remind(turn, offer_reply.nickname(turn))
    if answer is False:
        return no_reminder(turn)
    mention = find_date(turn.text, turn.today)
    if mention is not None:
        return answers.personal_for(turn, mention)
    turn.state.leave()  # something else entirely: answer it normally, the offer lapses
    return None


async def offer_button(turn: Turn, answer: str) -> Outcome:
    """Step "remind": the "Ya, ingatkan" / "Tidak" buttons."""
    if answer == "yes":
        return await remind(turn, None)
    return no_reminder(turn)


async def remind(turn: Turn, nickname: str | None) -> Outcome:
    """Store the reminder the parent asked for: the birth date, and a nickname only if they gave one."""
    raw = turn.state.data.get("birth")
    turn.state.leave()
    try:
        birth = date.fromisoformat(str(raw))
    except ValueError:
        return answers.ask_birth(turn, turn.t("Maaf, tanggal lahirnya sudah tidak saya simpan."))
    existing = await subscriptions.child_reminders(turn.db, turn.inbound.user_key)
    if any(r.birth_date == birth for r in existing):
        await subscriptions.ensure_subscriber(
            turn.db, turn.inbound.user_key, turn.inbound.channel, turn.lang, turn.content.office.region_code
        )
        text = turn.t("Pengingat untuk anak yang lahir {date} sudah aktif.", date=format_date(birth, turn.lang))
    else:
        await subscriptions.add_child_reminder(
            turn.db,
            turn.inbound.user_key,
            turn.inbound.channel,
            birth,
            nickname,
            turn.lang,
            office=turn.content.office.region_code,  # the resident's office sends the reminders
        )
        who = nickname or turn.t("anak yang lahir {date}", date=format_date(birth, turn.lang, weekday=False))
        text = turn.t("Baik, saya akan mengingatkan Anda sebelum setiap jadwal imunisasi {who}.", who=who)
    text += "\n" + turn.t("Ketik berhenti kapan saja untuk berhenti menerima pengingat.")
    return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]))


def no_reminder(turn: Turn) -> Outcome:
    turn.state.leave()
    text = turn.t("Baik, tidak apa-apa. Jadwal di atas bisa Anda simpan. Ketik menu untuk topik lain.")
    return turn.outcome("imunisasi_pribadi", reply(text, [menu_button(turn)]))
