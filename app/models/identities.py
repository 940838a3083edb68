"""Single sign-on: identities linked to users, and the logins waiting for the provider."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import UTCDateTime, utcnow


class UserIdentity(SQLModel, table=True):
    """An OpenID Connect identity (issuer + subject) linked to a user at its first sign-in.

    Later sign-ins match on the subject, never the e-mail again: an address that moves to
    another person at the identity provider cannot open the account it used to match.
    """

    __tablename__ = "user_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_user_identity_subject"),
        UniqueConstraint("user_id", "issuer", name="uq_user_identity_user_issuer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    provider: str = Field(max_length=64)  # the configuration key, for display
    issuer: str = Field(max_length=500)
    subject: str = Field(max_length=255)
    email: str = Field(default="", max_length=254)  # as the provider last reported it
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OIDCLoginState(SQLModel, table=True):
    """A sign-in sent to the provider: its state (hashed), nonce and PKCE verifier.

    Kept on the server so that the state is single-use across every web process: the
    callback deletes the row, and only the request whose DELETE removed it goes on.
    """

    __tablename__ = "oidc_login_states"

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True, index=True)
    provider: str = Field(max_length=64)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    next_url: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
