"""Queue conditions about platform moderation (kept apart from queue.py)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists
from sqlmodel import col, select

from app.models import Case, Mention


def held_for_review() -> ColumnElement[bool]:
    """The case has a mention the platform holds for review (YouTube `heldForReview`)."""
    return exists(
        select(Mention.id).where(
            col(Mention.case_id) == col(Case.id), col(Mention.visibility) == "held"
        )
    )
