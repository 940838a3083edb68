"""Appending many rows at once: COPY on PostgreSQL, a multi-row INSERT elsewhere.

Ingest writes several rows per mention (the mention, its triage, audit events); at a
thousand mentions a second, statement parsing and round trips dominate unless the rows go
in as one COPY stream.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Json
from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    any_,
    bindparam,
    insert,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import TextClause
from sqlmodel import Session


def one_of(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `= ANY(array)`: one parameter whatever the count, so
    the statement's text is the same for every batch (parsed once by psycopg, then prepared)
    instead of a new text with one placeholder per value."""
    values = list(values)
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)  # type: ignore[no-any-return]
    return column == any_(bindparam(None, values, type_=_array_of(column.type)))  # type: ignore[no-any-return]


@functools.cache
def _array_of(kind: Any) -> ARRAY[Any]:
    return ARRAY(kind)


def append_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (all with the same keys) inside the session's current transaction."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    raw = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(
                    [
                        Json(row[c]) if c in json_columns and row[c] is not None else row[c]
                        for c in columns
                    ]
                )
    except psycopg.IntegrityError as exc:
        # Callers handle duplicates the SQLAlchemy way, whatever the path taken.
        raise IntegrityError(str(statement), None, exc) from exc


def insert_unless_present(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    constraint: str,
    returning: Sequence[str],
) -> list[Any]:
    """Insert rows (all with the same keys) except those `constraint` finds present already;
    the `returning` columns of the rows inserted. PostgreSQL only.

    One array parameter per column (INSERT … SELECT FROM unnest): the statement's text is
    the same whatever the number of rows, so psycopg parses it once and PostgreSQL prepares
    it, where a multi-row VALUES would be a new text of thousands of placeholders each time.
    """
    if not rows:
        return []
    columns = tuple(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    statement = _insert_unnest(table, columns, constraint, tuple(returning))
    params = {
        name: [
            Json(row[name]) if name in json_columns and row[name] is not None else row[name]
            for row in rows
        ]
        for name in columns
    }
    return [tuple(row) for row in session.execute(statement, params)]


@functools.cache
def _insert_unnest(
    table: Table, columns: tuple[str, ...], constraint: str, returning: tuple[str, ...]
) -> TextClause:
    dialect = postgresql.dialect()
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])" for name in columns
    )
    names = ", ".join(f'"{name}"' for name in columns)
    return text(
        f'INSERT INTO "{table.name}" ({names}) '
        f"SELECT * FROM unnest({arrays}) ON CONFLICT ON CONSTRAINT {constraint} DO NOTHING "
        f"RETURNING {', '.join(returning)}"
    )


# Up to this many rows one INSERT … RETURNING costs less than drawing ids, then COPY.
FEW_ROWS = 8


def insert_returning_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert rows and return their new ids, in order.

    Many rows on PostgreSQL: the ids are drawn from the table's sequence in one query and the
    rows go in by COPY; a few rows (a single push), or another database: one INSERT …
    RETURNING (one round trip instead of two), sorted back into the rows' order.
    """
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql" and len(rows) > FEW_ROWS:
        ids = list(
            session.execute(
                text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"),
                {"seq": f"{table.name}_id_seq", "n": len(rows)},
            ).scalars()
        )
        append_rows(session, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    result = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows)
    )
    return list(result.scalars())
