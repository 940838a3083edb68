"""Extension objects and the database engine, shared by the web app, the CLI and the worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, g
from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

# Their session events bump each brand's queue and canned-replies counters in the writing
# transaction: loaded with the engine, so that the worker, the CLI and the web write through them
# alike.
from app.services import canned_changes, queue_changes  # noqa: F401

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, foreign keys and a busy timeout for web + worker."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    _cache_longer_statements()
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _cache_longer_statements() -> None:
    """Let psycopg keep the parsed form of statements up to 8 KB and 64 parameters (4 KB and
    50 by default). A push's chained insert (its mentions, triages, audit events…, one array
    parameter per column) is just over both: its ~5 KB text was split and rewritten on every
    batch (about half a millisecond of CPU each). Its texts are few and stable (arrays, not a
    placeholder per row); statements with a placeholder per row stay uncached, as psycopg
    intends (the ORM's multi-row inserts, whose text changes with the row count)."""
    from psycopg import _queries

    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", 0) < 8192:
        _queries.MAX_CACHED_STATEMENT_LENGTH = 8192
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", 0) < 64:
        _queries.MAX_CACHED_STATEMENT_PARAMS = 64


def get_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["vigie_engine"]


def db() -> Session:
    """The request-scoped session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for jobs and CLI commands: committed on success, rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
