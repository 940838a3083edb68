"""Where the console's server time goes: SQL statements, their time and Python time per route.

    python benchmarks/profile_console.py [--mentions 200000] [--cases 20000] [--url URL]
                                         [--keep] [--profile N]

Loads a database with bench_console's generator (a uniquely named PostgreSQL database, dropped
at the end unless --keep; or an existing one with --url), logs a CM of every brand in through
the real Flask app (test client) and, for the queue page, the htmx poll fragment and the case
view, prints per request: SQL statements, their wall time, the server CPU time (process_time)
and the wall time; the slowest statements; with --profile N the top N functions of cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_console import PG_ADMIN_URL, generate, load_postgres  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlmodel import select  # noqa: E402


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


def measure(app: Any, client: Any, name: str, call: Any, runs: int, profile: int) -> None:
    from app.extensions import get_engine

    with app.app_context():
        log = StatementLog(get_engine())
    call()  # warm (templates, plans, caches)
    statements, sql_ms, cpu_ms, wall_ms = [], [], [], []
    by_text: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        log.reset()
        cpu, wall = time.process_time(), time.perf_counter()
        response = call()
        cpu_ms.append((time.process_time() - cpu) * 1000)
        wall_ms.append((time.perf_counter() - wall) * 1000)
        assert response.status_code == 200, (name, response.status_code)
        statements.append(len(log.rows))
        sql_ms.append(sum(t for _, t in log.rows) * 1000)
        for stmt, t in log.rows:
            by_text[" ".join(stmt.split())[:150]].append(t * 1000)
    mid = sorted(wall_ms)[len(wall_ms) // 2]
    print(
        f"\n[{name}] statements {statements[-1]}, SQL {sorted(sql_ms)[runs // 2]:.1f} ms, "
        f"CPU {sorted(cpu_ms)[runs // 2]:.1f} ms, wall {mid:.1f} ms (medians of {runs})"
    )
    top = sorted(by_text.items(), key=lambda kv: -sum(kv[1]))[:12]
    for stmt, times in top:
        print(f"   {sum(times) / runs:6.1f} ms/req  x{len(times) / runs:4.1f}  {stmt}")
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            call()
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(
            os.environ.get("PROFILE_SORT", "cumulative")
        ).print_stats(profile)
        print("\n".join(out.getvalue().splitlines()[: profile + 12]))


def run(url: str, args: argparse.Namespace, rows: dict[str, list[tuple]] | None) -> None:
    from app import create_app
    from app.config import Settings
    from app.extensions import get_engine, session_scope
    from app.models import Brand, Case
    from app.services import users

    instance = Path(tempfile.mkdtemp(prefix="profile-console-"))
    settings = Settings(
        instance_path=instance, database_url=url, secret_key="bench", encryption_key="x" * 43 + "="
    )
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, settings=settings)
    email = f"profile-{uuid.uuid4().hex[:6]}@example.test"
    with app.app_context(), session_scope(get_engine()) as session:
        user = users.create_user(session=session, email=email, password="bench-pw")
        for brand in session.exec(select(Brand)).all():
            users.grant(session=session, user=user, brand=brand, role="community_manager")
        ids = session.exec(select(Case.id).order_by(Case.id)).all()
    case_id = ids[len(ids) // 2]
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": "bench-pw"})
    assert response.status_code == 302, response.status_code
    routes = {
        "queue": lambda: client.get("/queue"),
        "poll": lambda: client.get("/queue", headers={"HX-Request": "true"}),
        "case view": lambda: client.get(f"/cases/{case_id}"),
    }
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, call in routes.items():
        measure(app, client, name, call, args.runs, args.profile)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--brands", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--url", help="an existing, already loaded database")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN_URL)
    args = parser.parse_args()
    if args.url:
        run(args.url, args, None)
        return 0
    import psycopg
    from psycopg import sql

    from app.migrate import upgrade

    name = f"vigie_profile_console_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"postgresql+psycopg://{args.pg_admin_url.rpartition('/')[0].split('://', 1)[1]}/{name}"
    try:
        upgrade(url)
        rows = generate(args.mentions, args.cases, args.brands)
        load_postgres(url, rows)
        print(f"{args.mentions:,} mentions, {args.cases:,} open cases, {args.brands} brands")
        run(url, args, rows)
    finally:
        if args.keep:
            print(f"kept: {url}")
        else:
            with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
