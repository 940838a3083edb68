"""Meta private messages and deletes (issue 15): reply.kind (public, private reply to a
comment, automatic acknowledgement) with once-only indexes; on moderation_action (created by
0024_youtube) the reason a delete was asked for and the worker's claim.

Revision ID: 0025_meta_messages
Revises: 0023_messages_as_data
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0025_meta_messages"
down_revision: str | None = "0023_messages_as_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIVATE_LIVE = "kind = 'private' AND outbox_state <> 'cancelled'"


def upgrade() -> None:
    op.add_column(
        "reply",
        sa.Column(
            "kind",
            sqlmodel.sql.sqltypes.AutoString(length=16),
            nullable=False,
            server_default="public",
        ),
    )
    op.create_index(
        "uq_reply_private_once",
        "reply",
        ["mention_id"],
        unique=True,
        postgresql_where=sa.text(PRIVATE_LIVE),
        sqlite_where=sa.text(PRIVATE_LIVE),
    )
    op.create_index(
        "uq_reply_ack_once",
        "reply",
        ["case_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'ack'"),
        sqlite_where=sa.text("kind = 'ack'"),
    )
    with op.batch_alter_table("moderation_action") as batch:
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("moderation_action") as batch:
        batch.drop_column("started_at")
        batch.drop_column("reason")
    op.drop_index("uq_reply_ack_once", table_name="reply")
    op.drop_index("uq_reply_private_once", table_name="reply")
    with op.batch_alter_table("reply") as batch:
        batch.drop_column("kind")
