"""connector cursors become text: Bluesky's keeps the ids seen in its overlap window

Revision ID: 0011_connectors
Revises: 0005_case_thread_index
Create Date: 2026-12-01 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011_connectors"
down_revision: str | None = "0006_decision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connector_account", schema=None) as batch_op:
        batch_op.alter_column(
            "cursor",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=500),
            type_=sa.Text(),
            existing_nullable=True,
        )


def downgrade() -> None:
    # A longer cursor cannot fit back: the next poll starts from the latest page.
    op.execute("UPDATE connector_account SET cursor = NULL WHERE length(cursor) > 500")
    with op.batch_alter_table("connector_account", schema=None) as batch_op:
        batch_op.alter_column(
            "cursor",
            existing_type=sa.Text(),
            type_=sqlmodel.sql.sqltypes.AutoString(length=500),
            existing_nullable=True,
        )
