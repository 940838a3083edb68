"""Connector accounts: one platform account polled (or pushed to) for one brand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow

PLATFORMS = (
    "x",
    "mastodon",
    "bluesky",
    "webhook",
    "demo",
    "facebook",
    "instagram",
    "youtube",
    "google_business",
)
ACCOUNT_STATUSES = ("ok", "rate_limited", "backoff", "auth_failed", "disabled")


class ConnectorAccount(SQLModel, table=True):
    __tablename__ = "connector_account"
    __table_args__ = (
        Index("ix_connector_account_due", "is_active", "next_poll_at"),
        # One account per platform object (channel, Page, location) and brand, even when two
        # "Connect with" picks land at once; NULL (pasted credentials) never collides.
        UniqueConstraint("brand_id", "platform", "external_id", name="uq_connector_account_object"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=16)
    label: str = Field(default="", max_length=200)
    handle: str = Field(default="", max_length=200)
    base_url: str | None = Field(default=None, max_length=500)
    # Fernet token of the JSON credentials; never rendered back to anyone.
    credentials_encrypted: str = Field(default="", sa_type=Text)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The platform object a "Connect with" flow connected (channel, Page, location id).
    external_id: str | None = Field(default=None, max_length=200)
    # sha256 of the inbound webhook bearer token, for lookup without storing the token.
    webhook_token_hash: str | None = Field(default=None, index=True, max_length=64)
    interval_seconds: int = 60
    # JSON for Bluesky (a window of ids already seen): longer than a plain id.
    cursor: str | None = Field(default=None, sa_type=Text)
    is_active: bool = True
    status: str = Field(default="ok", max_length=16)
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_poll_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_poll_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A code the UI translates (app.services.worker_errors) and the raw detail.
    last_error_code: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, sa_type=Text)
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consecutive_failures: int = 0
    rate_limit_remaining: int | None = None
    rate_limit_reset_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OAuthStateUse(SQLModel, table=True):
    """An OAuth `state` already brought back once: a second way back with it is refused, even
    when both arrive at the same moment (the admin's session is a cookie both requests carry)."""

    __tablename__ = "oauth_state_use"

    digest: str = Field(primary_key=True, max_length=64)
    used_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
