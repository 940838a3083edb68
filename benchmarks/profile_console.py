"""Where the console's server time goes, route by route, on the load test's own data.

    python benchmarks/profile_console.py [--mentions 3000] [--runs 20] [--profile N]
                                         [--only ROUTE] [--sql N] [--sqlite]

Builds the database `bench_load.py` runs against (a uniquely named PostgreSQL database with the
shipped rail playbook and varied mentions pushed through the batch webhook, dropped at the
end), logs a CM in through the real Flask app (test client) and, for every route the load test
hits (login, queue page, queue count poll, case view, claim, proofread, send), prints per
request: SQL statements, their wall time, this process's CPU time (process_time), the CPU the
database's PostgreSQL backends used meanwhile (/proc, 10 ms ticks: a mean over the runs) and
the wall time; the slowest statements (--sql N: every statement of a request, in order); with
--profile N the top N functions of cProfile (PROFILE_SORT=tottime to sort by own time,
PROFILE_CLOCK=cpu to count CPU time instead of wall time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlmodel import select  # noqa: E402

from benchmarks.support import ScratchDatabases, database_cpu_reader  # noqa: E402

PASSWORD = "profile-console-pw-1"
REPLY = "Merci pour votre message, nous regardons votre dossier et revenons vers vous rapidement."
CASE_LINK = re.compile(r'id="case-row-(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ACTION = re.compile(r'name="action" value="(send|submit)"')
POLL = re.compile(r'id="queue-rows" hx-get="([^"]+)"')


class StatementLog:
    """Statements and their time, recorded from the engine's cursor events."""

    def __init__(self, engine: Any) -> None:
        self.rows: list[tuple[str, float]] = []
        self._start: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self._start.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.rows.append((statement, time.perf_counter() - self._start.pop()))

    def reset(self) -> None:
        self.rows = []


class RenderClock:
    """CPU time spent rendering templates (flask.templating._render), outermost calls only."""

    def __init__(self) -> None:
        import flask.templating

        self.seconds = 0.0
        self._depth = 0
        original = flask.templating._render

        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self._depth -= 1
                if not self._depth:
                    self.seconds += time.process_time() - started

        flask.templating._render = timed  # type: ignore[assignment]


RENDER: RenderClock | None = None
DATABASE_CPU: list[Callable[[], float]] = []  # CPU seconds of the database's backends (PG)
SHOW_SQL = 0  # --sql N: print each statement of a request (first N characters) in order


def measure(
    log: StatementLog,
    name: str,
    call: Callable[[], Any],
    runs: int,
    profile: int,
    setup: Callable[[], Any] = lambda: None,
) -> None:
    assert RENDER is not None
    setup()
    call()  # warm (templates, plans, caches)
    statements, sql_ms, cpu_ms, wall_ms, render_ms, pg_ms = [], [], [], [], [], []
    by_text: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        setup()
        log.reset()
        RENDER.seconds = 0.0
        pg = DATABASE_CPU[0]() if DATABASE_CPU else 0.0
        cpu, wall = time.process_time(), time.perf_counter()
        response = call()
        cpu_ms.append((time.process_time() - cpu) * 1000)
        pg_ms.append(((DATABASE_CPU[0]() if DATABASE_CPU else 0.0) - pg) * 1000)
        render_ms.append(RENDER.seconds * 1000)
        wall_ms.append((time.perf_counter() - wall) * 1000)
        assert response.status_code in (200, 204, 302, 303, 409, 422), (name, response.status_code)
        statements.append(len(log.rows))
        sql_ms.append(sum(t for _, t in log.rows) * 1000)
        for stmt, t in log.rows:
            by_text[" ".join(stmt.split())[:150]].append(t * 1000)
    mid = runs // 2
    print(
        f"\n[{name}] statements {sorted(statements)[mid]}, SQL {sorted(sql_ms)[mid]:.1f} ms, "
        f"CPU {sorted(cpu_ms)[mid]:.1f} ms (templates {sorted(render_ms)[mid]:.1f}), "
        f"PostgreSQL CPU {statistics.mean(pg_ms):.1f} ms (mean), "
        f"wall {sorted(wall_ms)[mid]:.1f} ms (medians of {runs})"
    )
    if SHOW_SQL:
        for stmt, t in log.rows:  # the last run's statements, in order
            print(f"   {t * 1000:6.1f} ms  {' '.join(stmt.split())[:SHOW_SQL]}")
        return
    top = sorted(by_text.items(), key=lambda kv: -sum(kv[1]))[:8]
    for stmt, times in top:
        print(f"   {sum(times) / runs:6.1f} ms/req  x{len(times) / runs:4.1f}  {stmt}")
    if profile:
        # PROFILE_CLOCK=cpu: this process's CPU time (a loaded machine's waits left out).
        clock = time.process_time if os.environ.get("PROFILE_CLOCK") == "cpu" else None
        prof = cProfile.Profile(clock) if clock else cProfile.Profile()
        prof.enable()
        for _ in range(5):
            prof.disable()
            setup()
            prof.enable()
            call()
        prof.disable()
        if os.environ.get("PROFILE_DUMP"):
            prof.dump_stats(f"{os.environ['PROFILE_DUMP']}.{name.replace(' ', '_')}")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(
            os.environ.get("PROFILE_SORT", "cumulative")
        ).print_stats(profile)
        print("\n".join(out.getvalue().splitlines()[: profile + 12]))


