"""Reading where the served requests' time went (bench_load.py --timing FOLDER).

The server writes per-process files when VIGIE_REQUEST_TIMING is set (app/request_timing.py);
this sums them per route: wall, thread CPU, SQL time and count, pool wait, and the rest (waiting
for the GIL, a lock or the network), then the commonest places the request threads stood. A
`WaitEvents` thread samples pg_stat_activity of the database meanwhile.

    python benchmarks/load_timing.py FOLDER [--stacks N]
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import psycopg


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else 0.0


def report(folder: Path, stacks: int = 4) -> None:
    rows: dict[str, list[list[float]]] = defaultdict(list)
    samples: dict[str, Counter[str]] = defaultdict(Counter)
    for path in sorted(folder.glob("timing-*.json")):
        data = json.loads(path.read_text())
        for generation, pauses in sorted(data.get("gc_pauses", {}).items()):
            walls, cpus = [p[0] for p in pauses], [p[1] for p in pauses]
            print(
                f"{path.name}: gc generation {generation}: {len(pauses)} collections, "
                f"{1000 * sum(walls):.0f} ms in all (CPU {1000 * sum(cpus):.0f}), longest "
                f"{1000 * max(walls):.0f} ms (CPU {1000 * max(cpus):.0f}); "
                f"{data.get('gc_frozen', 0)} objects frozen, young counts {data.get('gc_counts')}"
            )
        for route, values in data["rows"].items():
            rows[route].extend(values)
        for route, counts in data["samples"].items():
            samples[route].update(counts)
    print(
        f"{'route (server side)':<42} {'n':>5} {'wall p50':>8} {'p95':>6} {'CPU':>6} "
        f"{'SQL ms':>6} {'stmts':>5} {'pool':>5} {'rest':>6}  (ms, means unless p50/p95)"
    )
    for route, values in sorted(rows.items(), key=lambda kv: -len(kv[1])):
        if len(values) < 5:
            continue
        n = len(values)
        wall = [v[0] for v in values]
        cpu, sql, count, pool = (sum(v[i] for v in values) / n for i in (1, 2, 3, 4))
        rest = sum(wall) / n - cpu - sql - pool
        p50, p95 = 1000 * _pct(wall, 0.5), 1000 * _pct(wall, 0.95)
        print(
            f"{route[:42]:<42} {n:>5} {p50:>8.0f} {p95:>6.0f}"
            f" {1000 * cpu:>6.1f} {1000 * sql:>6.1f} {count:>5.1f} {1000 * pool:>5.1f}"
            f" {1000 * rest:>6.1f}"
        )
    if not stacks:
        return
    for route, counts in sorted(samples.items(), key=lambda kv: -sum(kv[1].values())):
        total = sum(counts.values())
        if total < 20:
            continue
        print(f"\n[{route}] {total} samples (5 ms)")
        for stack, k in counts.most_common(stacks):
            print(f"  {100 * k / total:4.0f}%  {stack[:300]}")


class WaitEvents:
    """pg_stat_activity of one database, sampled every 50 ms while the load runs."""

    def __init__(self, admin_url: str, database: str) -> None:
        self.admin_url, self.database = admin_url, database
        self.counts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()  # by state and wait event only
        self.ticks = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            while not self.stop.is_set():
                self.ticks += 1
                for state, kind, wait, query in conn.execute(
                    "SELECT state, wait_event_type, wait_event, left(query, 60) "
                    "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                    "AND state <> 'idle'",
                    (self.database,),
                ):
                    self.counts[f"{state} | {kind}:{wait} | {' '.join(query.split())}"] += 1
                    self.kinds[f"{state} | {kind}:{wait}"] += 1
                time.sleep(0.05)

    def report(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        print(f"\npg_stat_activity, non-idle backends, {self.ticks} samples of 50 ms:")
        for key, k in self.kinds.most_common(8):
            print(f"  {k / max(1, self.ticks):6.3f} backends on average  {key}")
        print("  by statement:")
        for key, k in self.counts.most_common(8):
            print(f"  {k / max(1, self.ticks):6.3f} backends on average  {key}")
        locks = [(key, k) for key, k in self.counts.items() if "| Lock:" in key]
        for key, k in sorted(locks, key=lambda kv: -kv[1])[:5]:
            print(f"  {k / max(1, self.ticks):6.3f} backends waiting on a lock  {key}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--stacks", type=int, default=4)
    args = parser.parse_args()
    report(Path(args.folder), args.stacks)
