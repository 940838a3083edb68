"""mention.hide_state / hide_error: hiding on the platform is carried out by the worker

Revision ID: 0004_hide_state
Revises: 0003_portal
Create Date: 2026-11-23 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004_hide_state"
down_revision: str | None = "0003_portal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hide_state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(sa.Column("hide_error", sa.Text(), nullable=True))
        batch_op.create_index("ix_mention_hide_state", ["hide_state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index("ix_mention_hide_state")
        batch_op.drop_column("hide_error")
        batch_op.drop_column("hide_state")
