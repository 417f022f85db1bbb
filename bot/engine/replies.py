"""The dialogue's own canned replies: menu, help, clarify, fallback, emergency, privacy warning.

The wording lives here; when each one is given is decided in dialogue.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.turn import Turn, intent_button, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome
from bot.knowledge.danger import DangerSign
from bot.knowledge.faq import Intent

HANDOVER_BUTTON = "handover:open"  # features/handover.py: a person at the office
MENU_INTENTS = ("imunisasi", "puskesmas", "uhc", "info_kesehatan", "pengingat")


def menu(turn: Turn, intent: str = "menu", greet: bool = False, note: str = "", hello: str = "") -> Outcome:
    """The main menu: one button per topic, with a greeting on /start or "halo" (`hello` replaces ours)."""
    office = turn.content.office
    lines = []
    if note:
        lines.append(note)
    if greet:
        lines.append(hello or turn.t("Halo! Saya TanyaSehat, asisten informasi {office}.", office=office.name))
    lines.append(turn.t("Silakan pilih topik di bawah ini, atau ketik pertanyaan Anda."))
    if greet:
        lines.append(turn.t("Dalam keadaan darurat, segera telepon {number}.", number=office.emergency_number))
    if greet and turn.offices.multi and "office" not in turn.state.profile:  # a provincial bot: whose resident?
        cities = ", ".join(c.office.city for c in turn.offices.contents)
        lines.append(
            turn.t(
                "Bot ini melayani {cities}. Kirim lokasi atau ketik kelurahan/desa Anda agar jawaban sesuai daerah Anda.",
                cities=cities,
            )
        )
    return turn.outcome(intent, reply("\n".join(lines), intent_buttons(turn, *MENU_INTENTS)))


def help_text(turn: Turn) -> Outcome:
    """What the bot can do and how to ask."""
    text = turn.t(
        "Saya bisa membantu soal jadwal imunisasi anak, puskesmas terdekat, layanan JKN gratis (UHC), "
        "dan info program kesehatan.\n\n"
        'Ketik pertanyaan Anda dengan bahasa sehari-hari, misalnya: "imunisasi bayi 2 bulan apa saja?"\n'
        "Ketik menu untuk kembali ke menu utama. Ketik /hapusdata untuk menghapus data Anda."
    )
    return turn.outcome("help", reply(text, [menu_button(turn)]))


def empty(turn: Turn) -> Outcome:
    """Nothing typed (and nothing else to go on)."""
    return turn.outcome("empty", reply(turn.t("Silakan ketik pertanyaan Anda, atau ketik menu.")), answered=False)


def clarify(turn: Turn, candidates: Sequence[Intent], confidence: float) -> Outcome:
    """ "Maksud Anda...?": the closest topics as buttons."""
    buttons = [intent_button(turn, intent) for intent in candidates]
    buttons.append(menu_button(turn))
    text = turn.t("Maaf, saya belum yakin maksud Anda. Apakah maksud Anda salah satu dari ini?")
    return turn.outcome("clarify", reply(text, buttons), confidence=confidence, answered=False)


def fallback(turn: Turn, confidence: float = 0.0, likely: Sequence[Intent] = ()) -> Outcome:
    """An honest "I cannot answer that", who to ask instead, and the menu: the topics the question
    came closest to first (`likely`), then the main topics."""
    office = turn.content.office
    lines = [turn.t("Maaf, saya belum bisa menjawab pertanyaan itu.")]
    # A message the bot did not understand may still be an emergency told in words no sign reads:
    # every fallback carries the number, as a health worker answering the phone would say it.
    lines.append(turn.t("Dalam keadaan darurat, segera telepon {number}.", number=office.emergency_number))
    if office.hotline:
        lines.append(
            turn.t(
                "Anda bisa menghubungi petugas {office} di {hotline} ({hours}).",
                office=office.name,
                hotline=office.hotline,
                hours=office.hours.get(turn.lang),
            )
        )
    else:
        lines.append(turn.t("Anda bisa bertanya langsung ke puskesmas terdekat atau ke {office}.", office=office.name))
    lines.append(turn.t("Atau pilih topik di menu:"))
    first = [intent_button(turn, intent) for intent in likely]
    shown = {b.payload for b in first}
    menu = [b for b in intent_buttons(turn, *MENU_INTENTS) if b.payload not in shown]
    buttons = [*first, *menu, Button(HANDOVER_BUTTON, turn.t("Hubungi petugas"))]
    return turn.outcome("fallback", reply("\n".join(lines), buttons), confidence=confidence, answered=False)


def unsupported(turn: Turn) -> Outcome:
    """A photo, voice note...: we read text only. A sticker is small talk (a thumbs-up, a smile, thanks): it gets
    the short answer of emoji (content/smalltalk.yaml), not "please type"."""
    family = turn.content.smalltalk.emoji if turn.inbound.unsupported == "sticker" else None
    if family is not None:
        from bot.engine import smalltalk  # here: smalltalk.py answers with this module's menu

        return smalltalk.answer(turn, family)
    text = turn.t("Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pertanyaan Anda, ya.")
    return turn.outcome("unsupported", reply(text, [menu_button(turn)]), answered=False)


def stale_button(turn: Turn) -> Outcome:
    """A button from an old message whose meaning is gone: say so kindly and show the menu."""
    return menu(turn, intent="menu", note=turn.t("Maaf, tombol itu sudah tidak berlaku."))


def emergency(turn: Turn, sign: DangerSign, nearby: Sequence[str] = ()) -> Outcome:
    """Danger signs: 119 and emergency care first, then the features' lines (e.g. the nearest IGD)."""
    office = turn.content.office
    if sign.kind == "help":  # the resident asked for the number itself
        first = turn.t(
            "📞 Nomor gawat darurat: {number} (gratis, 24 jam). Bila ada yang sakit berat atau cedera, "
            "telepon sekarang atau bawa ke IGD rumah sakit terdekat.",
            number=office.emergency_number,
        )
    else:
        first = turn.t(
            "⚠️ Ini bisa keadaan darurat. Segera telepon {number} (gratis, 24 jam) atau bawa ke IGD rumah sakit terdekat sekarang.",
            number=office.emergency_number,
        )
    lines = [first]
    if sign.kind == "mental":
        lines.append(mental_health_line(turn))
    if sign.advice.get(turn.lang):
        lines.append(sign.advice.get(turn.lang))
    lines.extend(nearby)
    lines.append(turn.t("Saya bukan pengganti petugas kesehatan. Jangan menunggu balasan chat ini."))
    return turn.outcome("emergency", reply("\n\n".join(lines)))


