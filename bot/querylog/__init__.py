"""The query log: recording every turn off the request path."""
