"""Any fake platform as real HTTP servers on 127.0.0.1, one per URL the fake answers.

    with serve_fake(FakeBluesky()) as fake:   # fake.base_url, fake.pds_url now loopback URLs
        ...

Real sockets make the client's own timeout fire: TIMEOUT stalls without handling the
request, COMMIT_THEN_STALL handles it (the post is stored) and stalls `fake.stall_seconds`
before answering — by then the client has given up, as with a platform that is slow to
answer a write it did commit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

from tests.connectors.fake_core import (
    CONNECT_ERROR,
    TIMEOUT,
    FakeRequest,
    FakeResponse,
    FakeServer,
    Stalled,
)

F = TypeVar("F", bound=FakeServer)


def _handler_for(fake: FakeServer, attribute: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = FakeRequest(
                self.command,
                f"{getattr(fake, attribute)}{self.path}",
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            answer = fake.dispatch(request)
            if answer == CONNECT_ERROR:
                self.close_connection = True
                return  # closed without an answer
            if answer == TIMEOUT:
                time.sleep(fake.stall_seconds)
                answer = FakeResponse.json({"error": "late"}, 504)
            if isinstance(answer, Stalled):
                time.sleep(fake.stall_seconds)
                answer = answer.response
            assert isinstance(answer, FakeResponse)
            # The client may have given up (that is the point of a stall): ignore a closed pipe.
            with contextlib.suppress(OSError):
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return Handler


@contextmanager
def serve_fake(fake: F) -> Iterator[F]:
    """Run `fake` on 127.0.0.1 (one server per URL attribute) in threads until exit."""
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []
    try:
        for attribute in fake.url_attributes:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake, attribute))
            server.daemon_threads = True
            setattr(fake, attribute, f"http://127.0.0.1:{server.server_address[1]}")
            thread = threading.Thread(
                target=server.serve_forever, name=f"fake-{attribute}", daemon=True
            )
            thread.start()
            servers.append((server, thread))
        yield fake
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
