"""notification: params (JSON), so a notification renders in its reader's language (issue 14)

Revision ID: 0023_messages_as_data
Revises: 0022_references
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_messages_as_data"
down_revision: str | None = "0022_references"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable ADD COLUMN: old rows keep params NULL and show their stored (French) text.
    op.add_column("notification", sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("params")
