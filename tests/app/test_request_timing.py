"""The opt-in request timing of load tests (app/request_timing.py): off unless asked for; when on,
per route: wall, CPU, statements, and the garbage collector's pauses."""

from __future__ import annotations

import gc
import json

import pytest

from app import create_app
from app.config import Settings
from app.request_timing import RequestTiming, init_request_timing
from tests.conftest import TEST_ENCRYPTION_KEY

pytestmark = pytest.mark.db


def _app(tmp_path, migrated):
    settings = Settings(
        instance_path=tmp_path,
        database_url=migrated,
        secret_key="test-secret",
        encryption_key=TEST_ENCRYPTION_KEY,
    )
    config = {"TESTING": True, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
    return create_app(config, settings=settings)


def test_off_unless_asked(monkeypatch, tmp_path, migrated):
    monkeypatch.delenv("VIGIE_REQUEST_TIMING", raising=False)
    app = _app(tmp_path, migrated)
    assert app.test_client().get("/login").status_code == 200
    assert not list(tmp_path.glob("timing-*.json"))


def test_times_each_route_with_its_statements(monkeypatch, tmp_path, migrated):
    folder = tmp_path / "timing"
    monkeypatch.setenv("VIGIE_REQUEST_TIMING", str(folder))
    monkeypatch.setenv("VIGIE_REQUEST_SAMPLES", "0")
    callbacks = list(gc.callbacks)
    try:
        app = _app(tmp_path, migrated)
        timing = next(c.__self__ for c in gc.callbacks if c not in callbacks)
        assert isinstance(timing, RequestTiming)
        client = app.test_client()
        for _ in range(3):
            answer = client.post("/login", data={"email": "x@example.test", "password": "p"})
            assert answer.status_code == 401  # refused: the form again
        gc.collect()
        timing.dump()
    finally:
        gc.callbacks[:] = callbacks
    data = json.loads(next(folder.glob("timing-*.json")).read_text())
    rows = data["rows"]["POST /login"]  # named by the URL rule, not the path
    assert len(rows) == 3
    wall, cpu, sql, count, pool, at, path, _port = rows[0]
    # A request on one thread: its CPU is at most its wall time (the two clocks are read a few
    # microseconds apart, and argon2 hashes on that same thread).
    assert cpu > 0 and wall >= cpu - 0.001 and count >= 1 and sql > 0 and pool >= 0
    assert at > 0 and path == "/login"  # when it started and its path, for bench_load --timing
    assert data["gc_pauses"]["2"]


def test_init_is_a_no_op_without_the_variable(monkeypatch, app):
    monkeypatch.delenv("VIGIE_REQUEST_TIMING", raising=False)
    before = app.wsgi_app
    init_request_timing(app)
    assert app.wsgi_app is before
