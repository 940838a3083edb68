"""Appending many rows at once: COPY on PostgreSQL, a multi-row INSERT elsewhere.

Ingest writes several rows per mention (the mention, its triage, audit events); at a
thousand mentions a second, statement parsing and round trips dominate unless the rows go
in as one COPY stream.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Json
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Table,
    TypeDecorator,
    any_,
    bindparam,
    cast,
    insert,
    text,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import NullType
from sqlmodel import Session

from app.services import queue_changes


def one_of(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `= ANY(array)`: one parameter whatever the count, so
    the statement's text is the same for every batch (parsed once by psycopg, then prepared)
    instead of a new text with one placeholder per value."""
    values = list(values)
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)  # type: ignore[no-any-return]
    literal = array_literal(values)
    if literal is None:
        return column == any_(bindparam(None, values, type_=_array_of(column.type)))  # type: ignore[no-any-return]
    # An untyped parameter under a cast: PostgreSQL reads it as the array type itself (a
    # constant for the planner), with no cast left to run per row.
    return column == any_(cast(bindparam(None, literal, type_=NullType()), _array_of(column.type)))  # type: ignore[no-any-return]


class InParam(ColumnElement[bool]):
    """`column IN (:name)` in a statement built once, its values given at execution
    (`params={name: [...]}`); on PostgreSQL `column = ANY(:name)`, one array parameter. An
    expanding IN was rewritten on each execution with a placeholder per value (a queue page's
    100 ids), then parsed anew by psycopg and planned anew by PostgreSQL, never prepared."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition as it stands: no "= 1" on SQLite
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: Any, name: str) -> None:
        self.column = column.expression if hasattr(column, "expression") else column
        self.name = name


def in_param(column: Any, name: str) -> ColumnElement[bool]:
    """See `InParam`."""
    return InParam(column, name)


@compiles(InParam)
def _in_expanding(element: InParam, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)  # type: ignore[no-any-return]


@compiles(InParam, "postgresql")
def _equals_any(element: InParam, compiler: Any, **kw: Any) -> str:
    # Typed by its cast (PostgreSQL plans it as the column's array, with custom plans as a
    # typed select gets them), sent as one literal (`_ArrayValues`).
    param = cast(bindparam(element.name, type_=_ArrayValues()), _array_of(element.column.type))
    return compiler.process(element.column == any_(param), **kw)  # type: ignore[no-any-return]


class _ArrayValues(TypeDecorator[Any]):
    """An `InParam`'s values on PostgreSQL: the list as one array literal (`array_param`), an
    untyped parameter under the statement's cast; no per-element pass by SQLAlchemy's ARRAY
    nor by psycopg."""

    impl = NullType
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else array_param(list(value))


@functools.cache
def _array_of(kind: Any) -> ARRAY[Any]:
    return ARRAY(kind)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# How each plain type is written in PostgreSQL's array syntax (exact types: a subclass, such as
# a str enum, takes the general path of `_element`).
_WRITERS: dict[type, Callable[[Any], str]] = {
    int: str,
    str: _quoted,
    bool: lambda value: "t" if value else "f",
    type(None): lambda _: "NULL",
    # with its offset when aware, as psycopg sends it
    datetime: lambda value: _quoted(value.isoformat()),
}


def _element(value: Any) -> str | None:
    """One value in PostgreSQL's array syntax; None for a type left to psycopg."""
    if isinstance(value, Json):
        return _quoted(json.dumps(value.obj)) if value.dumps is None else None  # psycopg's default
    for kind in (bool, int, str, datetime):  # bool before int: True is an int too
        if isinstance(value, kind):
            return _WRITERS[kind](value)
    return "NULL" if value is None else None


def array_literal(values: Sequence[Any]) -> str | None:
    """`values` as one array literal ('{1,"a b",NULL}'), for a parameter cast to the array's
    type; None if one of them is of a type not handled here (psycopg then sends the list).

    psycopg adapts a list element by element in Python (~1 µs an integer, several a string):
    ingest sends a few thousand values per batch (band keys, the columns of 100 mentions),
    and one string costs next to nothing to send and to parse."""
    kinds = set(map(type, values))
    if kinds <= {int}:  # ids and keys: the common case, written in one pass
        return "{" + ",".join(map(str, values)) + "}"
    if len(kinds) == 1 and (writer := _WRITERS.get(kinds.pop())) is not None:
        return "{" + ",".join(map(writer, values)) + "}"
    parts = []
    for value in values:
        part = _element(value)
        if part is None:
            return None
        parts.append(part)
    return "{" + ",".join(parts) + "}"


def array_param(values: Sequence[Any]) -> str | list[Any]:
    """An array parameter (of a statement that casts it to its type): the literal when
    `array_literal` writes one, else the list for psycopg."""
    literal = array_literal(values)
    return list(values) if literal is None else literal


# Where `chained_writes.chained` keeps the rows appended meanwhile (in `session.info`).
CHAIN = "vigie.bulk.chain"


