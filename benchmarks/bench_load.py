"""The console under real load: N community managers against `vigie run --workers 2` on PostgreSQL.

Goal (issue 11, section 5): 50 CMs at a heavy pace (1 s think time) with 2 web workers, p95
≤ 300 ms on every route and 0 errors (150 CMs with 4 workers: p95 ≤ 500 ms).

Each CM is one thread with its own keep-alive connection (loopback only) and session: it
arrives within the first --login-spread seconds (an office starting its shift) and logs in; once
every CM is in, the clock starts and each loops: queue page → think → case view (claims it) →
think → claim → think → proofread a reply → think → send it (or submit it, as the delegation
says) → think → queue poll (with the stamp of the rows its queue page showed, as htmx sends it).
A 409 (another CM holds the case) is the console's normal answer under contention, counted
apart from errors; a 5xx, a timeout or any other unexpected status is an error.

The benchmark creates a uniquely named database, pushes varied mentions through the batch
webhook so that cases of different sizes form, creates the CMs, then stops the server and drops
only the database it created. The machine is shared: the load average is printed beside.

    python benchmarks/bench_load.py [--cms 50] [--seconds 60] [--workers 2] [--summary-json F]
                                    [--timing FOLDER [--samples]] [--watchers N]

--watchers N adds N CMs of another brand who only watch its queue, polled every 10 s as htmx
does, while `vigie worker` publishes the working CMs' replies (benchmarks/load_watchers.py):
the share of their polls answered 204 says how often another brand's writes woke them.

--timing says where the server's time went (app/request_timing.py, benchmarks/load_timing.py):
per route wall, thread CPU, SQL time and statements, pool wait and the rest (GIL, locks), the
workers' garbage-collection pauses, and pg_stat_activity's wait events sampled during the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
from cryptography.fernet import Fernet
from sqlmodel import Session, select

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_ingest_http import prepare, varied_mentions  # noqa: E402
from load_timing import WaitEvents, report  # noqa: E402
from load_watchers import (  # noqa: E402
    PASSWORD,
    POLL,
    WATCH_NAME,
    WATCH_ROUTE,
    WATCH_SLUG,
    ReplySink,
    arrive,
    watched_counter,
    watcher,
)

from app.extensions import make_engine  # noqa: E402
from app.models import Brand  # noqa: E402
from app.services import users  # noqa: E402
from benchmarks.support import (  # noqa: E402
    PG_ADMIN,
    ScratchDatabases,
    cpu_used,
    free_port,
    server_cpu,
    start_server,
    start_worker,
    stop_server,
    write_summary,
)

ROUTES = (
    "login page",
    "login",
    "queue",
    "queue count poll",
    "case view",
    "claim",
    "proofread",
    "send",
)
REPLIES = (
    "Bonjour, nous sommes désolés pour ce retard. Pouvez-vous nous écrire en message privé ?",
    "Merci pour votre message, nous regardons votre dossier et revenons vers vous rapidement.",
    "Bonjour, nous comprenons votre agacement : un conseiller vous répond dans la journée.",
    "Bonsoir, le train a été remplacé par un car, les horaires sont sur notre site.",
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CASE_LINK = re.compile(r'id="case-row-(\d+)"')
ACTION = re.compile(r'name="action" value="(send|submit)"')


class Recorder:
    """Latencies and outcomes per route, shared by the CM threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.conflicts: dict[str, int] = defaultdict(int)
        self.unchanged: dict[str, int] = defaultdict(int)
        self.errors: dict[str, list[str]] = defaultdict(list)
        # With --timing: every request as the client saw it (started, epoch; route; URL; seconds
        # to the headers; seconds in all; status; body bytes), to set beside the server's rows.
        self.log: list[tuple[float, str, str, float, float, int, int]] | None = None
        # Each CM's first request of a route, apart: the CMs start their loops within one think
        # time of each other, so these come as a burst on cold caches.
        self.first: dict[str, list[float]] = defaultdict(list)
        self._seen: set[tuple[int, str]] = set()

    def timed(
        self, route: str, client: httpx.Client, method: str, url: str, **kw: object
    ) -> httpx.Response | None:
        at, started = time.time(), time.perf_counter()
        try:
            with client.stream(method, url, **kw) as response:  # type: ignore[arg-type]
                headers = time.perf_counter() - started
                response.read()
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors[route].append(f"{type(exc).__name__}: {exc}"[:200])
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[route].append(elapsed)
            if (id(client), route) not in self._seen:
                self._seen.add((id(client), route))
                self.first[route].append(elapsed)
            if self.log is not None:
                row = (at, route, url, headers, elapsed, response.status_code)
                self.log.append((*row, len(response.content)))
            if response.status_code == 204:
                self.unchanged[route] += 1  # the poll's "nothing changed"
            if response.status_code == 409:
                self.conflicts[route] += 1
            elif response.status_code >= 400 and not (
                route == "send" and response.status_code == 422  # blocked by proofreading
            ):
                self.errors[route].append(f"{response.status_code} {url}")
        return response


