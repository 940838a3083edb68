"""a per-brand canned-replies counter: each process keeps a brand's replies under it

`canned_reply_change.n` counts the committed transactions that changed a brand's canned replies
(created, edited, approved, installed from a library or a sector template, promoted from a
reply); app/services/canned_changes.py bumps it once per transaction, at commit, from the
session's events. A brand without a row reads as 0 (its first bump inserts it).

Revision ID: 0042_canned_reply_change
Revises: 0041_brand_change
Create Date: 2026-12-04 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042_canned_reply_change"
down_revision: str | None = "0041_brand_change"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "canned_reply_change",
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brand_id"),
    )


def downgrade() -> None:
    op.drop_table("canned_reply_change")
