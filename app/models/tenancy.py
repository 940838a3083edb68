"""Brands, users and the per-brand memberships that carry roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

ROLES = ("admin", "lead", "community_manager", "playbook_editor", "brand_owner")
AGENCY_ROLES = ("admin", "lead", "community_manager", "playbook_editor")

DEFAULT_BUSINESS_HOURS = {
    day: ["08:00", "20:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")
}


class Brand(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    languages: list[str] = Field(default_factory=lambda: ["fr"], sa_type=JSON)
    business_hours: dict[str, Any] = Field(
        default_factory=lambda: dict(DEFAULT_BUSINESS_HOURS), sa_type=JSON
    )
    # The answer deadlines the brand set itself, per severity; the others follow the playbook.
    sla_minutes: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BrandChange(SQLModel, table=True):
    """How many committed transactions changed what the brand's queue shows (one row a brand,
    bumped at commit by app/services/queue_changes.py): the queue's poll reads it alone."""

    __tablename__ = "brand_change"

    brand_id: int = Field(
        foreign_key="brand.id",
        primary_key=True,
        ondelete="CASCADE",
        sa_column_kwargs={"autoincrement": False},
    )
    n: int = Field(default=0, sa_type=BigInteger)


class User(SQLModel, table=True):
    __tablename__ = "users"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="fr", max_length=8)
    is_active: bool = True
    # Platform-wide administrator, made only by the CLI: admin of every brand, manages any user.
    is_superadmin: bool = False
    # Bumped on password change or deactivation so that existing sessions stop working.
    session_version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Two-factor (TOTP): the seed sealed with the SecretsBox; enabled once a code was confirmed.
    totp_secret_sealed: str | None = Field(default=None, sa_type=Text)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The last 30-second step accepted, so one code cannot be replayed.
    totp_last_step: int | None = None


class RecoveryCode(SQLModel, table=True):
    """A single-use two-factor recovery code, kept as a sha256 (the code is shown once)."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "brand_id", "role", name="uq_membership"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    """An admin's offer of a role on a brand to an e-mail address, accepted through a signed link.

    Whether the address already has an account is decided when the link is opened, never shown
    to the admin: the invitation looks the same either way.
    """

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    email: str = Field(index=True, max_length=254)
    role: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16)  # pending | accepted | revoked
    # Bumped on resend: links of earlier mails stop working.
    nonce: int = 1
    invited_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    accepted_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    expires_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
