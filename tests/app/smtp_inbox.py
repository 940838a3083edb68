"""A real SMTP server on a loopback port, set as the app's VIGIE_SMTP_URL (import `smtp`)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from tests.app.security.test_reset import Inbox


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["VIGIE_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    try:
        yield inbox
    finally:
        controller.stop()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message, prefix: str) -> str:
    match = re.search(r"http://[^\s]+(" + re.escape(prefix) + r"[^\s]+)", body(message))
    assert match, body(message)
    return match.group(1)
