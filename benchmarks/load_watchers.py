"""bench_load.py's CMs who only watch: their brand's queue open, polled as htmx polls it.

A watcher is a CM of a brand nobody works during the run: it loads its queue once, then polls
it every --watch-think seconds (10 s, the page's htmx) with the stamp of the rows it shows, as
the browser does. Nothing changes on its brand, so every poll should be a 204 read from the
brand's change counter alone (app/services/queue_changes.py). A write of ANOTHER brand that
bumps it (a statement that named no brand bumps them all) makes each watcher's next poll read
and render its rows again: a 204 still when they come out the same, a 200 when the clock moved
their text meanwhile ("dans 52 minutes"); `watched_counter` counts those bumps themselves.

The other brand's background work runs meanwhile: `vigie worker` publishes the working CMs'
replies through the webhook account's reply URL, a sink in this process (`ReplySink`).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from sqlmodel import Session, select

from app.extensions import make_engine
from app.models import Brand
from app.services import queue_changes

PASSWORD = "bench-load-password-1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
POLL = re.compile(r'id="queue-rows" hx-get="([^"]+)"')
WATCH_SLUG, WATCH_NAME = "bench-watch", "Bench Watch"
WATCH_ROUTE = "watch poll"


def arrive(
    client: httpx.Client,
    email: str,
    start: threading.Barrier,
    rec: Any,
    rng: random.Random,
    spread: float,
) -> bool:
    """Log in within the first `spread` seconds (an office starting its shift), then wait for
    every CM at the barrier (the clock starts once all are in, or failed). True if logged in."""
    logged_in = False
    try:
        time.sleep(rng.uniform(0, spread))
        page = rec.timed("login page", client, "GET", "/login")
        token = CSRF.search(page.text) if page is not None else None
        if token is not None:
            form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
            answer = rec.timed("login", client, "POST", "/login", data=form)
            logged_in = answer is not None and answer.status_code in (302, 303)
        if not logged_in:
            rec.errors["login"].append(f"login failed for {email}")
    finally:
        start.wait()
    return logged_in


def poll_url(html: str) -> str | None:
    """The URL the rows' htmx polls: their stamp and version in it."""
    found = POLL.search(html)
    return found.group(1).replace("&amp;", "&") if found else None


def watcher(
    base: str,
    email: str,
    start: threading.Barrier,
    clock: dict[str, float],
    think: float,
    rec: Any,
    seed_n: int,
    spread: float,
) -> None:
    """Open the queue once, then poll it every `think` seconds, the URL renewed by each 200."""
    rng = random.Random(seed_n)
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        if not arrive(client, email, start, rec, rng, spread):
            return
        queue = rec.timed("queue", client, "GET", "/queue")
        url = poll_url(queue.text) if queue is not None else None
        if url is None:
            rec.errors[WATCH_ROUTE].append(f"no queue rows to poll for {email}")
            return
        time.sleep(rng.uniform(0, think))  # the watchers' polls spread over the period
        while time.monotonic() < clock["deadline"]:
            answer = rec.timed(WATCH_ROUTE, client, "GET", url, headers={"HX-Request": "true"})
            if answer is not None and answer.status_code == 200:
                url = poll_url(answer.text) or url
            time.sleep(think)


def watched_counter(url: str) -> int:
    """The watched brand's change counter: each move makes every watcher's next poll read its
    rows again (a 204 still when they came out the same: the reads are the cost)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            brand = session.exec(select(Brand).where(Brand.slug == WATCH_SLUG)).one()
            return dict(queue_changes.counters(session, [brand.id]))[brand.id]  # type: ignore[index,list-item]
    finally:
        engine.dispose()


class ReplySink:
    """The brand's system behind the webhook account's reply URL: takes every reply (200)."""

    def __init__(self, port: int) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.dumps({"id": uuid.uuid4().hex, "url": "https://example.test/r"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())
                with sink.lock:
                    sink.received += 1

            def log_message(self, *args: Any) -> None:  # one line a reply: not wanted
                pass

        self.lock = threading.Lock()
        self.received = 0
        self.url = f"http://127.0.0.1:{port}/replies"
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
