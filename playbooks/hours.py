"""Opening hours in the brand's timezone: parse, test, and count open minutes for SLAs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")

# Per weekday, open intervals in minutes since local midnight.
WeeklyHours = tuple[tuple[tuple[int, int], ...], ...]


def parse_hhmm(value: str) -> int:
    """Minutes since midnight of "HH:MM" (24:00 allowed); ValueError otherwise."""
    m = _TIME_RE.match(value) if isinstance(value, str) else None
    if not m or (m.group(1) == "24" and m.group(2) != "00"):
        raise ValueError(f'expected a time as "HH:MM" between 00:00 and 24:00, got {value!r}')
    return int(m.group(1)) * 60 + int(m.group(2))


def parse_business_hours(spec: dict[str, list[str] | list[list[str]]]) -> WeeklyHours:
    """Turn {"mon": ["08:00", "20:00"], ...} (or lists of such pairs) into weekly intervals.

    A day that is not listed is closed; a range whose end is before its start runs past midnight.
    """
    week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for day, ranges in spec.items():
        if day not in DAYS:
            raise ValueError(f"unknown day {day!r}: expected one of {', '.join(DAYS)}")
        pairs = ranges if ranges and isinstance(ranges[0], list) else [ranges]
        for pair in pairs:
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(f'{day}: expected ["HH:MM", "HH:MM"], got {pair!r}')
            start, end = parse_hhmm(str(pair[0])), parse_hhmm(str(pair[1]))
            i = DAYS.index(day)
            if end > start:
                week[i].append((start, end))
            elif end < start:  # overnight
                week[i].append((start, 24 * 60))
                week[(i + 1) % 7].append((0, end))
    return tuple(tuple(sorted(d)) for d in week)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A cached timezone; ValueError for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


def is_open(local: datetime, week: WeeklyHours) -> bool:
    """Whether the local time falls inside opening hours."""
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in week[local.weekday()])


def add_open_minutes(start: datetime, minutes: int, week: WeeklyHours, tz: ZoneInfo) -> datetime:
    """UTC instant when `minutes` of opening time have elapsed after `start` (UTC)."""
    if not any(week):
        return start + timedelta(minutes=minutes)
    local = start.astimezone(tz)
    remaining = float(minutes)
    day = local.date()
    cursor_min = local.hour * 60 + local.minute + local.second / 60
    for _ in range(15):  # two weeks at most: every open week has some minutes
        for a, b in week[day.weekday()]:
            lo = max(a, cursor_min)
            if lo >= b:
                continue
            if lo + remaining <= b:
                end_min = lo + remaining
                midnight = datetime.combine(day, time(0), tzinfo=tz)
                return (midnight + timedelta(minutes=end_min)).astimezone(UTC)
            remaining -= b - lo
        day = day + timedelta(days=1)
        cursor_min = 0
    return start + timedelta(minutes=minutes)
