"""Numbers typed into URLs and forms: only ASCII digits that a database id column can hold."""

from __future__ import annotations

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; a larger id cannot exist


def digits(raw: str | None) -> bool:
    """Whether `raw` is a plain non-negative number small enough for any id or count column.

    `str.isdigit()` also accepts "²" (which `int()` refuses) and numbers of any length.
    """
    if not raw:
        return False
    return raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """`raw` as an id, or None when it cannot be one."""
    return int(raw) if digits(raw) else None  # type: ignore[arg-type]
