"""Each brand's change counter: one more for every committed transaction that changed what the
brand's queue shows; the queue's 10 s poll reads it, and only it, when nothing changed.

The queue's rows used to be kept while this process had written no case at all (a generation
in memory): any brand's write, a mere case lock, dropped them, and another process's writes went
unseen until a TTL. The counter lives in the database (`brand_change`, one row a brand) and is
bumped in the writing transaction itself, so a reader that reads it before its rows never keeps
rows older than a commit, whichever process made it.

What counts: writes to the tables a queue row, the queue count or a wave's row read (TRACKED),
found in one place, the session's events (brand_counters.BrandCounter), not in each service:
- objects flushed (new, deleted, or with a column changed besides IGNORED), by their `brand_id`;
- INSERT/UPDATE/DELETE statements on those tables, by the `brand_id` of their parameters or the
  brands their caller declares (`declare(stmt, ...)`; `()`: nothing shown changes, a case lock,
  the outbox's claims and send times); a statement that says neither bumps every brand
  (`unscoped`), so every brand's CMs re-read their rows: the app has none left, and a test whose
  app code issues one fails (tests/queue_change_guard.py; tests/app/worker/
  test_queue_change_brands.py: one brand's ingest, outbox, triage failures, merges, alerts);
- raw SQL (`text()`) is not seen: its callers `note(session, brand_id)` (triage's batches,
  clustering's, `bulk.update_by_id(brand_ids=...)`).

When: at commit (`before_commit`), once per brand however many writes the transaction made, so
an ingest batch of 100 mentions bumps once. The brand's row is locked from that upsert to the
commit right after it: writers of one brand queue there for a commit's length, not for their
whole transaction as a bump at the first write would make them (the hot ingest path holds case
locks meanwhile). Brands are bumped in id order and nothing is waited for after, so two
transactions never wait on each other's brand rows in a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy import Executable
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from app.models import (
    Author,
    Brand,
    BrandChange,
    Case,
    Escalation,
    Mention,
    MentionCluster,
    Person,
    Reply,
)
from app.services.brand_counters import EVERY, BrandCounter

TRACKED = (Case, Mention, Reply, Escalation, Person, Author, MentionCluster, Brand)
# Columns no queue reads: a write of these alone wakes no poll (the case's lock; the SLA clock's
# breach mark, its colour comes from due_at; the worker's sync of a hiding with the platform; an
# alert's reminders, every few minutes while unanswered).
IGNORED: dict[type, frozenset[str]] = {
    Case: frozenset({"version", "last_activity_at", "sla_breached_at"}),
    Mention: frozenset({"hide_state", "hide_error"}),
    Escalation: frozenset({"reminder_count", "last_reminded_at", "ack_token_hash"}),
}

S = TypeVar("S", bound=Executable)


def unscoped(state: ORMExecuteState) -> None:
    """A tracked write that names no brand: every brand is bumped, so every brand's CMs re-read
    their rows. Every such fallback comes here, and only here: the tests' guard
    (tests/queue_change_guard.py) wraps it to fail any test whose app code reaches it."""
    note(state.session, EVERY)


# `unscoped` is looked up when called, so the tests' guard can wrap it.
COUNTER = BrandCounter(
    "queue",
    BrandChange.__table__,  # type: ignore[attr-defined]
    TRACKED,
    unscoped=lambda state: unscoped(state),
    ignored=IGNORED,
)
OPTION = COUNTER.option  # a statement's execution option: the brands it changes


def declare(stmt: S, brand_ids: Iterable[int]) -> S:
    """The statement with the brands whose queue it changes (`()`: none)."""
    return COUNTER.declare(stmt, brand_ids)


def note(session: OrmSession, brand_id: int) -> None:
    """This transaction changed what the brand's queue shows (for writes the events miss)."""
    COUNTER.note(session, brand_id)


def counters(session: OrmSession, brand_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """(brand id, counter) for each brand, in id order, 0 for one never bumped: one statement."""
    return COUNTER.counters(session, brand_ids)


def bump(session: OrmSession, brand_ids: Iterable[int]) -> None:
    """One more on each brand's counter (EVERY: all brands), at once, in the session's
    transaction."""
    COUNTER.bump(session, brand_ids)
