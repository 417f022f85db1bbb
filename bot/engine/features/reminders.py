"""Reminders: subscribe for an area (/pengingat), stop everything (berhenti), and the cadres' broadcasts (/siaran).

Steps of the "reminders" flow: "area" (which kelurahan to subscribe to); for /siaran "bc_text"
(the message), "bc_area" (staff: which area), "bc_time" (when), "bc_confirm" (the preview).
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.feature import Feature
from bot.engine.turn import Turn, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.i18n import format_date, format_time
from bot.storage import broadcasts, roles, subscriptions
from bot.topics.areas import Area, area_name, find_areas
from bot.topics.schedule import WhenError, parse_when

FLOW = "reminders"
YES = {"ya", "iya", "y", "kirim", "ya kirim", "ok", "oke", "yes"}
NO = {"tidak", "tdk", "jangan", "no", "ga", "gak", "nggak"}
MAX_BROADCAST = 1000  # characters: one Telegram message with room for the header and footer


async def start(turn: Turn) -> Outcome:
    """/pengingat: ask for the kelurahan whose posyandu and health reminders the user wants."""
    turn.state.enter(FLOW, "area")
    text = turn.t(
        "Saya bisa mengirimkan pengingat jadwal posyandu, imunisasi, dan program kesehatan di wilayah Anda.\n"
        "Ketik nama kelurahan tempat tinggal Anda, misalnya: Kampung Melayu."
    )
    return turn.outcome("pengingat", reply(text, [menu_button(turn)]))


async def unsubscribe(turn: Turn) -> Outcome:
    """berhenti / stop / unsubscribe: everything we send on our own to this user ends now, on every channel."""
    turn.state.leave()
    await subscriptions.unsubscribe(turn.db, turn.inbound.user_key, turn.inbound.channel)
    await broadcasts.cancel_pending_for(turn.db, turn.inbound.user_key)
    text = turn.t(
        "Baik, Anda tidak akan menerima pengingat atau pesan siaran lagi dari kami.\n"
        "Anda tetap bisa bertanya kapan saja. Untuk berlangganan lagi, ketik /pengingat."
    )
    return turn.outcome("unsubscribe", reply(text, [menu_button(turn)]))


async def _subscribe(turn: Turn, area: Area) -> Outcome:
    turn.state.leave()
    inbound = turn.inbound
    await subscriptions.subscribe_area(turn.db, inbound.user_key, inbound.channel, turn.lang, area.code)
    turn.state.profile["kelurahan_code"] = area.code
    text = turn.t(
        "Terima kasih! Anda akan menerima pengingat untuk Kelurahan {name}.\n"
        "Ketik berhenti kapan saja bila tidak ingin menerima pesan lagi.",
        name=area.name,
    )
    return turn.outcome("pengingat", reply(text, [menu_button(turn)]))


def _choose_area(turn: Turn, found: list[Area], step: str) -> Outcome:
    if not found:
        text = turn.t("Maaf, kelurahan itu belum saya kenal. Coba ketik lagi namanya, atau ketik menu.")
        return turn.outcome("pengingat", reply(text, [menu_button(turn)]), answered=False)
    buttons = [Button(f"rem:{step}:{a.code}", f"{a.name} ({_level(turn, a.kind)})") for a in found]
    return turn.outcome("pengingat", reply(turn.t("Yang mana maksud Anda?"), buttons))


def _level(turn: Turn, level: str) -> str:
    return turn.t("kecamatan") if level == "kecamatan" else turn.t("kelurahan")


async def broadcast_start(turn: Turn) -> Outcome:
    """/siaran: only cadres and staff; write the message first."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None:
        text = turn.t(
            "Maaf, fitur siaran hanya untuk kader kesehatan dan petugas yang sudah terdaftar. "
            "Hubungi puskesmas atau Dinas Kesehatan untuk didaftarkan."
        )
        return turn.outcome("siaran", reply(text), answered=False)
    turn.state.enter(FLOW, "bc_text")
    text = turn.t("Silakan tulis pesan yang ingin dikirim ke warga (paling banyak {n} huruf).", n=MAX_BROADCAST)
    return turn.outcome("siaran", reply(text, [Button("rem:abort", turn.t("Batal"))]))


async def _after_text(turn: Turn) -> Outcome:
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None:
        turn.state.leave()
        return await broadcast_start(turn)
    if grant.is_staff:
        turn.state.step = "bc_area"
        buttons = [
            Button("rem:aud:all", turn.t("Semua warga")),
            Button("rem:abort", turn.t("Batal")),
        ]
        text = turn.t("Untuk siapa pesan ini? Pilih Semua warga, atau ketik nama kelurahan/kecamatan.")
        return turn.outcome("siaran", reply(text, buttons))
    turn.state.data["audience"] = grant.area_code
    return _ask_time(turn)


def _ask_time(turn: Turn) -> Outcome:
    turn.state.step = "bc_time"
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
    turn.state.step = "bc_confirm"
    turn.state.data.update(run_at=when.isoformat(), rule=rule, when_text=typed)
    n = await broadcasts.count_audience(turn.db, audience)
    who = area_name(turn.content, audience) if audience else turn.t("semua warga")
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
        if row.status == broadcasts.SCHEDULED or counts.pending:
            buttons.append(Button(f"rem:cancel:{row.id}", turn.t("Batalkan #{id}", id=row.id)))
    buttons.append(menu_button(turn))
    return turn.outcome("siaran", reply("\n".join(lines), buttons))


