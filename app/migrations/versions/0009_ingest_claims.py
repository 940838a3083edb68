"""mention.triage_attempts and a partial index on the triage backlog: ingest claims its work

Revision ID: 0009_ingest_claims
Revises: 0005_case_thread_index
Create Date: 2026-12-01 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_ingest_claims"
down_revision: str | None = "0007_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNTRIAGED = sa.text("state = 'new'")


def upgrade() -> None:
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("triage_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_mention_untriaged",
            ["brand_id", "id"],
            unique=False,
            postgresql_where=UNTRIAGED,
            sqlite_where=UNTRIAGED,
        )


def downgrade() -> None:
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index("ix_mention_untriaged")
        batch_op.drop_column("triage_attempts")