def seed(
    url: str, port: int, token: str, mentions: int, cms: int, slug: str = "bench-http"
) -> list[str]:
    """Push varied mentions through the batch webhook; create the brand's CMs; their emails."""
    items = varied_mentions(mentions, prefix=uuid.uuid4().hex[:6])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=120, headers=headers) as client:
        for i in range(0, len(items), 100):
            response = client.post(
                f"http://127.0.0.1:{port}/api/v1/mentions", json=items[i : i + 100]
            )
            response.raise_for_status()
    engine = make_engine(url)
    emails = [f"cm{n}@{slug}.test" for n in range(cms)]
    with Session(engine) as session:
        brand = session.exec(select(Brand).where(Brand.slug == slug)).one()
        for email in emails:
            user = users.create_user(session=session, email=email, password=PASSWORD)
            users.grant(session=session, user=user, brand=brand, role="community_manager")
        session.commit()
    engine.dispose()
    return emails


def community_manager(
    base: str,
    email: str,
    start: threading.Barrier,
    clock: dict[str, float],
    think: float,
    rec: Recorder,
    seed_n: int,
    spread: float,
) -> None:
    rng = random.Random(seed_n)
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        # The logins are timed apart: the clock starts once every CM is in (or failed).
        if not arrive(client, email, start, rec, rng, spread):
            return
        time.sleep(rng.uniform(0, think))  # CMs do not all start on the same tick
        while time.monotonic() < clock["deadline"]:
            queue = rec.timed("queue", client, "GET", "/queue")
            if queue is None:
                time.sleep(think)
                continue
            ids = CASE_LINK.findall(queue.text)
            # The poll as the page's htmx sends it: with the stamp of the rows it shows.
            found = POLL.search(queue.text)
            poll = found.group(1).replace("&amp;", "&") if found else "/queue"
            time.sleep(think)
            if not ids:
                rec.timed("queue count poll", client, "GET", poll, headers={"HX-Request": "true"})
                time.sleep(think)
                continue
            case_id = rng.choice(ids)  # anywhere on the first page: some CMs collide (409)
            view = rec.timed("case view", client, "GET", f"/cases/{case_id}")
            time.sleep(think)
            if view is None or view.status_code != 200:
                continue
            csrf = CSRF.search(view.text)
            csrf_token = csrf.group(1) if csrf else ""
            version = VERSION.search(view.text)
            rec.timed(
                "claim", client, "POST", f"/cases/{case_id}/claim", data={"csrf_token": csrf_token}
            )
            time.sleep(think)
            # Each reply differs (as a CM's do): the send re-checks the text just proofread,
            # never one another CM had proofread before.
            text = f"{rng.choice(REPLIES)} Référence du dossier : {case_id}-{rng.randrange(10**6)}."
            rec.timed(
                "proofread",
                client,
                "POST",
                f"/cases/{case_id}/proofread",
                data={"csrf_token": csrf_token, "text": text},
                headers={"HX-Request": "true"},
            )
            time.sleep(think)
            action = ACTION.search(view.text)
            if action is not None:
                data = {"csrf_token": csrf_token, "text": text, "action": action.group(1)}
                if version:
                    data["version"] = version.group(1)
                rec.timed("send", client, "POST", f"/cases/{case_id}/reply", data=data)
                time.sleep(think)
            rec.timed("queue count poll", client, "GET", poll, headers={"HX-Request": "true"})
            time.sleep(think)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cms", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="seconds between actions")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--login-spread", type=float, default=20, help="CMs log in over this many seconds"
    )
    parser.add_argument("--mentions", type=int, default=3000, help="pushed before the CMs start")
    parser.add_argument("--goal-ms", type=float, default=300)
    parser.add_argument("--quick", action="store_true", help="10 CMs, 15 s (make bench)")
    parser.add_argument(
        "--watchers", type=int, default=0, help="CMs of another brand who only poll its queue"
    )
    parser.add_argument("--watch-think", type=float, default=10, help="seconds between polls")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    parser.add_argument(
        "--samples", action="store_true", help="with --timing: sample the request threads' stacks"
    )
    parser.add_argument(
        "--timing",
        metavar="FOLDER",
        help="time the served requests in the server (app/request_timing.py) and sample "
        "pg_stat_activity; print where the time went",
    )
    args = parser.parse_args()
    if args.quick:
        args.cms, args.seconds, args.mentions = 10, 15, 1000

    os.environ.setdefault("VIGIE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    if args.timing:
        os.environ["VIGIE_REQUEST_TIMING"] = args.timing
        os.environ["VIGIE_REQUEST_SAMPLES"] = "1" if args.samples else "0"
    scratch = ScratchDatabases("vigie_bench_load", PG_ADMIN)
    name = scratch.create()
    url, admin, instance = scratch.url(name), scratch.admin, str(scratch.folder)
    server = worker = sink = None
    rec = Recorder()
    if args.timing:
        rec.log = []
    waits = None
    try:
        if args.watchers:  # the working brand's replies go out through a reply URL here
            os.environ["VIGIE_ALLOW_PRIVATE_URLS"] = "1"
            sink = ReplySink(free_port())
        token = prepare(url, reply_url=sink.url if sink else None)
        watch_token = prepare(url, WATCH_SLUG, WATCH_NAME) if args.watchers else ""
        port = free_port()
        server = start_server(url, port, instance, args.workers)
        emails = seed(url, port, token, args.mentions, args.cms)
        watchers: list[str] = []
        if args.watchers:
            watchers = seed(url, port, watch_token, 300, args.watchers, WATCH_SLUG)
            worker = start_worker(url, instance)
        base = f"http://127.0.0.1:{port}"
        clock: dict[str, float] = {}
        if args.timing:
            waits = WaitEvents(admin, name)

        cpu: dict[str, dict[int, float]] = {}

        def go() -> None:
            clock["deadline"] = time.monotonic() + args.seconds
            clock["started"] = time.perf_counter()
            clock["client cpu"] = time.process_time()
            cpu["before"] = server_cpu(server.pid, admin, name)  # type: ignore[union-attr]
            if watchers:
                clock["watched counter"] = watched_counter(url)
            if waits is not None:
                waits.start()

        start = threading.Barrier(len(emails) + len(watchers), action=go)
        people = [(community_manager, e, args.think) for e in emails]
        people += [(watcher, e, args.watch_think) for e in watchers]
        threads = [
            threading.Thread(
                target=loop,
                args=(base, email, start, clock, think, rec, n, args.login_spread),
                daemon=True,  # an interrupted run does not wait for them
            )
            for n, (loop, email, think) in enumerate(people)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - clock["started"]
        client_seconds = time.process_time() - clock["client cpu"]
        server_seconds = cpu_used(cpu["before"], server_cpu(server.pid, admin, name))
        load = os.getloadavg()[0]
        bumped = watched_counter(url) - clock["watched counter"] if watchers else 0
        if waits is not None:
            waits.report()
    finally:
        stop_server(worker)
        stop_server(server)
        if sink is not None:
            sink.close()
        scratch.close()
    if args.timing:
        (Path(args.timing) / "client.json").write_text(json.dumps(rec.log))
        report(Path(args.timing))

    print(
        f"Console load: {args.cms} CMs, {args.think:g} s think time, {elapsed:.0f} s, "
        f"vigie run --workers {args.workers} on PostgreSQL (loopback; goal p95 ≤ "
        f"{args.goal_ms:.0f} ms on every route, 0 errors)"
    )
    print(
        f"{'route':<18} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'409':>5} {'errors':>7}"
        "  verdict"
    )
    summary = []
    all_ok = True
    for route in ROUTES:
        lat = rec.latencies.get(route, [])
        errors = rec.errors.get(route, [])
        p50, p95 = 1000 * percentile(lat, 0.5), 1000 * percentile(lat, 0.95)
        ok = bool(lat) and not errors and p95 <= args.goal_ms
        all_ok &= ok
        print(
            f"{route:<18} {len(lat):>8} {p50:>8.0f} {p95:>8.0f} "
            f"{rec.conflicts.get(route, 0):>5} {len(errors):>7}  {'OK' if ok else 'NOT MET'}"
        )
        summary.append(
            {
                "figure": f"load {args.cms} CMs: {route} p95",
                "goal": f"≤ {args.goal_ms:.0f} ms, 0 errors",
                "measured": f"{p95:.0f} ms, {len(errors)} errors",
                "ok": ok,
            }
        )
    every = [x for v in rec.latencies.values() for x in v] or [0.0]
    total = sum(len(rec.latencies.get(r, [])) for r in ROUTES if not r.startswith("login"))
    print(
        f"{total} requests ({total / elapsed:.0f}/s); median of all "
        f"{1000 * statistics.median(every):.0f} ms; "
        f"machine load average {load:.1f} on {os.cpu_count()} cores (shared machine)"
    )
    split = []
    for route in ("queue", "case view"):
        first, every_one = rec.first.get(route, []), rec.latencies.get(route, [])
        rest = list(every_one)
        for value in first:
            rest.remove(value)
        split.append(
            f"{route} p95 {1000 * percentile(first, 0.95):.0f} ms on each CM's first "
            f"({len(first)}), {1000 * percentile(rest, 0.95):.0f} ms on the others ({len(rest)})"
        )
    print("; ".join(split))
    polls = len(rec.latencies.get("queue count poll", []))
    unchanged = rec.unchanged["queue count poll"]
    print(f"queue polls answered 204 (nothing changed): {unchanged} of {polls}")
    if args.watchers:
        watched = rec.latencies.get(WATCH_ROUTE, [])
        quiet = rec.unchanged[WATCH_ROUTE]
        print(
            f"watch polls ({args.watchers} CMs of a brand nobody works, every "
            f"{args.watch_think:g} s): {quiet} of {len(watched)} answered 204 "
            f"({100 * quiet / max(1, len(watched)):.0f} %), p95 "
            f"{1000 * percentile(watched, 0.95):.0f} ms; their brand's change counter moved "
            f"{bumped:.0f} times (each: every watcher's next poll read its rows again) while the "
            f"worker published {sink.received if sink else 0} of the working brand's replies"
        )
        # No goal: the clock alone turns some of their polls into 200s ("dans 52 minutes").
        summary.append(
            {
                "figure": f"load {args.cms} CMs: watchers' polls answered 204, counter moves",
                "goal": "-",
                "measured": f"{quiet} of {len(watched)}, {bumped:.0f} moves",
                "ok": "info",
            }
        )
    # The machine is shared: the server's own CPU per request says what 2 free cores would give.
    per_request = 1000 * server_seconds / max(1, total)
    print(
        f"server CPU (gunicorn workers + their PostgreSQL backends): {per_request:.1f} ms a "
        f"request, {total / elapsed:.0f} requests/s asked: ≈ {2000 / per_request:.0f} requests/s "
        "on 2 free cores"
    )
    # The client shares the machine: what it costs is CPU the server did not get.
    print(
        f"client CPU (this process, {args.cms} CM threads): "
        f"{1000 * client_seconds / max(1, total):.1f} ms a request"
    )
    for route, errors in rec.errors.items():
        for error in errors[:3]:
            print(f"  error on {route}: {error}")
    write_summary(args.summary_json, summary)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