def append_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (all with the same keys) inside the session's current transaction; within
    `chained_writes.chained`, kept to be written with the others at the end of its block."""
    if not rows:
        return
    if (chain := session.info.get(CHAIN)) is not None:
        chain.append(table, rows)
        return
    if session.connection().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    copy_rows(session, table, rows)


def copy_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Rows in as one COPY stream (PostgreSQL)."""
    connection = session.connection()
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
    statement = _insert_unnest(table, columns, constraint, tuple(returning))
    params = column_arrays(table, columns, rows)
    return [tuple(row) for row in session.execute(statement, params)]


@functools.cache
def _insert_unnest(
    table: Table, columns: tuple[str, ...], constraint: str, returning: tuple[str, ...]
) -> TextClause:
    arrays = unnest_arrays(table, columns)
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
        ids = reserve_ids(session, table, len(rows))
        # At once, even within `chained_writes.chained`: the caller refers to them next.
        copy_rows(session, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    result = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), list(rows)
    )
    return list(result.scalars())


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` new ids drawn from the table's sequence in one query (PostgreSQL): rows can
    be built, and referred to, before they are inserted."""
    return list(
        session.execute(
            text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"),
            {"seq": f"{table.name}_id_seq", "n": count},
        ).scalars()
    )


def update_by_id(
    session: Session,
    entity: Any,
    rows: Sequence[dict[str, Any]],
    keep_if_null: Sequence[str] = (),
    *,
    brand_ids: Iterable[int],
) -> None:
    """Update rows by id: each dict holds "id" and the columns to set, the same keys in every
    row; a column of `keep_if_null` keeps its stored value in the rows that give it None.
    `brand_ids`: the brands whose queue the rows change (``queue_changes``), on either database.

    PostgreSQL: one UPDATE … FROM unnest(arrays), the same text whatever the number of rows
    (parsed once, then prepared); elsewhere one executemany per kind of row.
    """
    if not rows:
        return
    table = entity.__table__
    brands = tuple(brand_ids)
    if session.connection().dialect.name != "postgresql":
        given = [
            {k: v for k, v in r.items() if v is not None or k not in keep_if_null} for r in rows
        ]
        # Rows with the same columns side by side: the ORM starts a new statement whenever
        # the columns change from one row to the next.
        stmt = queue_changes.declare(update(entity), brands)
        session.execute(stmt, sorted(given, key=lambda r: tuple(sorted(r))))
        return
    for brand in brands:  # a text statement: the session's events do not see it
        queue_changes.note(session, brand)
    columns = tuple(rows[0])
    params = column_arrays(table, columns, rows)
    session.execute(_update_unnest(table, columns, tuple(keep_if_null)), params)


@functools.cache
def _update_unnest(table: Table, columns: tuple[str, ...], keep: tuple[str, ...]) -> TextClause:
    arrays = unnest_arrays(table, columns)
    names = ", ".join(f'"{name}"' for name in columns)
    sets = ", ".join(
        f'"{name}" = coalesce(v."{name}", t."{name}")' if name in keep else f'"{name}" = v."{name}"'
        for name in columns
        if name != "id"
    )
    return text(
        f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({arrays}) AS v({names}) '
        'WHERE t."id" = v."id"'
    )


def insert_adding(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]
) -> None:
    """Insert rows (all with the same keys, sorted by `key`), or add their other columns to
    the row already stored under the same `key` (counters). Rows are written in the order
    given, so two processes adding at once never deadlock.

    PostgreSQL: from unnest(arrays), one statement text whatever the number of rows.
    """
    if not rows:
        return
    columns = tuple(rows[0])
    if session.connection().dialect.name != "postgresql":
        stmt = sqlite_insert(table).values(list(rows))
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key),
            set_={c: table.c[c] + stmt.excluded[c] for c in columns if c not in key},
        )
        session.execute(stmt)
        return
    params = column_arrays(table, columns, rows)
    session.execute(_insert_adding_unnest(table, columns, tuple(key)), params)


@functools.cache
def _insert_adding_unnest(
    table: Table, columns: tuple[str, ...], key: tuple[str, ...]
) -> TextClause:
    arrays = unnest_arrays(table, columns)
    names = ", ".join(f'"{name}"' for name in columns)
    conflict = ", ".join(f'"{k}"' for k in key)
    adds = ", ".join(
        f'"{name}" = "{table.name}"."{name}" + excluded."{name}"'
        for name in columns
        if name not in key
    )
    return text(
        f'INSERT INTO "{table.name}" ({names}) '
        f"SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS v({names}, n) ORDER BY n "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {adds}"
    )


def unnest_arrays(table: Table, columns: Sequence[str], prefix: str = "") -> str:
    """One array parameter per column, cast to the column's type (unnest's arguments); each
    parameter named after its column, behind `prefix`."""
    dialect = postgresql.dialect()
    kinds = {name: table.c[name].type.compile(dialect=dialect) for name in columns}
    return ", ".join(f"CAST(:{prefix}{name} AS {kinds[name]}[])" for name in columns)


def column_arrays(
    table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[str, str | list[Any]]:
    """The rows as one array per column: a literal (`array_literal`), else a list (JSON values
    wrapped for psycopg)."""
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    params: dict[str, str | list[Any]] = {}
    for name in columns:
        values = [
            Json(row[name]) if name in json_columns and row[name] is not None else row[name]
            for row in rows
        ]
        params[name] = array_param(values)
    return params
