"""the queue count reads an index of open cases only (issue 11, section 5)

The tab title and the header count every open case of the user's brands on each poll miss: a
full scan of the cases table (closed ones included) became an index-only scan of the open ones
(on the 200,000-mention bench: 21-24 ms → 2.5 ms; with a severity filter 9-25 ms → 0.5 ms).

Revision ID: 0038_queue_speed
Revises: 0035_crisis_waves
Create Date: 2026-12-02 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038_queue_speed"
down_revision: str | None = "0035_crisis_waves"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_index(
        "ix_case_open_count",
        "cases",
        ["brand_id", "severity", "cluster_id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("ix_case_open_count", table_name="cases")
