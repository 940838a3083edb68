"""report_day, report_day_mark: daily report rollups; cases indexed by brand and opening time
(issue 17, part 2)

Revision ID: 0028_report_rollups
Revises: 0030_survey_answers
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0028_report_rollups"
down_revision: str | None = "0030_survey_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_day",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("facet", sa.String(length=2), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=2), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        *[
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "cases",
                "mentions",
                "handled",
                "autonomy_base",
                "autonomy_alone",
                "escalated",
                "responded",
                "sla_measured",
                "sla_met",
                "closed",
                "fcr_base",
                "fcr_met",
                "brand_asks",
            )
        ],
        sa.Column("first_response", sa.JSON(), nullable=False),
        sa.Column("handling", sa.JSON(), nullable=False),
        sa.Column("brand_turnaround", sa.JSON(), nullable=False),
        sa.UniqueConstraint(
            "brand_id", "facet", "day", "channel", "severity", "key", name="uq_report_day"
        ),
    )
    op.create_table(
        "report_day_mark",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("refreshed_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_report_day_mark_brand", "report_day_mark", ["brand_id", "day"], unique=True)
    op.create_index("ix_case_brand_opened", "cases", ["brand_id", "opened_at"])


def downgrade() -> None:
    op.drop_index("ix_case_brand_opened", table_name="cases")
    op.drop_index("ix_report_day_mark_brand", table_name="report_day_mark")
    op.drop_table("report_day_mark")
    op.drop_table("report_day")
