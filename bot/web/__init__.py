"""The aiohttp application: webhooks, health check (and later the dashboard)."""
