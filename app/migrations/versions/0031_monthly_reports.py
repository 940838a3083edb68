"""monthly_report: each brand's monthly client report as PDF (issue 17, part 4)

Revision ID: 0031_monthly_reports
Revises: 0028_report_rollups
Create Date: 2026-12-02 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0031_monthly_reports"
down_revision: str | None = "0028_report_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("generated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("mailed_at", UTCDateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("brand_id", "month", name="uq_monthly_report"),
    )


def downgrade() -> None:
    op.drop_table("monthly_report")
