"""Where a served request's time goes, for load tests: opt-in with VIGIE_REQUEST_TIMING=<folder>.

Each worker process writes `<folder>/timing-<pid>.json` every few seconds: per route (method and
URL rule) the requests' wall time, their thread's CPU time, the time and count of their SQL
statements and the wait for a pooled connection; and, from a sampler reading
`sys._current_frames()` every 5 ms (with VIGIE_REQUEST_SAMPLES=1 too), where the request threads
stood (the innermost frames), which shows a lock, a pool or the GIL being waited on; and the
garbage collector's pauses. Off (and free) unless the variable is set.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from flask import Flask, request
from sqlalchemy import event

SAMPLE_SECONDS = 0.005
DUMP_SECONDS = 5.0
STACK_DEPTH = 6  # innermost frames kept per sample


class _Request:
    __slots__ = ("at", "cpu", "pool", "route", "sql", "sql_count", "started", "wall")

    def __init__(self) -> None:
        self.route = "?"
        self.at = time.time()
        self.started = time.perf_counter()
        self.cpu = time.thread_time()
        self.sql = 0.0
        self.sql_count = 0
        self.pool = 0.0
        self.wall = 0.0


class RequestTiming:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.Lock()
        self.active: dict[int, _Request] = {}  # thread id → its request
        # Per route: wall, CPU, SQL time, SQL count, pool wait, then when it started (epoch),
        # its path and the client's port (one keep-alive connection per CM in bench_load.py).
        self.rows: dict[str, list[tuple[float, float, float, int, float, float, str, str]]] = (
            defaultdict(list)
        )
        self.samples: dict[str, Counter[str]] = defaultdict(Counter)
        self.local = threading.local()
        self.started = False
        # wall, CPU, when it started (epoch)
        self.gc_pauses: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
        self._gc_started = (0.0, 0.0, 0.0)
        self.pid = os.getpid()
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        # Collections stop every thread of the process (they hold the GIL throughout).
        if self.pid != os.getpid():  # a forked worker: the master's start-up is not its own
            self.pid = os.getpid()
            self.gc_pauses.clear()
        if phase == "start":
            self._gc_started = (time.perf_counter(), time.thread_time(), time.time())
        else:
            wall, cpu, at = self._gc_started
            self.gc_pauses[info["generation"]].append(
                (time.perf_counter() - wall, time.thread_time() - cpu, at)
            )

    # -- WSGI and SQLAlchemy hooks -----------------------------------------------------------
    def wrap(self, wsgi_app: Any) -> Any:
        def timed(environ: dict[str, Any], start_response: Any) -> Any:
            self._start_threads()
            current = _Request()
            path = str(environ.get("PATH_INFO"))
            current.route = f"{environ.get('REQUEST_METHOD')} {path}"
            client = str(environ.get("REMOTE_PORT", ""))
            ident = threading.get_ident()
            self.active[ident] = current
            try:
                return list(wsgi_app(environ, start_response))  # the body is built here
            finally:
                self.active.pop(ident, None)
                wall = time.perf_counter() - current.started
                cpu = time.thread_time() - current.cpu
                with self.lock:
                    row = (wall, cpu, current.sql, current.sql_count, current.pool)
                    self.rows[current.route].append((*row, current.at, path, client))

        return timed

    def name_route(self) -> None:
        current = self.active.get(threading.get_ident())
        if current is not None and request.url_rule is not None:
            current.route = f"{request.method} {request.url_rule.rule}"

    def listen(self, engine: Any) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        pool = engine.pool
        original = pool._do_get

        def timed_get() -> Any:
            started = time.perf_counter()
            try:
                return original()
            finally:
                current = self.active.get(threading.get_ident())
                if current is not None:
                    current.pool += time.perf_counter() - started

        pool._do_get = timed_get

    def _before(self, *_args: Any) -> None:
        self.local.started = time.perf_counter()

    def _after(self, *_args: Any) -> None:
        current = self.active.get(threading.get_ident())
        if current is not None:
            current.sql += time.perf_counter() - self.local.started
            current.sql_count += 1

    # -- sampler and dump --------------------------------------------------------------------
    def _start_threads(self) -> None:
        if self.started:
            return
        with self.lock:
            if self.started:
                return
            self.started = True
        if os.environ.get("VIGIE_REQUEST_SAMPLES", "") == "1":
            # Off by default: one run of five had a worker segfault while it sampled (3.11).
            threading.Thread(target=self._sample, daemon=True, name="timing-sampler").start()
        threading.Thread(target=self._dump_loop, daemon=True, name="timing-dump").start()

    def _sample(self) -> None:
        while True:
            time.sleep(SAMPLE_SECONDS)
            frames = sys._current_frames()
            for ident, current in list(self.active.items()):
                frame = frames.get(ident)
                if frame is None:
                    continue
                stack = traceback.extract_stack(frame)[-STACK_DEPTH:]
                key = " < ".join(
                    f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(stack)
                )
                self.samples[current.route][key] += 1

    def _dump_loop(self) -> None:
        while True:
            time.sleep(DUMP_SECONDS)
            self.dump()

    def dump(self) -> None:
        with self.lock:
            data = {
                "switch_interval": sys.getswitchinterval(),
                "gc_pauses": {k: list(v) for k, v in self.gc_pauses.items()},
                # Not gc.get_objects(): from this thread it would hold a reference to objects
                # other threads are still building (a tuple being filled then fails to resize,
                # SystemError in `tuple(generator)`). The frozen heap and the young counts.
                "gc_frozen": gc.get_freeze_count(),
                "gc_counts": list(gc.get_count()),
                "rows": {k: list(v) for k, v in self.rows.items()},
                "samples": {k: dict(v.most_common(40)) for k, v in self.samples.items()},
            }
        path = self.folder / f"timing-{os.getpid()}.json"
        path.write_text(json.dumps(data))


def init_request_timing(app: Flask) -> None:
    folder = os.environ.get("VIGIE_REQUEST_TIMING")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    timing = RequestTiming(Path(folder))
    timing.listen(app.extensions["vigie_engine"])
    app.before_request(timing.name_route)
    app.wsgi_app = timing.wrap(app.wsgi_app)  # type: ignore[method-assign]
