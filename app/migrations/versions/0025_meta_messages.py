"""Meta private messages and moderation actions (issue 15): reply.kind (public, private reply
to a comment, automatic acknowledgement) with once-only indexes, and moderation_action (delete
a comment, and other platforms' ban/hold) carried out by the worker.

Revision ID: 0025_meta_messages
Revises: 0022_references
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0025_meta_messages"
down_revision: str | None = "0022_references"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIVATE_LIVE = "kind = 'private' AND outbox_state <> 'cancelled'"
LIVE = "state NOT IN ('done', 'failed', 'rejected', 'cancelled')"


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
    op.create_table(
        "moderation_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "approver",
            sqlmodel.sql.sqltypes.AutoString(length=16),
            nullable=False,
            server_default="lead",
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mention_id"], ["mention.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_moderation_action_brand_id", "moderation_action", ["brand_id"])
    op.create_index("ix_moderation_action_due", "moderation_action", ["state", "next_attempt_at"])
    op.create_index("ix_moderation_action_case", "moderation_action", ["case_id", "created_at"])
    op.create_index(
        "uq_moderation_action_live",
        "moderation_action",
        ["mention_id", "kind"],
        unique=True,
        postgresql_where=sa.text(LIVE),
        sqlite_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_table("moderation_action")
    op.drop_index("uq_reply_ack_once", table_name="reply")
    op.drop_index("uq_reply_private_once", table_name="reply")
    with op.batch_alter_table("reply") as batch:
        batch.drop_column("kind")
