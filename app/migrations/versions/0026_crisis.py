"""crisis mode: spike rollups and alerts, crisis periods, crisis playbook variant (issue 16)

Revision ID: 0026_crisis
Revises: 0024_youtube
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0026_crisis"
down_revision: str | None = "0024_youtube"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with a server default: no table copy on SQLite, no rewrite on PostgreSQL.
    op.add_column(
        "playbook",
        sa.Column("kind", sa.String(length=16), nullable=False, server_default="normal"),
    )
    op.create_table(
        "spike_rollup",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("dim", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("severe", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.UniqueConstraint("brand_id", "dim", "key", "bucket", name="uq_spike_rollup"),
    )
    op.create_index("ix_spike_rollup_brand_bucket", "spike_rollup", ["brand_id", "bucket"])
    op.create_table(
        "spike_state",
        sa.Column(
            "brand_id",
            sa.Integer(),
            sa.ForeignKey("brand.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("last_alert_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "spike_alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dim", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("window_minutes", sa.Integer(), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("delivery_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_spike_alert_brand_time", "spike_alert", ["brand_id", "detected_at"])
    op.create_table(
        "crisis_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "brand_id", sa.Integer(), sa.ForeignKey("brand.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "spike_alert_id",
            sa.Integer(),
            sa.ForeignKey("spike_alert.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "playbook_id",
            sa.Integer(),
            sa.ForeignKey("playbook.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column(
            "started_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column(
            "ended_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("end_note", sa.String(length=500), nullable=True),
    )
    op.create_index(
        "uq_crisis_open",
        "crisis_period",
        ["brand_id"],
        unique=True,
        postgresql_where=sa.text("ended_at IS NULL"),
        sqlite_where=sa.text("ended_at IS NULL"),
    )
    op.create_index("ix_crisis_brand_started", "crisis_period", ["brand_id", "started_at"])


def downgrade() -> None:
    op.drop_table("crisis_period")
    op.drop_table("spike_alert")
    op.drop_table("spike_state")
    op.drop_table("spike_rollup")
    with op.batch_alter_table("playbook") as batch:
        batch.drop_column("kind")
