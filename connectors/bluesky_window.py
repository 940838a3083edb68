"""Bluesky's read window, kept in the cursor: the newest `indexedAt` a completed pass read,
and what was already returned down to `t - overlap` (bounded by `MAX_SEEN`), so a late
mention is stored once, never skipped (see `connectors.bluesky`)."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.http_support import (
    parse_iso,
)

log = logging.getLogger("connectors.bluesky")

#: Upper bound of the ids kept in the cursor (about 30 bytes each).
MAX_SEEN = 1000


def seen_key(uri: str) -> str:
    """A short stable digest of a notification URI, for the cursor's `seen` map."""
    return base64.urlsafe_b64encode(hashlib.blake2b(uri.encode(), digest_size=9).digest()).decode()


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


@dataclass
class Window:
    """Our cursor: the newest instant read, what was returned since `t - overlap`, a resume."""

    t: datetime | None = None
    seen: dict[str, int] = field(default_factory=dict)  # seen_key(uri) -> indexedAt (ms)
    resume: str | None = None
    floor: datetime | None = None
    pending_t: datetime | None = None

    @classmethod
    def parse(cls, cursor: str | None, overlap: timedelta) -> Window:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if data.get("v") == 2:
                seen = data.get("seen") or {}
                return cls(
                    t=parse_iso(data.get("t")),
                    seen={str(k): int(v) for k, v in seen.items()},
                    resume=data.get("resume"),
                    floor=parse_iso(data.get("floor")),
                    pending_t=parse_iso(data.get("pt")),
                )
            # First format: a mark on `indexedAt` with the uris at that instant.
            t = parse_iso(data.get("t"))
            pending_t = parse_iso(data.get("pt"))
            seen = {seen_key(u): _ms(t) for u in data.get("uris") or [] if t}
            if pending_t:
                seen |= {seen_key(u): _ms(pending_t) for u in data.get("puris") or []}
            resume = data.get("resume")
            floor = t - overlap if resume and t else None
            return cls(t, seen, resume, floor, pending_t if resume else None)
        except (ValueError, AttributeError, TypeError):
            log.warning("Bluesky: unreadable cursor %r, starting from the latest page", cursor)
            return cls()

    def dump(self, overlap: timedelta) -> str | None:
        """The cursor to store; `seen` keeps only what a later pass can meet again."""
        if self.t is None and self.pending_t is None:
            return None
        floor = self.floor if self.resume else (self.t - overlap if self.t else None)
        keep = [(k, v) for k, v in self.seen.items() if floor is None or v >= _ms(floor)]
        keep = sorted(keep, key=lambda kv: (-kv[1], kv[0]))[:MAX_SEEN]
        data: dict[str, Any] = {"v": 2, "t": _iso(self.t), "seen": dict(keep)}
        if self.resume:
            data |= {"resume": self.resume, "floor": _iso(self.floor), "pt": _iso(self.pending_t)}
        return json.dumps(data, separators=(",", ":"))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
