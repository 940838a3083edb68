"""A column of a mention's latest triage, as a subquery of a statement reading mentions.

The case page reads each mention with it, and the reply gate reads the language the engine
detected for the mention a reply answers; both build on these (a module of its own so that
neither imports the other).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import col, select

from app.models import Mention, Triage


def latest_triage(*, engine: bool = False, column: str = "id") -> Any:
    """A column of the mention's latest triage (its engine's latest one when `engine`), newest
    by creation time then id."""
    older = aliased(Triage)
    found = select(getattr(older, column)).where(older.mention_id == Mention.id)
    if engine:
        found = found.where(older.source == "engine")
    return (
        found.order_by(col(older.created_at).desc(), col(older.id).desc())
        .limit(1)
        .correlate(Mention)
        .scalar_subquery()
    )


# Built once: a new alias on each call gave the statement a new cache key (compiled anew).
LATEST_TRIAGE_ID = latest_triage()
ENGINE_LANGUAGE = latest_triage(engine=True, column="language")