async def manage_cadres(turn: Turn) -> Outcome:
    """/kader ID KODE_WILAYAH grants the cadre role; /kader hapus ID revokes it. Staff only."""
    grant = await roles.role_of(turn.db, turn.inbound.user_key)
    if grant is None or not grant.is_staff:
        return turn.outcome("kader", reply(turn.t("Maaf, perintah ini hanya untuk petugas.")), answered=False)
    parts = turn.text.split()[1:]
    usage = turn.t(
        "Cara pakai:\n/kader ID_PENGGUNA KODE_WILAYAH (mis. /kader telegram:12345 14.71.01.1002)\n"
        "/kader hapus ID_PENGGUNA\nID pengguna bisa dilihat kader dengan perintah /idsaya."
    )
    if len(parts) == 2 and parts[0].lower() in {"hapus", "cabut"}:
        done = await roles.revoke(turn.db, parts[1])
        text = (
            turn.t("Peran {user} sudah dicabut.", user=parts[1])
            if done
            else turn.t("{user} tidak punya peran.", user=parts[1])
        )
        return turn.outcome("kader", reply(text))
    if len(parts) == 2:
        found = find_areas(turn.content, parts[1])
        if len(found) != 1:
            return turn.outcome("kader", reply(turn.t("Kode wilayah tidak dikenal.") + "\n" + usage), answered=False)
        await roles.grant(turn.db, parts[0], roles.CADRE, found[0].code, granted_by=turn.inbound.user_key)
        text = turn.t("{user} sekarang kader untuk {area}.", user=parts[0], area=found[0].name)
        return turn.outcome("kader", reply(text))
    return turn.outcome("kader", reply(usage), answered=False)


async def my_id(turn: Turn) -> Outcome:
    """/idsaya: the user's own id, to give to staff who register cadres."""
    return turn.outcome("kader", reply(turn.t("ID Anda: {user}", user=turn.inbound.user_key)))


async def on_flow(turn: Turn) -> Outcome | None:
    step = turn.state.step
    if step == "area":
        found = find_areas(turn.content, turn.text, kind="kelurahan")
        return await _subscribe(turn, found[0]) if len(found) == 1 else _choose_area(turn, found, "area")
    if step == "bc_text":
        if not turn.text or turn.text.startswith("/"):
            return None
        if len(turn.inbound.text or "") > MAX_BROADCAST:
            text = turn.t(
                "Pesannya terlalu panjang ({n} huruf). Singkatkan, lalu kirim lagi.", n=len(turn.inbound.text or "")
            )
            return turn.outcome("siaran", reply(text), answered=False)
        turn.state.data["text"] = turn.text
        return await _after_text(turn)
    if step == "bc_area":
        found = find_areas(turn.content, turn.text)
        if len(found) == 1:
            turn.state.data["audience"] = found[0].code
            return _ask_time(turn)
        return _choose_area(turn, found, "aud")
    if step == "bc_time":
        try:
            when = parse_when(turn.text, turn.now)
        except WhenError:
            text = turn.t("Maaf, waktunya belum saya pahami atau sudah lewat. Contoh: besok jam 08.00")
            return turn.outcome("siaran", reply(text, [Button("rem:now", turn.t("Sekarang"))]), answered=False)
        return await _preview(turn, when.first, when.rule, turn.text)
    if step == "bc_confirm":
        word = turn.text.lower().strip(" .!")
        if word in YES:
            return await _confirm(turn)
        if word in NO:
            turn.state.leave()
            return turn.outcome("siaran", reply(turn.t("Baik, siaran dibatalkan."), [menu_button(turn)]))
    return None


async def on_payload(turn: Turn) -> Outcome:
    _prefix, action, *rest = [*(turn.inbound.payload or "").split(":", 2), ""]
    arg = rest[0] if rest else ""
    if action == "abort":
        turn.state.leave()
        return turn.outcome("siaran", reply(turn.t("Baik, siaran dibatalkan."), [menu_button(turn)]))
    if action == "area" and turn.state.step == "area":
        found = find_areas(turn.content, arg, kind="kelurahan")
        if found:
            return await _subscribe(turn, found[0])
    if action == "aud" and turn.state.step == "bc_area":
        grant = await roles.role_of(turn.db, turn.inbound.user_key)
        if grant is not None and grant.is_staff:
            turn.state.data["audience"] = None if arg == "all" else arg
            return _ask_time(turn)
    if action == "now" and turn.state.step == "bc_time":
        return await _preview(turn, turn.now, None, turn.t("Sekarang"))
    if action == "send" and turn.state.step == "bc_confirm":
        return await _confirm(turn)
    if action == "cancel" and arg.isdigit():
        grant = await roles.role_of(turn.db, turn.inbound.user_key)
        author = None if grant is not None and grant.is_staff else turn.inbound.user_key
        if await broadcasts.cancel_broadcast(turn.db, int(arg), author):
            return turn.outcome("siaran", reply(turn.t("Siaran #{id} dibatalkan.", id=arg)))
        return turn.outcome("siaran", reply(turn.t("Siaran itu tidak bisa dibatalkan.")), answered=False)
    text = turn.t("Maaf, tombol itu sudah tidak berlaku.")
    return turn.outcome("siaran", reply(text, [menu_button(turn)]), answered=False)


FEATURE = Feature(
    name="reminders",
    not_answers=frozenset({"unsubscribe", "siaran", "kader"}),  # stopping, and the cadres' and staff's commands
    handlers={"reminders.menu": start, "reminders.unsubscribe": unsubscribe},
    payload_prefix="rem",
    on_payload=on_payload,
    flow=FLOW,
    on_flow=on_flow,
    commands={
        "/pengingat": start,
        "/berhenti": unsubscribe,
        "/siaran": broadcast_start,
        "/siaranku": my_broadcasts,
        "/kader": manage_cadres,
        "/idsaya": my_id,
    },
)
