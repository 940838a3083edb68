"""account_pace: each connector account's next paced send, shared by every worker (issue 16)

Revision ID: 0035_crisis_waves
Revises: 0034_onboarding
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0035_crisis_waves"
down_revision: str | None = "0034_onboarding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_pace",
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("connector_account.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("next_send_at", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("account_pace")
