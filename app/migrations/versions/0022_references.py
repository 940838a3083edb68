"""mention: customer references and sentiment found at triage (issue 20, parts 3 and 6)

Revision ID: 0022_references
Revises: 0021_routing
Create Date: 2026-12-02 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_references"
down_revision: str | None = "0021_routing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable): no table copy on SQLite, no rewrite on PostgreSQL.
    op.add_column("mention", sa.Column("customer_refs", sa.JSON(), nullable=True))
    op.add_column("mention", sa.Column("sentiment", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mention") as batch:
        batch.drop_column("sentiment")
        batch.drop_column("customer_refs")
