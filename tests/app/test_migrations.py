"""The Alembic migrations produce exactly the models' schema, and roll back cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.migrate import downgrade, upgrade

pytestmark = pytest.mark.db


def test_migrations_match_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_unique_platform_identity_and_queue_indexes_exist(engine):
    inspector = inspect(engine)
    uniques = {c["name"] for c in inspector.get_unique_constraints("mention")}
    assert "uq_mention_platform_identity" in uniques
    indexes = {i["name"] for i in inspector.get_indexes("cases")}
    assert {"ix_case_queue", "ix_case_brand_queue"} <= indexes


def test_downgrade_to_base_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    downgrade(url, "base")
    upgrade(url)
