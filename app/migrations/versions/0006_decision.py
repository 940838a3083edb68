"""cases remember which mention set their decision (the most serious one, not the newest)

Revision ID: 0006_decision
Revises: 0005_case_thread_index
Create Date: 2026-12-01 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_decision"
down_revision: str | None = "0009_ingest_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing cases keep NULL: the case page then takes their most serious mention.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_mention_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("decision_mention_id")
