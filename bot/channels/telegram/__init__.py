"""The Telegram channel: webhook route (webhook.py), long polling (polling.py), the bot that answers
(channel.py), Update -> Inbound (parse.py), Reply -> sendMessage (render.py), sending (send.py), the command
menu per language (commands.py)."""

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.commands import command_menu
from bot.channels.telegram.polling import run_polling
from bot.channels.telegram.send import TelegramSender, make_bot, make_sender
from bot.channels.telegram.webhook import CHANNEL_KEY, SECRET_HEADER, WEBHOOK_PATH, install

__all__ = [
    "CHANNEL_KEY",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "TelegramChannel",
    "TelegramSender",
    "command_menu",
    "install",
    "make_bot",
    "make_sender",
    "run_polling",
]
