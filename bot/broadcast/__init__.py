"""Reminders and broadcasts: a durable queue in the database, sent at each platform's pace."""
