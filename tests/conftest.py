"""Shared fixtures: a migrated database per run, emptied after each test, and the Flask app.

Set VIGIE_TEST_DATABASE_URL to run against PostgreSQL; the default is a fresh SQLite file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app import create_app
from app.config import Settings, normalise_database_url
from app.extensions import make_engine
from app.migrate import upgrade
from tests.canned_change_guard import canned_change_guard  # noqa: F401  (autouse: every test)
from tests.queue_change_guard import queue_change_guard  # noqa: F401  (autouse: every test)

TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()

# Compiled lexicon automata (playbooks.automaton_store) kept inside the checkout, not in the
# user's cache: the CLI and browser tests' fresh processes read what the first one wrote.
os.environ.setdefault("VIGIE_CACHE_DIR", str(Path(__file__).parent.parent / "build" / "cache"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("VIGIE_TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'vigie-test.db'}"


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """Alembic to head once per run (tests never use create_all)."""
    upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
def engine(migrated: str) -> Iterator[Engine]:
    engine = make_engine(migrated)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # TRUNCATE costs tens of ms per table, written to or not: only the tables the test
            # wrote to are truncated, then every sequence restarts at 1 (as RESTART IDENTITY on
            # every table did), so each test still starts from an empty database.
            probe = " UNION ALL ".join(
                f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
            )
            used = [row[0] for row in conn.execute(text(probe))]
            if used:
                conn.execute(
                    text(
                        "TRUNCATE "
                        + ", ".join(f'"{t}"' for t in used)
                        + " RESTART IDENTITY CASCADE"
                    )
                )
            conn.execute(
                text("SELECT setval(oid::regclass, 1, false) FROM pg_class WHERE relkind = 'S'")
            )
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def app(engine: Engine, migrated: str, tmp_path: Path) -> Iterator[Flask]:
    settings = Settings(
        instance_path=tmp_path,
        database_url=migrated,
        secret_key="test-secret",
        encryption_key=TEST_ENCRYPTION_KEY,
        # Two-factor for leads and admins is tested on its own (tests/app/security/test_totp.py).
        two_factor_roles=(),
    )
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False}, settings=settings)
    app.extensions["vigie_engine"].dispose()
    app.extensions["vigie_engine"] = engine
    yield app
    _empty_tables(engine)


@pytest.fixture
def session(app: Flask, engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Read a CSRF token the way a browser gets it: from a rendered page."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client: FlaskClient, email: str, password: str = "pw-test") -> None:
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def post(client: FlaskClient, path: str, data: dict | None = None, **kwargs) -> object:
    """POST with a valid CSRF token taken from the logged-in user's pages."""
    token = csrf_token(client, "/")
    return client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)
