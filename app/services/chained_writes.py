"""A small triage batch's new rows written in one statement (PostgreSQL).

Once a batch is placed, ingest appends its audit events, triages, cluster signatures and band
keys, and a push inserts its mention rows: five statements, each COPY two round trips or more,
which for the few mentions of a push cost more than the rows themselves. Within `chained`,
`bulk.append_rows` keeps the rows and `lead` the mention insert; the end of the block writes
them all as one chain of data-modifying CTEs (one round trip), from arrays as `bulk` does, so
that its text is the same for every batch of the same shape (parsed once, then prepared).
The rows stored are the same either way; elsewhere (SQLite, large batches) nothing changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session

from app.services import bulk

# Up to this many mentions a batch's rows go in as one statement; beyond, COPY streams win.
SMALL_BATCH = 16


class _Lead:
    """The insert the others follow: its rows may be skipped as present already (ON CONFLICT),
    and rows referring to them are then skipped too; `check` receives what it returned."""

    def __init__(
        self,
        table: Table,
        rows: Sequence[dict[str, Any]],
        constraint: str,
        returning: tuple[str, ...],
        check: Callable[[list[tuple[Any, ...]]], None],
    ) -> None:
        self.table, self.rows, self.constraint = table, rows, constraint
        self.returning, self.check = returning, check


class _Chain:
    def __init__(self) -> None:
        self.appends: list[tuple[Table, Sequence[dict[str, Any]]]] = []
        self.lead: _Lead | None = None

    def append(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        self.appends.append((table, list(rows)))

    def write(self, session: Session) -> None:
        if self.lead is None and not self.appends:
            return
        lead = self.lead
        shape = tuple((table, tuple(rows[0])) for table, rows in self.appends)
        lead_shape = (
            (lead.table, tuple(lead.rows[0]), lead.constraint, lead.returning) if lead else None
        )
        params: dict[str, Any] = {}
        if lead is not None:
            params.update(_prefixed("m_", lead.table, lead.rows))
        for i, (table, rows) in enumerate(self.appends):
            params.update(_prefixed(f"c{i}_", table, rows))
        returned = [tuple(row) for row in session.execute(_statement(lead_shape, shape), params)]
        if lead is not None:
            lead.check(returned)


@contextmanager
def chained(session: Session, mentions: int) -> Iterator[None]:
    """Within the block, rows appended (`bulk.append_rows`) and the `lead` insert are kept,
    then written in one statement at its end (not if it raises): on PostgreSQL, for a batch
    of at most SMALL_BATCH mentions; elsewhere the block runs as it would without."""
    if (
        mentions > SMALL_BATCH
        or bulk.CHAIN in session.info
        or session.connection().dialect.name != "postgresql"
    ):
        yield
        return
    chain = _Chain()
    session.info[bulk.CHAIN] = chain
    try:
        yield
    finally:
        session.info.pop(bulk.CHAIN, None)
    chain.write(session)


def lead(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    constraint: str,
    returning: Sequence[str],
    check: Callable[[list[tuple[Any, ...]]], None],
) -> bool:
    """Within `chained`: insert `rows` at its end, ahead of the rows appended, except those
    `constraint` finds present (`bulk.insert_unless_present`); appended rows referring to a
    row so skipped (a foreign key to its id, directly or through another) are skipped too,
    and `check` gets the `returning` columns (with "id") of the rows inserted. False outside
    `chained` (the caller inserts them itself)."""
    chain = session.info.get(bulk.CHAIN)
    if chain is None or not rows:
        return False
    assert chain.lead is None and "id" in returning
    chain.lead = _Lead(table, rows, constraint, tuple(returning), check)
    return True


def _prefixed(prefix: str, table: Table, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    arrays = bulk.column_arrays(table, tuple(rows[0]), rows)
    return {f"{prefix}{name}": value for name, value in arrays.items()}


@functools.cache
def _statement(
    lead: tuple[Table, tuple[str, ...], str, tuple[str, ...]] | None,
    appends: tuple[tuple[Table, tuple[str, ...]], ...],
) -> TextClause:
    ctes = []
    if lead is not None:
        table, columns, constraint, returning = lead
        ctes.append(
            f"m AS ({_insert(table, columns, 'm_')} "
            f"ON CONFLICT ON CONSTRAINT {constraint} DO NOTHING "
            f"RETURNING {', '.join(returning)})"
        )
    for i, (table, columns) in enumerate(appends):
        refers = [c for c in columns if lead is not None and _refers_to(table.c[c], lead[0])]
        where = " AND ".join(f'v."{c}" IN (SELECT id FROM m)' for c in refers)
        ctes.append(f"c{i} AS ({_insert(table, columns, f'c{i}_', where)})")
    final = f"SELECT {', '.join(lead[3])} FROM m" if lead is not None else "SELECT 1"
    return text(f"WITH {', '.join(ctes)} {final}")


def _insert(table: Table, columns: tuple[str, ...], prefix: str, where: str = "") -> str:
    names = ", ".join(f'"{name}"' for name in columns)
    arrays = bulk.unnest_arrays(table, columns, prefix)
    return (
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM unnest({arrays}) AS v({names})'
        + (f" WHERE {where}" if where else "")
    )


def _refers_to(column: Column[Any], lead: Table) -> bool:
    """Whether `column` refers to `lead`'s id, directly or through another table's key."""
    for key in column.foreign_keys:
        target = key.column
        if (target.table is lead and target.name == "id") or _refers_to(target, lead):
            return True
    return False
