"""a library reply approved over proofreading findings keeps them and the reason, as a sent reply

`canned_reply_version.proofreading` holds the blocking findings of the approved body (rule,
span, word) and `proofreading_override` the reason typed; both stay empty on other versions.
The overridden-rules report reads them beside `reply.proofreading_override`.

Revision ID: 0040_proof19f_canned_override
Revises: 0039_account_unique
Create Date: 2026-12-02 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_proof19f_canned_override"
down_revision: str | None = "0039_account_unique"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("canned_reply_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proofreading", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("proofreading_override", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("canned_reply_version", schema=None) as batch_op:
        batch_op.drop_column("proofreading_override")
        batch_op.drop_column("proofreading")
