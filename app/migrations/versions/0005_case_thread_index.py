"""index cases by thread: ingest looks up the open case of a thread for every mention

Revision ID: 0005_case_thread_index
Revises: 0004_hide_state
Create Date: 2026-11-23 19:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_case_thread_index"
down_revision: str | None = "0004_hide_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_case_thread", ["brand_id", "thread_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_case_thread")
