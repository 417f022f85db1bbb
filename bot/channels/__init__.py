"""Channels translate a platform's wire format to Inbound/Reply and back; they decide nothing."""
