"""A customer's answer to the satisfaction survey sent with a case's closing reply."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, Text

from app.models.types import UTCDateTime, utcnow


class SurveyAnswer(SQLModel, table=True):
    """One answer per case (the unique case id is what makes a second answer impossible)."""

    __tablename__ = "survey_answer"
    __table_args__ = (Index("ix_survey_brand_time", "brand_id", "answered_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE", unique=True)
    channel: str | None = Field(default=None, max_length=32)
    # The CM who sent the case's last reply: satisfaction per CM, for leads only.
    handled_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    language: str = Field(default="fr", max_length=8)
    csat: int  # 1–5
    nps: int | None = None  # 0–10, when the brand asks it
    ces: int | None = None  # 1–7 (1 very easy … 7 very hard), when the brand asks it
    comment: str = Field(default="", sa_type=Text)
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
