"""When a cadre wants a broadcast sent, in their own words: "besok jam 08.00", "setiap Selasa minggu kedua jam 08.00".

Pure functions: the caller passes `now` (aware, in the office's time zone).
A repeat rule is kept as a short canonical string so every process computes the same next time:
  "daily@HH:MM", "weekly:W@HH:MM" (W 0=Monday), "monthly:N:W@HH:MM" (N-th weekday W, N=-1 last),
  "monthday:D@HH:MM".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.knowledge.language import WEEKDAYS
from bot.topics.dates import month_of

ORDINALS = {
    "pertama": 1, "kesatu": 1, "satu": 1, "1": 1, "kedua": 2, "dua": 2, "2": 2, "ketiga": 3, "tiga": 3, "3": 3,
    "keempat": 4, "empat": 4, "4": 4, "terakhir": -1,
}  # fmt: skip
NOW_WORDS = {"sekarang", "kirim sekarang", "now", "saat ini", "langsung"}

_TIME = re.compile(r"(?:jam|pukul|pkl\.?|at)?\s*(\d{1,2})(?:[.:](\d{2}))?\s*(pagi|siang|sore|malam|wib)?\s*$")
_WEEK = re.compile(r"minggu\s+(?:ke-?\s*)?(pertama|kesatu|kedua|ketiga|keempat|terakhir|[1-4])")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})")
_DATE_NUM = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHDAY = re.compile(r"tanggal\s+(\d{1,2})")


class WhenError(ValueError):
    """The text is not a time we understand, or it lies in the past."""


@dataclass(frozen=True, slots=True)
class When:
    first: datetime  # aware, office time zone
    rule: str | None = None  # canonical repeat rule, None = once


def parse_when(text: str, now: datetime) -> When:
    """Read a time or a repeat rule; raises WhenError with a short English reason."""
    words = " ".join(text.lower().replace(",", " ").split())
    if not words:
        raise WhenError("empty")
    if words in NOW_WORDS:
        return When(now)
    if words.startswith(("setiap", "tiap", "every")):
        rule = _parse_rule(words)
        return When(next_run(rule, now - timedelta(microseconds=1)), rule)
    day, rest = _parse_day(words, now.date())
    at = _parse_time(rest)
    moment = datetime.combine(day, at, tzinfo=now.tzinfo)
    if moment < now - timedelta(minutes=1):
        raise WhenError("in the past")
    return When(max(moment, now))


def _parse_day(words: str, today: date) -> tuple[date, str]:
    for word, offset in (("hari ini", 0), ("besok", 1), ("lusa", 2), ("today", 0), ("tomorrow", 1)):
        if words.startswith(word):
            return today + timedelta(days=offset), words[len(word) :]
    for pattern, order in ((_DATE_ISO, "ymd"), (_DATE_NUM, "dmy"), (_DATE_WORDS, "dMy")):
        m = pattern.search(words)
        if not m:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        month = month_of(parts["M"]) if "M" in parts else int(parts["m"])
        if month is None:
            raise WhenError("unknown month")
        try:
            return date(int(parts["y"]), month, int(parts["d"])), words[m.end() :]
        except ValueError as exc:
            raise WhenError("no such date") from exc
    raise WhenError("no day")


def _parse_time(rest: str) -> time:
    rest = rest.strip()
    if not rest:
        raise WhenError("no hour")
    m = _TIME.fullmatch(rest) or _TIME.search(rest)
    if not m:
        raise WhenError("no hour")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    part = m.group(3)
    if (part == "siang" and hour < 11) or (part in {"sore", "malam"} and hour < 12):
        hour += 12
    if part == "malam" and hour == 24:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise WhenError("no such hour")
    return time(hour, minute)


def _parse_rule(words: str) -> str:
    body = re.sub(r"^(setiap|tiap|every)\s+", "", words)
    hour_at = body.find("jam")
    if hour_at < 0:
        hour_at = body.find("pukul")
    if hour_at < 0:
        raise WhenError("no hour")
    at = _parse_time(body[hour_at:])
    head = body[:hour_at].strip()
    clock = f"{at.hour:02d}:{at.minute:02d}"
    week = _WEEK.search(head)
    if week:
        head = (head[: week.start()] + head[week.end() :]).strip()
    head = re.sub(r"^hari\s+", "", head).strip()
    monthday = _MONTHDAY.search(head)
    if monthday:
        day = int(monthday.group(1))
        if not 1 <= day <= 28:
            raise WhenError("day of month must be 1-28")
        return f"monthday:{day}@{clock}"
    if head in {"", "hari"}:
        if week:
            raise WhenError("which day of the week?")
        return f"daily@{clock}"
    weekday = WEEKDAYS.get(head.replace("hari ", "").strip())
    if weekday is None:
        raise WhenError("unknown day")
    if week:
        return f"monthly:{ORDINALS[week.group(1)]}:{weekday}@{clock}"
    return f"weekly:{weekday}@{clock}"


def next_run(rule: str, after: datetime) -> datetime:
    """The first time the rule fires strictly after `after` (aware; result in after's zone)."""
    kind, _, clock = rule.partition("@")
    hour, minute = (int(x) for x in clock.split(":"))
    at = time(hour, minute)
    day = after.date()
    for _ in range(400):  # at most ~13 months ahead for any rule
        if _fires(kind, day):
            moment = datetime.combine(day, at, tzinfo=after.tzinfo)
            if moment > after:
                return moment
        day += timedelta(days=1)
    raise WhenError(f"rule {rule!r} never fires")


def _fires(kind: str, day: date) -> bool:
    name, *args = kind.split(":")
    if name == "daily":
        return True
    if name == "weekly":
        return day.weekday() == int(args[0])
    if name == "monthday":
        return day.day == int(args[0])
    if name == "monthly":
        nth, weekday = int(args[0]), int(args[1])
        if day.weekday() != weekday:
            return False
        if nth == -1:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == nth
    raise WhenError(f"unknown rule {kind!r}")


def valid_rule(rule: str) -> bool:
    try:
        next_run(rule, datetime(2026, 1, 1))
    except (WhenError, ValueError):
        return False
    return True
