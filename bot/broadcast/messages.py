"""What goes into the queue and when: due broadcast runs, personal immunization reminders, summaries to authors."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.i18n import available_languages, format_date, translations
from bot.knowledge.content import Content
from bot.knowledge.offices import Offices
from bot.knowledge.source import Localized
from bot.storage import broadcasts as queue
from bot.storage import outbox, subscriptions
from bot.storage.db import Database
from bot.topics import immunization, puskesmas
from bot.topics.schedule import WhenError, next_run

log = logging.getLogger(__name__)

REMINDER_DAYS_BEFORE = 3  # a reminder three days before the dose is due, and one on the day
REMINDER_HOUR = time(8, 0)  # reminders go out at 08:00 office time...
QUIET_FROM = time(20, 0)  # ...and a day's reminders not queued by 20:00 are skipped, never sent at night
REMINDER_TEMPLATE = "pengingat_imunisasi"  # content/whatsapp_templates.yaml key: [nama_anak, vaksin, tanggal]


def _t(lang: str, message: str, **values: Any) -> str:
    text = translations(lang).gettext(message)
    return text.format(**values) if values else text


def broadcast_texts(content: Content, broadcast: queue.Broadcast) -> dict[str, str]:
    """The message in every language we have: who it is from, the author's words, how to stop."""
    texts = {}
    for lang in available_languages():
        if broadcast.author_role == "staff":
            head = _t(lang, "📢 Pengumuman dari {office}:", office=content.office.name)
        else:
            head = _t(lang, "📢 Pesan dari kader kesehatan di wilayah Anda:")
        stop = _t(lang, "Ketik berhenti bila tidak ingin menerima pesan lagi.")
        texts[lang] = f"{head}\n\n{broadcast.text}\n\n{stop}"
    return texts


async def queue_due_broadcasts(db: Database, content: Content, now: datetime, offices: Offices | None = None) -> int:
    """Put every due broadcast run in the queue; a repeating one gets its next time.

    With several offices a broadcast is its audience's office's (its name, its time zone); one to
    everyone is the default office's.
    """
    queued = 0
    default = (offices.default if offices is not None else content).office.region_code  # rows kept before offices
    for broadcast in await queue.due_broadcasts(db, now):
        office = (offices.of_area(broadcast.audience) if offices is not None else None) or content
        following = None
        if broadcast.repeat:
            try:
                following = next_run(broadcast.repeat, now.astimezone(office.office.zone))
            except WhenError:
                log.error("broadcast %s has a broken repeat rule %r; sending once", broadcast.id, broadcast.repeat)
        texts = broadcast_texts(office, broadcast)
        n = await queue.queue_run(db, broadcast.id, broadcast.runs, now, texts, following, default)
        if n is not None:
            log.info("broadcast %s run %s queued for %d recipient(s)", broadcast.id, broadcast.runs + 1, n)
            queued += n
    return queued


async def queue_summaries(db: Database, now: datetime) -> None:
    """When a run has nothing left to send, tell its author how it went (once)."""
    for run, broadcast, counts in await queue.completed_runs(db):
        lang = broadcast.author_lang
        text = _t(
            lang,
            "Siaran #{id} selesai: {sent} terkirim, {failed} gagal, {blocked} tidak bisa dihubungi (memblokir bot).",
            id=broadcast.id,
            sent=counts.sent,
            failed=counts.failed + counts.uncertain,
            blocked=counts.blocked,
        )
        if counts.maybe_twice:  # a worker died mid-request and these were sent again
            text += "\n" + maybe_twice_note(lang, counts.maybe_twice)
        channel = broadcast.author.split(":", 1)[0]
        # Queued before the run is marked finished: a worker dying in between leaves the run unfinished, and
        # the next round queues the summary again, which its key makes a no-op.
        await outbox.enqueue(db, f"s{run.broadcast_id}.{run.run}", broadcast.author, channel, lang, text, now)
        await queue.mark_run_finished(db, run.broadcast_id, run.run, now)


