"""replies: when the first send attempt started, and how many checks an unknown outcome had

Revision ID: 0008_outbox
Revises: 0005_case_thread_index
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types

revision: str = "0008_outbox"
down_revision: str | None = "0011_connectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "first_attempt_at", app.models.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("checks", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.drop_column("checks")
        batch_op.drop_column("first_attempt_at")
