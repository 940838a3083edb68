"""The queue's rows as the CMs of the same brands see them, kept while nothing changed, and a
stamp of them.

Every open queue polls every 10 s, and each poll re-read and re-rendered its first page: most
of those answers were the very rows the browser already showed. The rows are rendered once per
key (brand set, filters, the user's id when the filters depend on it, which brands the user may
work, language) and the brands' change counters read before them (app/services/
queue_changes.py: bumped in the same transaction by every write that changes what a queue
shows, whichever process made it). Rows are kept until a counter moves, or until the clock
changes them (an SLA turning amber or red, a claim expiring: the first such moment among the
rows) and at most `VIGIE_QUEUE_POLL_TTL` seconds (default 30; 0 = never kept), which bounds
what moves with the clock by the minute ("dans 5 minutes", the customer's wait).

The poll sends what it shows: `seen=` the stamp of its rows (a hash of their HTML, the CSRF
token left out, and of the count) and `v=` their version (a hash of the key and the counters,
when they were read, until when the clock leaves them be). Same key, same counters, still
before that moment: 204 with no read but the counters', in any process. Otherwise the rows are
made (or taken kept) and compared by stamp: the same rows are a 204 too, and htmx swaps nothing.

A user who wrote anything (on any process: the session cookie holds when) only gets rows whose
reads started after that: the counters see the writes of the queue's tables, this sees the rest.

Rows missing for a key are made once however many CMs ask at that moment (an office opening its
queue at the start of a shift: under bench_load.py, 50 first queue pages in one second each made
them, ~1 s each with 16 threads on 2 cores): the others wait for them and take them only as the
cache would have given them a moment later; a counter moved since they began means new rows.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, render_template, request
from flask import session as flask_session
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from app.models import utcnow
from app.services.queue import SLA_WARN_MINUTES, QueueFilters, QueueRow
from app.services.queue_counts import Changes
from app.services.read_transactions import WROTE
from app.ui.queue_labels import queue_row_labels

DEFAULT_TTL_SECONDS = 30.0
MAX_ENTRIES = 1024
# How long a request waits for the same key's rows another thread is making before it makes
# them itself (a build takes ~20 ms alone, ~1 s when 50 CMs open their queue at once).
BUILD_WAIT_SECONDS = 3.0
ROW_LIST = "queue/_row_list.html"
WROTE_AT = "wrote_at"  # session key: wall-clock time of the user's last committed write


@dataclass(frozen=True)
class ShownRows:
    """The queue's rows rendered for one key: HTML split around the CSRF token, and the stamp."""

    started: float  # wall clock before its reads: rows a user may see after their write
    until: float  # wall clock: when the clock may change them (or the TTL ends)
    changes: Changes  # the brands' counters, read before the rows
    parts: tuple[str, ...]
    count: int
    watched_count: int
    stamp: str

    def html(self) -> Markup:
        """The rows with this request's CSRF token put back."""
        return Markup(queue_row_labels()["csrf"].join(self.parts))

    def version(self, key: tuple[Any, ...]) -> str:
        """What the poll sends back: the key's and counters' hash, when read, until when."""
        started, until = math.floor(self.started * 1000), math.floor(self.until * 1000)
        return f"{signature(key, self.changes)}.{started}.{until}"


