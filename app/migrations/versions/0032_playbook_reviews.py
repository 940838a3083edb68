"""four-eyes publishing: playbook proposals and their decisions (issue 18, part 4)

Revision ID: 0032_playbook_reviews
Revises: 0033_playbook_proposals
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0032_playbook_reviews"
down_revision: str | None = "0033_playbook_proposals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # playbook.status stays VARCHAR(16): "proposed" is a new value, no column change.
    op.create_table(
        "playbook_review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "playbook_id",
            sa.Integer(),
            sa.ForeignKey("playbook.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("needs_brand", sa.Boolean(), nullable=False),
        sa.Column(
            "rollback_of_id",
            sa.Integer(),
            sa.ForeignKey("playbook.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column(
            "proposed_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column(
            "decided_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_playbook_review_brand_state", "playbook_review", ["brand_id", "state"])
    op.create_index("ix_playbook_review_playbook_id", "playbook_review", ["playbook_id"])


def downgrade() -> None:
    op.drop_table("playbook_review")
