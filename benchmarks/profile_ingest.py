"""Where a pushed mention's server time goes: CPU in this process, in PostgreSQL, statements.

    python benchmarks/profile_ingest.py [--singles 300] [--clients 1 4 8] [--batches 20]
                                        [--profile N] [--sql N] [--sqlite]

Builds what `bench_ingest_http.py` posts to (a uniquely named PostgreSQL database, the shipped
rail playbook, a webhook account; dropped at the end), warms it with 1,000 mentions in batches,
then posts through the real Flask app (test client, rate limits on, in Redis when it answers):
single mentions from 1 client, then from several threads at once (what the group commit sees
under load), and batches of 100. Per mention it prints this process's CPU (process_time, every
thread), the CPU the database's backends used meanwhile (/proc, 10 ms ticks), statements
(COMMITs and COPY streams included), and the mean batch the group commit formed. With
--profile N: the top N functions of cProfile over the single posts of one client.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import event  # noqa: E402

from benchmarks.support import REDIS_URL, ScratchDatabases, database_cpu_reader  # noqa: E402


class Counted:
    """Statements the engine runs (COMMITs and COPY streams included), from any thread."""

    def __init__(self, engine: Any) -> None:
        from app.services import bulk

        self.seen: Counter[str] = Counter()
        self.total = 0
        self._lock = threading.Lock()
        copy_rows = bulk.copy_rows

        def copy(session: Any, table: Any, rows: Any) -> None:
            self._add(f"COPY {table.name}")
            copy_rows(session, table, rows)

        bulk.copy_rows = copy  # type: ignore[assignment]
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", lambda _conn: self._add("COMMIT"))

    def _statement(self, _conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        self._add(" ".join(sql.split())[:120])

    def _add(self, text: str) -> None:
        with self._lock:
            self.seen[text] += 1
            self.total += 1

    def reset(self) -> None:
        with self._lock:
            self.seen.clear()
            self.total = 0


# Where the CPU of a post goes (--sections): cumulative thread CPU of these functions.
SECTIONS = (
    "app.views.api.push_mention",
    "app.views.api._account_from_token",
    "app.views.api._spend_quota",
    "app.views.api._decode",
    "app.views.api._store_and_triage",
    "app.services.ingest.store_mentions",
    "app.services.ingest_authors.upsert_authors",
    "app.services.triage._place_batch",
    "app.services.content.published_playbook",
    "app.services.grouping.BrandBatch.__init__",
    "app.services.triage_context.gather",
    "app.services.triage._prepare",
    "app.services.grouping.BrandBatch.run",
    "app.services.grouping.BrandBatch._load_open_cases",
    "app.services.triage.decide",
    "app.services.mention_extras.extras_of",
    "app.services.spikes.observe_batch",
    "app.services.clusters.assign",
    "app.services.signatures.signature",
    "app.services.clusters._load_candidates",
    "app.services.signatures.best_of",
    "app.services.clusters._write",
    "app.services.clusters._fold_cases",
    "sqlalchemy.orm.session.Session.commit",
)


class Sections:
    """Cumulative thread CPU spent in each of `SECTIONS` (outermost call of each only)."""

    def __init__(self) -> None:
        import importlib

        self.seconds: Counter[str] = Counter()
        self._depth: Counter[tuple[int, str]] = Counter()
        for name in SECTIONS:
            module, _, attr = name.rpartition(".")
            owner: Any
            try:
                owner = importlib.import_module(module)
            except ModuleNotFoundError:
                parent, _, cls = module.rpartition(".")
                owner = getattr(importlib.import_module(parent), cls)
            setattr(owner, attr, self._timed(name, getattr(owner, attr)))

    def _timed(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        import functools

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            key = (threading.get_ident(), name)
            self._depth[key] += 1
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth[key] -= 1
                if not self._depth[key]:
                    self.seconds[name] += time.thread_time() - started

        return timed

    def report(self, requests: int) -> None:
        for name in SECTIONS:
            print(f"   {1000 * self.seconds[name] / requests:6.2f} ms/request  {name}")
        self.seconds.clear()


def run(url: str, folder: Path, args: argparse.Namespace) -> None:
    from bench_ingest_http import prepare, varied_mentions

    from app import create_app
    from app.config import Settings
    from app.extensions import get_engine
    from app.views import api

    token = prepare(url)
    sections = Sections() if args.sections else None
    storage = REDIS_URL if _redis_answers() else "memory://"
    settings = Settings(
        instance_path=folder,
        database_url=url,
        secret_key="bench",
        encryption_key=os.environ["VIGIE_ENCRYPTION_KEY"],
        ratelimit_storage_url=storage,
    )
    app = create_app({}, settings=settings)
    with app.app_context():
        engine = get_engine()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    total = 1020 + args.singles * (2 + sum(args.clients)) + 100 * args.batches
    items = iter(varied_mentions(total, prefix=uuid.uuid4().hex[:6]))

    def post(client: Any, payload: Any) -> None:
        import json

        answer = client.post("/api/v1/mentions", data=json.dumps(payload), headers=headers)
        assert answer.status_code == 202, (answer.status_code, answer.get_data(as_text=True))

    warm = app.test_client()
    for _ in range(10):
        post(warm, [next(items) for _ in range(100)])
    for _ in range(20):
        post(warm, next(items))
    if sections is not None:
        sections.seconds.clear()
    counted = Counted(engine)
    database_cpu = _database_cpu(url, engine)
    print(f"rate-limit storage {storage}; load average {os.getloadavg()[0]:.1f}")

    def phase(label: str, clients: int, per_client: int, batch: int) -> None:
        payloads = [
            [
                [next(items) for _ in range(batch)] if batch > 1 else next(items)
                for _ in range(per_client)
            ]
            for _ in range(clients)
        ]

        def work(mine: list[Any]) -> None:
            client = app.test_client()
            for payload in mine:
                post(client, payload)

        counted.reset()
        batches = api.SINGLES.batches
        pg, cpu, wall = database_cpu(), time.process_time(), time.perf_counter()
        threads = [threading.Thread(target=work, args=(mine,)) for mine in payloads]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        pg = database_cpu() - pg
        mentions = clients * per_client * batch
        requests = clients * per_client
        formed = api.SINGLES.batches - batches
        print(
            f"[{label}] {mentions} mentions: CPU {1000 * cpu / mentions:.2f} ms/mention in "
            f"process, PostgreSQL {1000 * pg / mentions:.2f} ms/mention, "
            f"{counted.total / requests:.1f} statements/request, "
            + (f"group commit {requests / formed:.2f} posts/batch, " if formed else "")
            + f"wall {1000 * wall / requests:.1f} ms/request"
        )
        if sections is not None:
            sections.report(requests)
        if args.sql:
            for text, count in counted.seen.most_common(args.sql):
                print(f"   x{count / requests:5.2f}  {text}")

    phase("single, 1 client", 1, args.singles, 1)
    for clients in args.clients:
        if clients > 1:
            phase(f"single, {clients} clients", clients, args.singles, 1)
    phase("batches of 100", 1, args.batches, 100)
    if args.profile:
        client = app.test_client()
        payloads = [next(items) for _ in range(args.singles)]
        prof = cProfile.Profile(time.thread_time)  # CPU, not waits on the database
        prof.enable()
        for payload in payloads:
            post(client, payload)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(
            os.environ.get("PROFILE_SORT", "cumulative")
        ).print_stats(os.environ.get("PROFILE_FILTER", ""), args.profile)
        print("\n".join(out.getvalue().splitlines()[: args.profile + 12]))


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


def _database_cpu(url: str, engine: Any) -> Callable[[], float]:
    """CPU seconds used so far by the database's backends (0 on SQLite)."""
    if engine.dialect.name != "postgresql":
        return lambda: 0.0
    return database_cpu_reader(url, engine.url.database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=300, help="single posts per client")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--batches", type=int, default=20, help="batches of 100")
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--sql", type=int, default=0, help="the N most frequent statements")
    parser.add_argument("--sections", action="store_true", help="CPU of the main steps")
    parser.add_argument("--sqlite", action="store_true", help="on a SQLite file instead")
    args = parser.parse_args()
    os.environ.setdefault("VIGIE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    with ScratchDatabases("vigie_profile_ingest") as scratch:
        url = scratch.sqlite() if args.sqlite else scratch.postgres()
        run(url, scratch.folder, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