class ShownRowsCache:
    """Rendered rows by key; thread-safe; forgets everything when full."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], ShownRows] = {}
        # Rows being made now, by key, with the counters they started from.
        self._building: dict[tuple[Any, ...], tuple[Changes, threading.Event]] = {}

    def get(self, key: tuple[Any, ...], changes: Changes, wrote_at: float) -> ShownRows | None:
        found = self._entries.get(key)
        if (
            found is None
            or found.changes != changes
            or found.until <= time.time()
            or found.started <= wrote_at
        ):
            return None
        return found

    def put(self, key: tuple[Any, ...], rows: ShownRows) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = rows

    def start_build(self, key: tuple[Any, ...], changes: Changes) -> tuple[bool, threading.Event]:
        """(True, event) when this thread is to make the rows (then `end_build(key, event)`);
        else (False, event): another thread makes them from these very counters, and sets the
        event once done."""
        with self._lock:
            found = self._building.get(key)
            if found is not None and found[0] == changes:
                return False, found[1]
            done = threading.Event()
            self._building[key] = (changes, done)
            return True, done

    def end_build(self, key: tuple[Any, ...], done: threading.Event) -> None:
        with self._lock:
            found = self._building.get(key)
            if found is not None and found[1] is done:
                del self._building[key]
        done.set()


def _cache() -> ShownRowsCache:
    found = current_app.extensions.get("vigie_queue_shown")
    if found is None:
        ttl = float(current_app.config.get("VIGIE_QUEUE_POLL_TTL", DEFAULT_TTL_SECONDS))
        found = current_app.extensions.setdefault("vigie_queue_shown", ShownRowsCache(ttl))
    return found  # type: ignore[no-any-return]


def rows_key(
    brand_ids: Iterable[int], workable: Iterable[int], filters: QueueFilters, user_id: int | None
) -> tuple[Any, ...]:
    """Everything the rows depend on: two users with the same key see the same rows."""
    mine = filters.assignee == "me"
    return (
        tuple(sorted(set(brand_ids))),
        tuple(sorted(set(workable))),
        filters,
        user_id if mine else None,
        str(get_locale()),
        request.script_root,
    )


def signature(key: tuple[Any, ...], changes: Changes) -> str:
    """A short hash of what the rows depend on besides the clock: their key and counters."""
    return hashlib.blake2b(repr((key, changes)).encode(), digest_size=9).hexdigest()


def unchanged(key: tuple[Any, ...], changes: Changes, version: str | None) -> bool:
    """Whether the rows of this `version` (`ShownRows.version`, as the poll sends it back) are
    still the ones to show: same key and counters, the clock has not reached them, and the user
    wrote nothing since they were read. No read, no cache: any process answers alike."""
    sig, _, times = (version or "").partition(".")
    started, _, until = times.partition(".")
    if not (started.isdigit() and until.isdigit()):
        return False
    now, wrote_at = time.time(), float(flask_session.get(WROTE_AT, 0.0))
    return (
        now * 1000 < int(until)
        and int(started) / 1000 > wrote_at
        and hmac.compare_digest(sig, signature(key, changes))
    )


def stamp_of(parts: tuple[str, ...], count: int, watched_count: int) -> str:
    """A short hash of what the user sees (the rows without the CSRF token, the count)."""
    digest = hashlib.blake2b(digest_size=9)
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(f"{count}|{watched_count}".encode())
    return digest.hexdigest()


def shown_rows(
    key: tuple[Any, ...], changes: Changes, build: Callable[[], dict[str, Any]]
) -> ShownRows:
    """The rows for this key: kept ones when made since the last change (`changes`: the
    brands' counters, read before) and fresh enough for this user, else rendered now from
    `build()` (the `queue/_row_list.html` context) and kept for the next ones."""
    cache = _cache()
    wrote_at = float(flask_session.get(WROTE_AT, 0.0))
    if cache.ttl <= 0:
        return _build(cache, changes, build)
    found = cache.get(key, changes, wrote_at)
    if found is not None:
        return found
    # The same rows being made by another thread from these counters (50 CMs opening their
    # queue at once): wait for them, and take them when the cache would have given them.
    mine, done = cache.start_build(key, changes)
    if not mine:
        done.wait(BUILD_WAIT_SECONDS)
        found = cache.get(key, changes, wrote_at)
        if found is not None:
            return found
    try:
        rows = _build(cache, changes, build)
        cache.put(key, rows)
        return rows
    finally:
        if mine:
            cache.end_build(key, done)


def clock_moves(rows: Iterable[QueueRow], now: datetime) -> float | None:
    """Seconds until the clock alone changes one of these rows (its SLA colour, its claim);
    None when it never does."""
    moments = []
    for row in rows:
        due, expires = row.case.due_at, row.case.claim_expires_at
        if due is not None:
            moments += [due - timedelta(minutes=SLA_WARN_MINUTES), due]
        if row.claimed and expires is not None:
            moments.append(expires)
    ahead = [(_aware(m) - now).total_seconds() for m in moments]
    return min((s for s in ahead if s > 0), default=None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _build(
    cache: ShownRowsCache, changes: Changes, build: Callable[[], dict[str, Any]]
) -> ShownRows:
    started, now = time.time(), _aware(utcnow())
    context = build()
    token = queue_row_labels()["csrf"]
    parts = tuple(render_template(ROW_LIST, **context).split(token))
    count, watched_count = context["count"], len(context["watched"])
    moves = clock_moves([*context["page"].rows, *context["watched"]], now)
    return ShownRows(
        started=started,
        until=started + min(cache.ttl, moves if moves is not None else cache.ttl),
        changes=changes,
        parts=parts,
        count=count,
        watched_count=watched_count,
        stamp=stamp_of(parts, count, watched_count),
    )


# A user's own writes: flagged on the session that flushes them (read_transactions), timed
# once committed (a read that starts later sees them), written into the session cookie after the
# request.
@event.listens_for(OrmSession, "after_commit")
def _time_write(session: OrmSession) -> None:
    if session.info.pop(WROTE, False) and has_request_context():
        g._vigie_wrote_at = time.time()


def _remember_write(response: Response) -> Response:
    wrote_at = g.get("_vigie_wrote_at")
    if wrote_at is not None and g.get("user") is not None:
        flask_session[WROTE_AT] = math.ceil(wrote_at * 1000) / 1000  # never before the commit
    return response


def init_queue_poll(app: Flask) -> None:
    """Time each signed-in user's writes in their session (kept rows must be newer)."""
    try:
        ttl = float(os.environ.get("VIGIE_QUEUE_POLL_TTL", DEFAULT_TTL_SECONDS))
    except ValueError:
        ttl = DEFAULT_TTL_SECONDS  # a typo in the environment must not break the queue
    app.config.setdefault("VIGIE_QUEUE_POLL_TTL", ttl)
    app.after_request(_remember_write)
