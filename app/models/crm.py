"""What a brand's own CRM said about a customer, cached for the case page's person panel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import JSON, Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class CrmProfile(SQLModel, table=True):
    """The last answer (or failure) of the brand's CRM lookup for one person."""

    __tablename__ = "crm_profile"
    __table_args__ = (UniqueConstraint("brand_id", "person_id", name="uq_crm_profile_person"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    error: str | None = Field(default=None, max_length=300)
    fetched_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
