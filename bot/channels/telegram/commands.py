"""The bot's command menu in Telegram, one per language (setMyCommands with language_code).

Telegram shows a user the list registered for their app's language, and the default list (here
Indonesian) to everyone else. English gets English command names; every name here is a command the
dialogue answers in any language (/imunisasi and /immunization alike).
"""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import DEFAULT_LANG, translations

# Indonesian name -> the name English speakers see (and type).
ENGLISH_NAMES = {
    "imunisasi": "immunization", "pengingat": "reminders", "berhenti": "stop", "bahasa": "language",
    "hapusdata": "deletedata", "bantuan": "help",
}  # fmt: skip


def command_menu(lang: str = DEFAULT_LANG) -> list[BotCommand]:
    """The commands with their descriptions in `lang` (Indonesian names unless the language has its own)."""
    t = translations(lang).gettext
    described = [
        ("start", t("Mulai dan tampilkan menu")),
        ("menu", t("Menu utama")),
        ("imunisasi", t("Jadwal dan info imunisasi anak")),
        ("puskesmas", t("Cari puskesmas terdekat")),
        ("uhc", t("Berobat gratis pakai KTP (JKN/UHC)")),
        ("pengingat", t("Atur pengingat imunisasi")),
        ("berhenti", t("Berhenti menerima pengingat")),
        ("bahasa", t("Ganti bahasa / change language")),
        ("hapusdata", t("Hapus data saya")),
        ("bantuan", t("Cara memakai TanyaSehat")),
    ]
    names = ENGLISH_NAMES if lang == "en" else {}
    return [BotCommand(names.get(name, name), description) for name, description in described]