def maybe_twice_note(lang: str, n: int) -> str:
    """For the author (run summary and /siaranku): recipients who may have had the message twice."""
    return _t(
        lang,
        "{n} penerima mungkin menerima pesan ini dua kali (pengiriman sempat terputus, "
        "lalu kami kirim ulang agar tidak ada yang terlewat).",
        n=n,
    )


def doses_due(content: Content, birth_date: date, today: date) -> list[tuple[Localized, date]]:
    """(dose label, recommended date) of a child's doses, from the immunization topic's personal schedule."""
    schedule = content.immunization
    if immunization.check_birth(schedule, birth_date, today) is not None:
        return []
    province = content.office.region_code.split(".")[0] or None
    personal = immunization.personal_schedule(schedule, birth_date, today, province)
    return [(d.dose.label, d.on) for d in personal.doses]


def reminder_text(lang: str, nickname: str | None, vaccine: str, due: date, today: date, place: str) -> str:
    child = nickname or _t(lang, "anak Anda")
    when = format_date(due, lang)
    if due == today:
        line = _t(lang, "🩺 Hari ini jadwal imunisasi {vaccine} untuk {child}.", vaccine=vaccine, child=child)
    else:
        line = _t(
            lang,
            "🩺 Pengingat: imunisasi {vaccine} untuk {child} jatuh pada {date}.",
            vaccine=vaccine,
            child=child,
            date=when,
        )
    lines = [line]
    if place:
        lines.append(_t(lang, "Tempat terdekat: {place}.", place=place))
    else:
        lines.append(_t(lang, "Silakan datang ke posyandu atau puskesmas terdekat."))
    lines.append(_t(lang, "Bawa buku KIA. Ketik berhenti bila tidak ingin menerima pengingat lagi."))
    return "\n".join(lines)


def nearest_place(content: Content, kelurahan_code: str | None) -> str:
    """The puskesmas serving the parent's kelurahan (the puskesmas topic decides); '' when unknown."""
    if not kelurahan_code:
        return ""
    directory = content.puskesmas
    for kecamatan in directory.kecamatan:
        for kelurahan in kecamatan.kelurahan:
            if kelurahan.code == kelurahan_code:
                area = puskesmas.Area("kelurahan", kelurahan.name, (kecamatan,), kelurahan)
                found = puskesmas.puskesmas_for_area(directory, area).puskesmas
                return found[0].name if found else ""
    return ""


async def queue_child_reminders(db: Database, content: Content, now: datetime, offices: Offices | None = None) -> int:
    """Queue today's personal reminders (3 days before and on the day); unique keys make reruns harmless.

    Each parent's office (their subscription's) gives the schedule, the nearest puskesmas and the time zone.
    """
    queued = 0
    for child, parent in await subscriptions.active_child_reminders(db):
        own = (offices.get(parent.office) or offices.of_area(parent.kelurahan_code)) if offices is not None else None
        office = own or content
        zone = office.office.zone
        local = now.astimezone(zone)
        today = local.date()
        if local.time() >= QUIET_FROM:  # a worker that was down all day does not send reminders at night
            continue
        for label, due in doses_due(office, child.birth_date, today):
            vaccine = label.get(parent.lang)
            for kind, day in (("before", due - timedelta(days=REMINDER_DAYS_BEFORE)), ("day", due)):
                if day != today:
                    continue
                at = max(local, datetime.combine(today, REMINDER_HOUR, tzinfo=zone))
                text = reminder_text(
                    parent.lang, child.nickname, vaccine, due, today, nearest_place(office, parent.kelurahan_code)
                )
                params = [child.nickname or _t(parent.lang, "anak Anda"), vaccine, format_date(due, parent.lang)]
                key = f"r{child.id}:{label.get()}:{due.isoformat()}:{kind}"  # one key whatever the language
                if await outbox.enqueue(
                    db, key, parent.user_key, parent.channel, parent.lang, text, at, REMINDER_TEMPLATE, params
                ):
                    queued += 1
    return queued
