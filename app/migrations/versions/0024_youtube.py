"""YouTube and Google Business Profile: moderation actions, daily quotas, review stars (issue 15)

Revision ID: 0024_youtube
Revises: 0030_survey_answers
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0024_youtube"
down_revision: str | None = "0030_survey_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable): no table copy on SQLite, no rewrite on PostgreSQL.
    op.add_column("mention", sa.Column("rating", sa.SmallInteger(), nullable=True))
    op.create_table(
        "moderation_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "mention_id",
            sa.Integer(),
            sa.ForeignKey("mention.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("connector_account.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("approver", sa.String(length=16), nullable=True),
        sa.Column("check_first", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_moderation_action_state", "moderation_action", ["state", "id"])
    op.create_index("ix_moderation_action_case", "moderation_action", ["case_id", "id"])
    open_states = sa.text("state IN ('awaiting_approval', 'pending')")
    op.create_index(
        "uq_moderation_action_open",
        "moderation_action",
        ["mention_id", "action"],
        unique=True,
        postgresql_where=open_states,
        sqlite_where=open_states,
    )
    op.create_table(
        "platform_quota",
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("connector_account.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("units", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("platform_quota")
    op.drop_index("uq_moderation_action_open", table_name="moderation_action")
    op.drop_index("ix_moderation_action_case", table_name="moderation_action")
    op.drop_index("ix_moderation_action_state", table_name="moderation_action")
    op.drop_table("moderation_action")
    with op.batch_alter_table("mention") as batch:
        batch.drop_column("rating")
