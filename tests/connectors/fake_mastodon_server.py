"""FakeMastodon as a real HTTP server on 127.0.0.1, for tests that span processes (browser).

    with serve_fake_mastodon() as fake:      # fake.base_url == "http://127.0.0.1:<port>"
        fake.add_mention("@acme mon colis ?")
        ...  # point a Mastodon connector account at fake.base_url; assert on fake.posted

Or from a shell: `python -m tests.connectors.fake_mastodon_server --port 8765 --mentions 5`.
Injected faults work as with respx, except TIMEOUT and COMMIT_THEN_STALL, which stall the
answer `fake.stall_seconds` (set the client timeout below that). Any fake:
`tests.connectors.fake_http_server.serve_fake`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from tests.connectors.fake_http_server import _handler_for
from tests.connectors.fake_mastodon import FakeMastodon

STALL_SECONDS = FakeMastodon.stall_seconds


@contextmanager
def serve_fake_mastodon(
    fake: FakeMastodon | None = None, *, port: int = 0
) -> Iterator[FakeMastodon]:
    """Run `fake` (a new FakeMastodon by default) on 127.0.0.1 in a thread until exit."""
    import threading

    fake = fake or FakeMastodon()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(fake, "base_url"))
    server.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-mastodon", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mentions", type=int, default=3, help="mentions to start with")
    args = parser.parse_args()
    with serve_fake_mastodon(port=args.port) as fake:
        for i in range(args.mentions):
            fake.add_mention(f"mention de démo n°{i + 1}")
        print(f"fake Mastodon on {fake.base_url} (token {fake.token!r}); Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
