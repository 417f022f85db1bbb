"""Storage: SQLAlchemy (async) on SQLite by default, PostgreSQL for several processes."""
