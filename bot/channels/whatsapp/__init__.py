"""The WhatsApp channel: webhook routes (webhook.py), the Cloud API (api.py), Meta's wire format (wire.py)."""

from bot.channels.whatsapp.api import GraphConfig, WhatsAppSender, make_sender
from bot.channels.whatsapp.webhook import PATH, WEBHOOK, WhatsAppWebhook, install

__all__ = ["PATH", "WEBHOOK", "GraphConfig", "WhatsAppSender", "WhatsAppWebhook", "install", "make_sender"]
