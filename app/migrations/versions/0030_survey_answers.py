"""survey_answer: customer satisfaction (CSAT, NPS, CES) per case (issue 17, part 3)

Revision ID: 0030_survey_answers
Revises: 0029_crm_profile
Create Date: 2026-12-02 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0030_survey_answers"
down_revision: str | None = "0029_crm_profile"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column(
            "handled_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("csat", sa.Integer(), nullable=False),
        sa.Column("nps", sa.Integer(), nullable=True),
        sa.Column("ces", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_survey_brand_time", "survey_answer", ["brand_id", "answered_at"])


def downgrade() -> None:
    op.drop_index("ix_survey_brand_time", table_name="survey_answer")
    op.drop_table("survey_answer")