def mental_health_line(turn: Turn) -> str:
    return turn.t("Layanan dukungan kesehatan jiwa: {line}.", line=turn.content.office.mental_health_line)


def with_safety_line(turn: Turn, outcome: Outcome, net: DangerSign, hint: DangerSign | None = None) -> Outcome:
    """The same answer, led by "if this is an emergency, call 119": someone seems in trouble now in words no
    danger sign reads (the danger signs' safety net). Not an emergency answer: the resident's question stands.
    `hint`: a "mental" sign the text also tells (its `net_hints`): the mental-health line follows 119."""
    text = net.advice.get(turn.lang).replace("{number}", turn.content.office.emergency_number)
    if hint is not None and hint.kind == "mental":
        text = f"{text}\n\n{mental_health_line(turn)}"
    return Outcome(outcome.intent, (reply(text), *outcome.replies), outcome.confidence, outcome.answered)


def with_privacy_warning(turn: Turn, outcome: Outcome) -> Outcome:
    """The same answer, led by a warning not to send a NIK or phone number."""
    warning = reply(
        turn.t(
            "🔒 Demi keamanan, jangan kirim NIK atau nomor telepon di chat ini. "
            "Kami tidak menyimpannya dan tidak pernah memintanya."
        )
    )
    return Outcome(outcome.intent, (warning, *outcome.replies), outcome.confidence, outcome.answered)
