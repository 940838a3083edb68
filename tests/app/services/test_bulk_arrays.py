"""Array parameters written as one literal (bulk.array_literal) read back as psycopg's lists do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

import pytest
from psycopg.types.json import Json
from sqlalchemy import Engine, bindparam, event, text
from sqlalchemy.types import NullType
from sqlmodel import Session, select

from app.models import Brand
from app.services import bulk


class _Kind(StrEnum):
    A = "a"


SAMPLES: list[tuple[str, list[Any]]] = [
    ("BIGINT[]", [1, -5, None, 2**62]),
    ("TEXT[]", ['a"b\\c', None, "NULL", "", " x ", "{,}", "é\n\t", _Kind.A]),
    ("BOOLEAN[]", [True, None, False]),
    ("TIMESTAMP WITH TIME ZONE[]", [datetime(2026, 1, 1, 12, tzinfo=UTC), None]),
    ("TIMESTAMP WITH TIME ZONE[]", [datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))]),
    ("JSONB[]", [Json({"x": 'q"\\', "y": [1, "é"]}), None, Json([])]),
    ("INTEGER[]", []),
]


def test_literals_of_every_kind_written() -> None:
    assert bulk.array_literal([1, 2]) == "{1,2}"
    assert bulk.array_literal(['a"b', None]) == '{"a\\"b",NULL}'
    assert bulk.array_literal([1.5]) is None  # left to psycopg
    assert bulk.array_param([1.5]) == [1.5]


@pytest.mark.parametrize(("kind", "values"), SAMPLES)
def test_a_literal_reads_back_as_the_list_does(
    engine: Engine, kind: str, values: list[Any]
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("array parameters are PostgreSQL's")
    statement = text(f"SELECT CAST(:v AS {kind})").bindparams(bindparam("v", type_=NullType()))
    with engine.connect() as conn:
        as_literal = conn.execute(statement, {"v": bulk.array_literal(values)}).scalar()
        as_list = conn.execute(statement, {"v": values}).scalar()
    assert as_literal == as_list


def test_one_of_matches_the_same_rows(app: Any, engine: Engine) -> None:  # app: emptied after
    with Session(engine) as session:
        for slug in ("une", 'de"ux', "tr\\ois"):
            session.add(Brand(slug=slug, name=slug))
        session.commit()
        found = session.exec(
            select(Brand.slug).where(bulk.one_of(session, Brand.slug, ['de"ux', "tr\\ois", "x"]))
        ).all()
    assert sorted(found) == ['de"ux', "tr\\ois"]


# Built once, as the queue's statements are: the values come at execution.
_BY_ID = select(Brand.slug).where(bulk.in_param(Brand.id, "ids")).order_by(Brand.slug)


def test_in_param_matches_the_same_rows_with_one_text_whatever_the_count(
    app: Any, engine: Engine
) -> None:
    with Session(engine) as session:
        brands = [Brand(slug=slug, name=slug) for slug in ("a", "b", "c")]
        session.add_all(brands)
        session.commit()
        a, b, c = ((brand.id, brand.slug) for brand in brands)
        texts: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            texts.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            for ids, slugs in (([a[0], c[0], -1], [a[1], c[1]]), ([b[0]], [b[1]]), ([], [])):
                assert session.exec(_BY_ID, params={"ids": ids}).all() == slugs
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    if engine.dialect.name == "postgresql":  # one array parameter: the same text each time
        assert len(set(texts)) == 1 and "= ANY (" in texts[0]


_BY_SLUG = select(Brand.slug).where(bulk.in_param(Brand.slug, "slugs")).order_by(Brand.slug)


def test_in_param_sends_one_literal_and_matches_awkward_strings(app: Any, engine: Engine) -> None:
    with Session(engine) as session:
        for slug in ("une", 'de"ux', "tr\\ois", "a"):
            session.add(Brand(slug=slug, name=slug))
        session.commit()
        sent: list[Any] = []

        def seen(_conn: Any, _cursor: Any, _statement: str, parameters: Any, *_args: Any) -> None:
            sent.append(parameters)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            wanted = ['de"ux', "tr\\ois", _Kind.A, "x"]
            found = session.exec(_BY_SLUG, params={"slugs": wanted}).all()
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert found == ["a", 'de"ux', "tr\\ois"]
    if engine.dialect.name == "postgresql":  # one array literal, not a list psycopg adapts
        assert sent[-1]["slugs"] == bulk.array_literal(wanted)
