"""Headless Chromium (Debian's) against a live Vigie server on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """pytest-playwright launches Debian's Chromium: Playwright's own download is unavailable."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The demo data on a fresh SQLite database, as `vigie demo --seed-only` creates it."""
    from app.demo import seed_demo

    instance: Path = tmp_path_factory.mktemp("browser-instance")
    settings = Settings(
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'b.db'}",
        secret_key="browser-secret",
        encryption_key=Fernet.generate_key().decode(),
    )
    app = create_app({"RATELIMIT_ENABLED": False}, settings=settings)
    with app.app_context():
        seed_demo(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    from canned_replies import warmup

    warmup.warm_up()  # as `vigie run` does: the first proofread must not wait for the engines
    with LiveServer(live_app) as server:
        yield server


def log_in(page, server: LiveServer, email: str, password: str = "demo") -> None:
    page.goto(f"{server.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit].primary")
    # "/**" also matches /login itself: wait until the browser has left the login page (for
    # the two-factor step too, whose address starts with /login).
    page.wait_for_url(lambda url: url.split("?")[0].rstrip("/") != f"{server.url}/login")


def switch_user(page, server: LiveServer, email: str) -> None:
    """Sign out by clearing the cookies, then sign in as `email`. The current page is left
    first: a console page keeps polling, and a poll answered after the cookies were cleared
    would set the previous user's session cookie again."""
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, server, email)
