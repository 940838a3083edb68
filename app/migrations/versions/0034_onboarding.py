"""onboarding a brand from its history: the wizard's rows and the history import jobs (issue 18)

Revision ID: 0034_onboarding
Revises: 0025_meta_messages
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0034_onboarding"
down_revision: str | None = "0025_meta_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("step != 'done'")
ACTIVE = sa.text("state IN ('queued', 'running')")


def _fk(table: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "brand_onboarding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("brand_id", sa.Integer(), _fk("brand", "CASCADE"), nullable=False),
        sa.Column("sector", sa.String(length=16), nullable=True),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("playbook_id", sa.Integer(), _fk("playbook", "SET NULL"), nullable=True),
        sa.Column("review_id", sa.Integer(), _fk("playbook_review", "SET NULL"), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=True),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("replies_saved", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), _fk("users", "SET NULL"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_brand_onboarding_brand_id", "brand_onboarding", ["brand_id"])
    op.create_index(
        "uq_brand_onboarding_open",
        "brand_onboarding",
        ["brand_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "history_import",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("brand_id", sa.Integer(), _fk("brand", "CASCADE"), nullable=False),
        sa.Column(
            "onboarding_id", sa.Integer(), _fk("brand_onboarding", "CASCADE"), nullable=False
        ),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), _fk("connector_account", "SET NULL"), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), _fk("users", "SET NULL"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_history_import_brand", "history_import", ["brand_id", "id"])
    op.create_index(
        "uq_history_import_active",
        "history_import",
        ["brand_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_history_import_active", table_name="history_import")
    op.drop_index("ix_history_import_brand", table_name="history_import")
    op.drop_table("history_import")
    op.drop_index("uq_brand_onboarding_open", table_name="brand_onboarding")
    op.drop_index("ix_brand_onboarding_brand_id", table_name="brand_onboarding")
    op.drop_table("brand_onboarding")
