"""Planner statistics for a fresh PostgreSQL database: the first large batch of pushed mentions
would otherwise run on plans made for empty tables until autovacuum gets round to them."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.models import Author, Case, Mention, Person

# The tables ingest reads back while it stores, triages and groups.
INGEST_TABLES = tuple(model.__table__.name for model in (Mention, Author, Person, Case))  # type: ignore[attr-defined,union-attr]
# Below this many stored rows the empty-table plans are still right.
WORTH_ANALYSING = 500

_done: set[str] = set()  # databases this process has found analysed


def analyse_if_never_done(*, session: Session) -> bool:
    """ANALYZE the ingest tables once if PostgreSQL has no statistics on them yet and they
    have grown past a few hundred rows; True when it ran. Cheap after the first call."""
    bind = session.get_bind()
    key = str(bind.url)  # type: ignore[union-attr]
    if key in _done or bind.dialect.name != "postgresql":
        return False
    tables = list(INGEST_TABLES)
    fresh, rows = session.execute(
        text(
            "SELECT count(*) FILTER (WHERE last_analyze IS NULL AND last_autoanalyze IS NULL), "
            "coalesce(sum(n_live_tup), 0) FROM pg_stat_user_tables WHERE relname = ANY(:tables)"
        ),
        {"tables": tables},
    ).one()
    if not fresh:
        _done.add(key)
        return False
    if rows < WORTH_ANALYSING:
        return False
    for table in tables:
        session.execute(text(f'ANALYZE "{table}"'))
    _done.add(key)
    return True
