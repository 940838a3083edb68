"""a per-brand change counter: the queue's poll answers 204 from it alone

`brand_change.n` counts the committed transactions that changed what a brand's queue shows
(cases, mentions, replies, escalations, people, waves); app/services/queue_changes.py bumps it
once per transaction, at commit. A brand without a row reads as 0 (its first bump inserts it).

Revision ID: 0041_brand_change
Revises: 0040_proof19f_canned_override
Create Date: 2026-12-03 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041_brand_change"
down_revision: str | None = "0040_proof19f_canned_override"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "brand_change",
        sa.Column("brand_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brand_id"),
    )


def downgrade() -> None:
    op.drop_table("brand_change")
