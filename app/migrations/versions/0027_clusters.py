"""clusters of near-duplicate mentions, their signatures, waves and person links (issue 16)

Revision ID: 0027_clusters
Revises: 0026_crisis
Create Date: 2026-12-02 05:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0027_clusters"
down_revision: str | None = "0026_crisis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mention_cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.String(length=100), nullable=True),
        sa.Column("sample_mention_id", sa.Integer(), nullable=True),
        sa.Column("sample_text", sa.String(length=300), nullable=False),
        sa.Column("first_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cluster_brand_last", "mention_cluster", ["brand_id", "last_at"])
    op.create_table(
        "cluster_signature",
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("posted_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["mention_id"], ["mention.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cluster_id"], ["mention_cluster.id"]),
        sa.PrimaryKeyConstraint("mention_id"),
    )
    op.create_index("ix_cluster_signature_brand_id", "cluster_signature", ["brand_id"])
    op.create_table(
        "cluster_band",
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("is_link", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["cluster_signature.mention_id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("brand_id", "band", "mention_id"),
    )
    op.create_table(
        "wave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("canned_reply_id", sa.Integer(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cluster_id"], ["mention_cluster.id"]),
        sa.ForeignKeyConstraint(["canned_reply_id"], ["canned_reply.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_wave_brand_id", "wave", ["brand_id"])
    op.create_index("ix_wave_state", "wave", ["state", "brand_id"])
    op.create_table(
        "wave_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["wave_id"], ["wave.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mention_id"], ["mention.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reply_id"], ["reply.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wave_id", "mention_id", name="uq_wave_item_mention"),
    )
    op.create_index("ix_wave_item_due", "wave_item", ["wave_id", "state", "due_at"])
    op.create_index("ix_wave_item_mention", "wave_item", ["mention_id"])
    op.create_table(
        "person_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "other_id", name="uq_person_link_pair"),
    )
    op.create_index("ix_person_link_state", "person_link", ["brand_id", "state"])
    # Nullable columns: no rewrite on PostgreSQL; SQLite copies the table once (the key).
    with op.batch_alter_table("mention") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_mention_cluster_id", "mention_cluster", ["cluster_id"], ["id"])
        batch.create_index("ix_mention_cluster_id", ["cluster_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_cases_cluster_id", "mention_cluster", ["cluster_id"], ["id"])
        batch.create_index("ix_cases_cluster_id", ["cluster_id"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_cluster_id")
        batch.drop_constraint("fk_cases_cluster_id", type_="foreignkey")
        batch.drop_column("cluster_id")
    with op.batch_alter_table("mention") as batch:
        batch.drop_index("ix_mention_cluster_id")
        batch.drop_constraint("fk_mention_cluster_id", type_="foreignkey")
        batch.drop_column("cluster_id")
    op.drop_table("person_link")
    op.drop_table("wave_item")
    op.drop_table("wave")
    op.drop_table("cluster_band")
    op.drop_table("cluster_signature")
    op.drop_table("mention_cluster")
