"""messages as data: notification params (JSON), worker error codes on replies and accounts

Notifications render in their reader's language; worker errors are codes the UI translates
(issue 14, part 4).

Revision ID: 0023_messages_as_data
Revises: 0032_playbook_reviews
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_messages_as_data"
down_revision: str | None = "0032_playbook_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable ADD COLUMN: old rows keep params NULL and show their stored (French) text.
    op.add_column("notification", sa.Column("params", sa.JSON(), nullable=True))
    # NULL code: an error stored before codes, shown as its stored sentence.
    op.add_column("reply", sa.Column("last_error_code", sa.String(length=32), nullable=True))
    op.add_column(
        "connector_account", sa.Column("last_error_code", sa.String(length=32), nullable=True)
    )


def downgrade() -> None:
    for table in ("connector_account", "reply"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("last_error_code")
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("params")
