"""Topics: pure functions over the loaded content (no database, no I/O, no clock: callers pass today)."""
