"""routing_profile: per community manager and brand, what they handle (routing, issue 20)

Revision ID: 0021_routing
Revises: 0020_invitations
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0021_routing"
down_revision: str | None = "0020_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "routing_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("seniority", sa.String(length=16), nullable=False),
        sa.Column("max_open", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "brand_id", name="uq_routing_profile"),
    )
    op.create_index("ix_routing_profile_brand_id", "routing_profile", ["brand_id"])


def downgrade() -> None:
    op.drop_index("ix_routing_profile_brand_id", table_name="routing_profile")
    op.drop_table("routing_profile")
