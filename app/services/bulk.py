"""Appending many rows at once: COPY on PostgreSQL, a multi-row INSERT elsewhere.

Ingest writes several rows per mention (the mention, its triage, audit events); at a
thousand mentions a second, statement parsing and round trips dominate unless the rows go
in as one COPY stream.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Json
from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session


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


def insert_returning_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert rows and return their new ids, in order.

    On PostgreSQL the ids are drawn from the table's sequence in one query and the rows go
    in by COPY; elsewhere one INSERT … RETURNING, sorted back into the rows' order.
    """
    if not rows:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
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
