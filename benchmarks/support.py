"""What the benchmarks share: databases of their own, timing, the summary file, and the server.

- `ScratchDatabases`: PostgreSQL databases (and SQLite files) made for one run, each under a
  unique name and all dropped at the end: a benchmark never touches someone else's database
  (issue 11, §6), and two runs at once never collide.
- `copy_rows`: bulk-load rows with COPY (never the ORM), then fix the id sequences.
- `timed`: p50 and p95 of a function, in milliseconds.
- `write_summary`: the summary lines `run_all.py` collects (`--summary-json`).
- `start_server` / `stop_server` / `server_cpu`: `vigie run` (gunicorn) on a free loopback
  port, and the CPU its workers and their PostgreSQL backends used.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("VIGIE_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_SECONDS = 180


class ScratchDatabases:
    """Databases made for one benchmark run, dropped when the `with` block ends."""

    def __init__(self, prefix: str, admin_url: str = PG_ADMIN, keep: bool = False) -> None:
        self.prefix = prefix  # e.g. "vigie_bench_spikes": the name says whose database it is
        self.admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
        self.keep = keep  # leave the PostgreSQL databases there (to look at them)
        self.created: list[str] = []
        self._folder: Path | None = None

    @property
    def folder(self) -> Path:
        """A temporary folder of this run (SQLite files, an instance folder), removed at the end."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix=self.prefix.replace("_", "-") + "-"))
        return self._folder

    def url(self, name: str) -> str:
        """The SQLAlchemy URL of database `name` on the admin URL's server."""
        return (
            "postgresql+psycopg://" + self.admin.split("://", 1)[1].rpartition("/")[0] + "/" + name
        )

    def new_name(self) -> str:
        """A name no other run uses: the prefix, this process and a random part."""
        return f"{self.prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    def create(self) -> str:
        """A new, empty PostgreSQL database under a unique name; returns the name."""
        import psycopg
        from psycopg import sql

        name = self.new_name()
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.created.append(name)
        return name

    def postgres(self) -> str:
        """The SQLAlchemy URL of a new, empty PostgreSQL database."""
        return self.url(self.create())

    def adopt(self, name: str) -> str:
        """The URL of a database an earlier run kept (`--keep`), dropped at the end like ours."""
        self.created.append(name)
        return self.url(name)

    def sqlite(self) -> str:
        """The SQLAlchemy URL of a new SQLite file in this run's folder."""
        return f"sqlite:///{self.folder}/bench-{uuid.uuid4().hex[:6]}.db"

    def close(self) -> None:
        """Drop the databases this run made (unless kept) and remove its folder."""
        if self.keep:
            for name in self.created:
                print(f"  kept database {name} (drop it yourself)")
        elif self.created:  # SQLite only: no server to ask
            import psycopg
            from psycopg import sql

            with psycopg.connect(self.admin, autocommit=True) as conn:
                for name in self.created:
                    conn.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> ScratchDatabases:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def copy_rows(url: str, rows: dict[str, list[tuple]], columns: dict[str, str]) -> None:
    """COPY each table's rows (tuples in the order of `columns[table]`), set the id sequences
    past them, then VACUUM ANALYZE so the planner sees a database as it would be in use."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        for table, data in rows.items():
            with cur.copy(f'COPY "{table}" ({columns[table]}) FROM STDIN') as copy:
                for row in data:
                    copy.write_row(row)
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds over `runs` calls, after one call that warms the caches."""
    fn()  # warm caches (templates, plans)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95


def write_summary(path: str | None, summary: list[dict[str, Any]]) -> None:
    """Write the summary lines for `run_all.py` when it asked for them (`--summary-json`)."""
    if path:
        Path(path).write_text(json.dumps(summary, ensure_ascii=False))


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(url: str, instance: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "VIGIE_DATABASE_URL": url,
        "VIGIE_INSTANCE_PATH": instance,
        "VIGIE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "VIGIE_RATELIMIT_STORAGE_URL": REDIS_URL,
    }


def start_worker(url: str, instance: str) -> subprocess.Popen[bytes]:
    """`vigie worker` on database `url` (polling, outbox, clocks…), once its jobs are scheduled
    (its warm-up takes from 10 s to a minute on a busy machine); stop it with stop_server."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "worker"],
        cwd=ROOT,
        env=_env(url, instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert worker.stderr is not None
    for line in worker.stderr:  # its log: "vigie.worker worker … started" once scheduling
        if b" started" in line:
            break
    else:
        raise SystemExit("vigie worker exited before it started")
    # Its log read (and dropped) from now on: a full pipe would stop the worker.
    threading.Thread(target=lambda: worker.stderr.read(), daemon=True).start()  # type: ignore[union-attr]
    return worker


def start_server(url: str, port: int, instance: str, workers: int) -> subprocess.Popen[bytes]:
    """`vigie run --workers N` on database `url` and a loopback port, once it answers."""
    import httpx

    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "run", "--workers", str(workers), "--port", str(port)],
        cwd=ROOT,
        env=_env(url, instance),
        stdout=subprocess.DEVNULL,  # the access log: one line a request
        stderr=subprocess.PIPE,
    )
    # Starting takes ~10 s on a free machine, near a minute on a shared one that is busy.
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"server did not start within {START_SECONDS} s")


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    """Stop the server (and its workers) started by `start_server`, if it was."""
    if server is None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def database_cpu_reader(url: str, database: str | None) -> Callable[[], float]:
    """CPU seconds used so far by a PostgreSQL database's backends (the app's pooled ones, few
    and long-lived: /proc says what each has used), for profiles run in process."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")

    def used() -> float:
        with psycopg.connect(plain, autocommit=True) as conn:
            pids = [
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                    " AND pid <> pg_backend_pid()",
                    (database,),
                )
            ]
        return sum(_cpu_seconds(pid) for pid in pids)

    return used


def server_cpu(server_pid: int, admin: str, database: str) -> dict[int, float]:
    """CPU seconds used so far by the gunicorn workers and this database's PostgreSQL
    backends: the machine is shared, so the CPU a request costs says what 2 free cores give."""
    import psycopg

    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    plain = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        pids += [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
            )
        ]
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two `server_cpu` readings."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
