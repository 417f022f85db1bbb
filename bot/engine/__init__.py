"""The engine decides what to answer; it knows no transport."""