def run(url: str, folder: Path, args: argparse.Namespace) -> None:
    from bench_ingest_http import prepare, varied_mentions

    from app import create_app
    from app.config import Settings
    from app.extensions import get_engine, session_scope
    from app.models import Brand
    from app.services import users

    global RENDER
    RENDER = RenderClock()
    token = prepare(url)
    settings = Settings(
        instance_path=folder,
        database_url=url,
        secret_key="bench",
        encryption_key=os.environ["VIGIE_ENCRYPTION_KEY"],
    )
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, settings=settings)
    client = app.test_client()
    items = varied_mentions(args.mentions, prefix=uuid.uuid4().hex[:6])
    for i in range(0, len(items), 100):
        answer = client.post(
            "/api/v1/mentions",
            json=items[i : i + 100],
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 202, answer.status_code
    email = f"profile-{uuid.uuid4().hex[:6]}@example.test"
    with app.app_context(), session_scope(get_engine()) as session:
        user = users.create_user(session=session, email=email, password=PASSWORD)
        for brand in session.exec(select(Brand)).all():
            users.grant(session=session, user=user, brand=brand, role="community_manager")
        engine = get_engine()
    log = StatementLog(engine)
    if engine.dialect.name == "postgresql":
        DATABASE_CPU.append(database_cpu_reader(url, engine.url.database))

    def login() -> Any:
        return app.test_client().post("/login", data={"email": email, "password": PASSWORD})

    assert login().status_code == 302
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    ids = CASE_LINK.findall(client.get("/queue").get_data(as_text=True))
    case_id = ids[len(ids) // 2]
    view = client.get(f"/cases/{case_id}").get_data(as_text=True)
    version = VERSION.search(view)
    action = ACTION.search(view)
    reply = {"text": REPLY, "action": action.group(1) if action else "send"}
    if version:
        reply["version"] = version.group(1)
    sent = iter(ids)

    def poll_url() -> str:
        found = POLL.search(client.get("/queue").get_data(as_text=True))
        assert found
        return found.group(1).replace("&amp;", "&")

    held: dict[str, str] = {}

    def kept_poll_url() -> str:
        if "url" not in held:  # read once, outside the timed calls after the first
            held["url"] = poll_url()
        return held["url"]

    def forget_kept_rows() -> None:
        # The rows kept a moment for every CM (app/ui/queue_poll.py) dropped: a full render.
        app.extensions.pop("vigie_queue_shown", None)

    ready: dict[str, Any] = {}

    def before_send() -> None:
        # Each send goes to another case (a sent case leaves the queue): open and claim it.
        other_id = next(sent)
        client.post(f"/cases/{other_id}/claim")
        page = client.get(f"/cases/{other_id}").get_data(as_text=True)
        found = VERSION.search(page)
        ready["url"] = f"/cases/{other_id}/reply"
        ready["data"] = {**reply, **({"version": found.group(1)} if found else {})}

    def send() -> Any:
        return client.post(ready["url"], data=ready["data"])

    routes: dict[str, Callable[[], Any]] = {
        # Fixed costs: no session at all, then a signed-in request rendering no page.
        "healthz": lambda: client.get("/healthz"),
        "alert banner poll": lambda: client.get("/alerts/_banner"),
        "login": login,
        "queue": lambda: client.get("/queue"),
        "queue count poll": lambda: client.get("/queue", headers={"HX-Request": "true"}),
        # The poll as a browser sends it: the stamp of the rows it shows (204 when unchanged).
        "queue poll, unchanged": lambda: client.get(
            kept_poll_url(), headers={"HX-Request": "true"}
        ),
        "case view": lambda: client.get(f"/cases/{case_id}"),
        "claim": lambda: client.post(f"/cases/{case_id}/claim"),
        "proofread": lambda: client.post(
            f"/cases/{case_id}/proofread", data={"text": REPLY}, headers={"HX-Request": "true"}
        ),
        "send": send,
    }
    print(f"{args.mentions} mentions pushed; load average {os.getloadavg()[0]:.1f}")
    # The queue page and its poll read and render anew (no kept rows): the cost when anything
    # the user sees changed, or when the user wrote something since the rows were kept.
    routes["queue, rendered"] = routes["queue"]
    routes["queue count poll, rendered"] = routes["queue count poll"]
    for name, call in routes.items():
        if args.only and name not in args.only:
            continue
        if name.endswith(", rendered"):
            measure(log, name, call, args.runs, args.profile, setup=forget_kept_rows)
        elif name == "send":
            runs = min(args.runs, len(ids) // 2 - 6)
            measure(log, name, call, runs, args.profile, setup=before_send)
        else:
            measure(log, name, call, args.runs if name != "login" else 5, args.profile)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--only", action="append", help="profile only this route (repeatable)")
    parser.add_argument("--sql", type=int, default=0, help="list each statement (N chars)")
    parser.add_argument("--sqlite", action="store_true", help="on a SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    global SHOW_SQL
    SHOW_SQL = args.sql
    os.environ.setdefault("VIGIE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    with ScratchDatabases("vigie_profile_console", keep=args.keep) as scratch:
        url = scratch.sqlite() if args.sqlite else scratch.postgres()
        run(url, scratch.folder, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
