"""one account per platform object: two "Connect with" picks at once make one account

A connector account connected with Google or Facebook now names its platform object (channel,
Page, Instagram account, location) in `external_id`, unique per brand and platform; pasted
credentials leave it empty (NULLs never collide). Existing accounts start empty: their ids sit
in encrypted credentials the migration cannot read, so the first "Connect with" of an object
claims its oldest account (`app.services.account_connect.find`); duplicates made before stay
as they are (nothing deleted). `oauth_state_use` records each OAuth `state` brought back, so
two callbacks with one state at once are one callback.

Revision ID: 0039_account_unique
Revises: 0038_queue_speed
Create Date: 2026-12-02 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision: str = "0039_account_unique"
down_revision: str | None = "0038_queue_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connector_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(
            "uq_connector_account_object", ["brand_id", "platform", "external_id"]
        )
    op.create_table(
        "oauth_state_use",
        sa.Column("digest", sa.String(length=64), primary_key=True),
        sa.Column("used_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_oauth_state_use_used_at", "oauth_state_use", ["used_at"])


def downgrade() -> None:
    op.drop_index("ix_oauth_state_use_used_at", table_name="oauth_state_use")
    op.drop_table("oauth_state_use")
    with op.batch_alter_table("connector_account", schema=None) as batch_op:
        batch_op.drop_constraint("uq_connector_account_object", type_="unique")
        batch_op.drop_column("external_id")
