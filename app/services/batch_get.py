"""Rows by id for a page: those the session already holds, the rest in one query.

A page decorates its rows from several places (the queue's cases, its watched escalations,
the cluster rows): each asks for the brands it shows, and a brand read once in the request
is not read again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, SQLModel, col, select

M = TypeVar("M", bound=SQLModel)


def get_many(session: Session, model: type[M], ids: Iterable[int | None]) -> dict[int, M]:
    """The rows of `model` with these ids (missing ones left out), at most one query."""
    wanted = {i for i in ids if i is not None}
    found: dict[int, M] = {}
    for ident in wanted:
        held = session.identity_map.get(identity_key(model, ident))
        if held is not None:
            found[ident] = held  # type: ignore[assignment]
    missing = wanted - found.keys()
    if missing:
        pk = col(model.id)  # type: ignore[attr-defined]
        for row in session.exec(select(model).where(pk.in_(missing))):
            found[row.id] = row  # type: ignore[attr-defined]
    return found
