"""Cadre broadcasts: /siaran writes, previews and schedules a message to residents; /siaranku lists and cancels.

Steps: "bc_text" (the message), "bc_area" (staff only: which area), "bc_time" (when),
"bc_confirm" (the preview). Only registered cadres and staff may broadcast.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.features.reminders.area_choice import choose_area
from bot.engine.features.reminders.steps import BC_AREA, BC_CONFIRM, BC_TEXT, BC_TIME, FLOW
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.i18n import format_date, format_time
from bot.storage import broadcasts, roles
from bot.topics.areas import area_name, find_areas
from bot.topics.schedule import WhenError, parse_when
from bot.topics.yes_no import yes_or_no

SEND_YES = ("kirim", "ya kirim")  # a yes to "send this broadcast?" beyond content/language.yaml's yes_words
MAX_BROADCAST = 1000  # characters: one Telegram message with room for the header and footer


async def broadcast_start(turn: Turn) -> Outcome:
    """/siaran: only cadres and staff; write the message first."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None:
        text = turn.t(
            "Maaf, fitur siaran hanya untuk kader kesehatan dan petugas yang sudah terdaftar. "
            "Hubungi puskesmas atau Dinas Kesehatan untuk didaftarkan."
        )
        return turn.outcome("siaran", reply(text), answered=False)
    turn.state.enter(FLOW, BC_TEXT)
    text = turn.t("Silakan tulis pesan yang ingin dikirim ke warga (paling banyak {n} huruf).", n=MAX_BROADCAST)
    return turn.outcome("siaran", reply(text, [Button("rem:abort", turn.t("Batal"))]))


async def _after_text(turn: Turn) -> Outcome:
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None:
        turn.state.leave()
        return await broadcast_start(turn)
    if grant.is_staff:
        turn.state.step = BC_AREA
        buttons = [
            Button("rem:aud:all", turn.t("Semua warga")),
            Button("rem:abort", turn.t("Batal")),
        ]
        text = turn.t("Untuk siapa pesan ini? Pilih Semua warga, atau ketik nama kelurahan/kecamatan.")
        return turn.outcome("siaran", reply(text, buttons))
    turn.state.data["audience"] = grant.area_code
    return _ask_time(turn)


def _ask_time(turn: Turn) -> Outcome:
    turn.state.step = BC_TIME
    text = turn.t(
        "Kapan dikirim? Pilih Sekarang, atau ketik waktunya, misalnya:\n"
        "• besok jam 08.00\n• 25 Desember 2026 jam 09.00\n• setiap Selasa minggu kedua jam 08.00\n"
        "• setiap hari Senin jam 7 pagi"
    )
    return turn.outcome(
        "siaran", reply(text, [Button("rem:now", turn.t("Sekarang")), Button("rem:abort", turn.t("Batal"))])
    )


async def _preview(turn: Turn, when: datetime, rule: str | None, typed: str) -> Outcome:
    audience = turn.state.data.get("audience")
    turn.state.step = BC_CONFIRM
    turn.state.data.update(run_at=when.isoformat(), rule=rule, when_text=typed)
    n = await broadcasts.count_audience(turn.db, audience, _default_office(turn))
    who = _audience_name(turn, audience)
    when_text = (
        f"{format_date(when.date(), turn.lang)} {format_time(when, turn.lang)} {turn.content.office.timezone_label}"
    )
    lines = [
        turn.t("Pratinjau pesan:"),
        "",
        str(turn.state.data.get("text", "")),
        "",
        turn.nt("Penerima: {n} orang ({who}).", "Penerima: {n} orang ({who}).", n, who=who),
        turn.t("Waktu: {when}.", when=when_text),
    ]
    if rule:
        lines.append(turn.t("Diulang: {rule}.", rule=typed))
    lines.append(turn.t("Kirim pesan ini?"))
    buttons = [Button("rem:send", turn.t("Ya, kirim")), Button("rem:abort", turn.t("Batal"))]
    return turn.outcome("siaran", reply("\n".join(lines), buttons))


async def _confirm(turn: Turn) -> Outcome:
    data = turn.state.data
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    audience = data.get("audience")
    if grant is None or not grant.may_reach(audience):  # the role may have been revoked meanwhile
        turn.state.leave()
        return turn.outcome("siaran", reply(turn.t("Maaf, Anda tidak berhak mengirim ke wilayah itu.")), answered=False)
    run_at = datetime.fromisoformat(str(data["run_at"]))
    broadcast_id = await broadcasts.create_broadcast(
        turn.db,
        turn.inbound.user_key,
        turn.lang,
        grant.role,
        str(data["text"]),
        audience,
        run_at,
        data.get("rule"),
    )
    turn.state.leave()
    text = turn.t(
        "Siaran #{id} sudah masuk jadwal. Ringkasan (terkirim, gagal, diblokir) akan saya kirim setelah selesai.\n"
        "Lihat kemajuan atau batalkan: /siaranku",
        id=broadcast_id,
    )
    return turn.outcome("siaran", reply(text, [menu_button(turn)]))


