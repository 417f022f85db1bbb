"""SIGTERM for `chat --jsonl`: finish the message in hand, then stop cleanly so the query log is flushed.

While the loop waits for the next input line, SIGTERM ends the wait at once; while a message
is being answered, it lets that answer go out and stops before reading another line.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType
from typing import TextIO


class Terminated(Exception):
    """SIGTERM arrived while waiting for input."""


def lines_until_sigterm(stream: TextIO) -> Iterator[str]:
    """The stream's lines, ending early (without an error) when SIGTERM arrives."""
    state = {"stopping": False, "reading": False}

    def on_term(_signum: int, _frame: FrameType | None) -> None:
        state["stopping"] = True
        if state["reading"]:
            raise Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        while True:
            state["reading"] = True
            try:
                if state["stopping"]:
                    return
                line = stream.readline()
            finally:
                state["reading"] = False
            if not line:
                return
            yield line
    except Terminated:
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