async def my_broadcasts(turn: Turn) -> Outcome:
    """/siaranku: the author's broadcasts with their progress; scheduled ones can be cancelled."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None:
        return await broadcast_start(turn)
    rows = await broadcasts.broadcasts_of(turn.db, turn.inbound.user_key)
    if not rows:
        return turn.outcome("siaran", reply(turn.t("Anda belum membuat siaran. Ketik /siaran untuk membuat.")))
    lines, buttons = [], []
    for row in rows:
        counts = await broadcasts.counts(turn.db, row.id)
        preview = row.text if len(row.text) <= 40 else row.text[:39] + "…"
        status = {
            broadcasts.SCHEDULED: turn.t("terjadwal"),
            broadcasts.QUEUED: turn.t("dikirim"),
            broadcasts.CANCELLED_BROADCAST: turn.t("dibatalkan"),
        }.get(row.status, row.status)
        lines.append(
            turn.t(
                "#{id} ({status}) “{text}”: {sent} terkirim, {pending} menunggu, {failed} gagal, {blocked} diblokir",
                id=row.id,
                status=status,
                text=preview,
                sent=counts.sent,
                pending=counts.pending,
                failed=counts.failed + counts.uncertain,
                blocked=counts.blocked,
            )
        )
        if counts.maybe_twice:  # the worker's run summary says the same (bot.broadcast.messages)
            lines.append(
                turn.t(
                    "{n} penerima mungkin menerima pesan ini dua kali (pengiriman sempat terputus, "
                    "lalu kami kirim ulang agar tidak ada yang terlewat).",
                    n=counts.maybe_twice,
                )
            )
        if row.status == broadcasts.SCHEDULED or counts.pending:
            buttons.append(Button(f"rem:cancel:{row.id}", turn.t("Batalkan #{id}", id=row.id)))
    buttons.append(menu_button(turn))
    return turn.outcome("siaran", reply("\n".join(lines), buttons))


# ---------------------------------------------------------------- what each step accepts


async def typed_text(turn: Turn) -> Outcome | None:
    """Step "bc_text": the message itself (a command is not a message)."""
    if not turn.text or turn.text.startswith("/"):
        return None
    if len(turn.inbound.text or "") > MAX_BROADCAST:
        text = turn.t(
            "Pesannya terlalu panjang ({n} huruf). Singkatkan, lalu kirim lagi.", n=len(turn.inbound.text or "")
        )
        return turn.outcome("siaran", reply(text), answered=False)
    turn.state.data["text"] = turn.text
    return await _after_text(turn)


async def typed_audience(turn: Turn) -> Outcome:
    """Step "bc_area": a typed kelurahan or kecamatan (of the staff member's own office, when they have one)."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    office = turn.offices.get(grant.office) if grant is not None else None
    found = find_areas(office or turn.content, turn.text)
    if len(found) == 1:
        turn.state.data["audience"] = found[0].code
        return _ask_time(turn)
    return choose_area(turn, found, "aud")


async def chosen_audience(turn: Turn, code: str) -> Outcome | None:
    """Step "bc_area": "Semua warga" or an area from the choice; staff only."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None or not grant.is_staff:
        return None
    turn.state.data["audience"] = grant.office if code == "all" else code  # staff of one office: all of it
    return _ask_time(turn)


async def typed_time(turn: Turn) -> Outcome:
    """Step "bc_time": "besok jam 08.00", "setiap Selasa minggu kedua jam 08.00"..."""
    try:
        when = parse_when(turn.text, turn.now)
    except WhenError:
        text = turn.t("Maaf, waktunya belum saya pahami atau sudah lewat. Contoh: besok jam 08.00")
        return turn.outcome("siaran", reply(text, [Button("rem:now", turn.t("Sekarang"))]), answered=False)
    return await _preview(turn, when.first, when.rule, turn.text)


async def now(turn: Turn, _argument: str) -> Outcome:
    """Step "bc_time": the "Sekarang" button."""
    return await _preview(turn, turn.now, None, turn.t("Sekarang"))


async def typed_confirmation(turn: Turn) -> Outcome | None:
    """Step "bc_confirm": "ya" sends, "tidak" cancels; anything else goes to normal routing."""
    answer = yes_or_no(turn.text, turn.content.language, also_yes=SEND_YES, exact=True)
    if answer is True:
        return await _confirm(turn)
    if answer is False:
        return _aborted(turn)
    return None


async def send(turn: Turn, _argument: str) -> Outcome:
    """Step "bc_confirm": the "Ya, kirim" button."""
    return await _confirm(turn)


async def abort(turn: Turn, _argument: str) -> Outcome:
    """The "Batal" button, at any step."""
    return _aborted(turn)


async def cancel(turn: Turn, broadcast_id: str) -> Outcome | None:
    """/siaranku's "Batalkan #N": the author (or any staff) cancels what has not gone out yet."""
    if not broadcast_id.isdigit():
        return None
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    author = None if grant is not None and grant.is_staff else turn.inbound.user_key
    office = grant.office if author is None and grant is not None else None  # staff: their office's only
    if await broadcasts.cancel_broadcast(turn.db, int(broadcast_id), author, office):
        return turn.outcome("siaran", reply(turn.t("Siaran #{id} dibatalkan.", id=broadcast_id)))
    return turn.outcome("siaran", reply(turn.t("Siaran itu tidak bisa dibatalkan.")), answered=False)


def _default_office(turn: Turn) -> str:
    """Subscribers kept before offices were recorded are the default office's."""
    return turn.offices.default.office.region_code


def _audience_name(turn: Turn, audience: str | None) -> str:
    """'semua warga', a whole office ('warga Kabupaten Kampar'), or the area's name in its own office."""
    if not audience:
        return turn.t("semua warga")
    office = turn.offices.of_area(audience) or turn.content
    if audience == office.office.region_code:
        return turn.t("warga {city}", city=office.office.city)
    return area_name(office, audience)


def _aborted(turn: Turn) -> Outcome:
    turn.state.leave()
    return turn.outcome("siaran", reply(turn.t("Baik, siaran dibatalkan."), [menu_button(turn)]))
