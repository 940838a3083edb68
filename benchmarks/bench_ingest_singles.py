"""Single-mention posts over HTTP as production runs them, and the batches the group commit forms.

    python benchmarks/bench_ingest_singles.py [--singles 1000] [--clients 8] [--rounds 2]

`vigie run --workers 2` (gunicorn) on a uniquely named PostgreSQL database (dropped at the end),
warmed with 2,000 mentions in batches and 200 single posts; then each round posts `--singles`
single mentions from `--clients` keep-alive clients and prints: accepted/s, p95 and median
latency, the server's CPU per post (gunicorn workers and their PostgreSQL backends: the machine
is shared, so CPU says what 2 free cores give, wall clock does not), and the sizes of the batches
the group commit formed — read from the database, not inferred from commit counts (autovacuum
commits too): mentions stored by one transaction share its `xmin`.

Goal (issue 11, §2): ≥ 300 single posts/s with 8 clients, i.e. about ≤ 5 ms of server CPU per
post since the clients share the 2 cores. Each post's CPU is roughly the request's own (HTTP,
token, rate limit, parsing, answer) + the batch's fixed cost / batch size + the mention's own
share; batches are at most the clients a process holds (4 on average with 8 over 2).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest_http import post_all, prepare, varied_mentions  # noqa: E402

from benchmarks.support import (  # noqa: E402
    PG_ADMIN,
    ScratchDatabases,
    cpu_used,
    free_port,
    server_cpu,
    start_server,
    stop_server,
)


def batch_sizes(url: str, external_ids: list[str]) -> dict[int, int]:
    """Batch size → how many batches stored these mentions (one transaction, one xmin)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT n, count(*) FROM (SELECT count(*) AS n FROM mention"
            " WHERE external_id = ANY(%s) GROUP BY xmin::text) AS b GROUP BY n ORDER BY n",
            (external_ids,),
        ).fetchall()
    return {int(size): int(count) for size, count in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=1000, help="single posts per round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("VIGIE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    scratch = ScratchDatabases("vigie_bench_singles", PG_ADMIN)
    name = scratch.create()
    url = scratch.url(name)
    server = None
    try:
        token = prepare(url)
        port = free_port()
        server = start_server(url, port, str(scratch.folder), args.workers)
        warm = 2_000
        mentions = varied_mentions(warm + 200 + args.rounds * args.singles, uuid.uuid4().hex[:6])
        post_all(
            port,
            token,
            [json.dumps(mentions[i : i + 100]).encode() for i in range(0, warm, 100)],
            2,
        )
        post_all(port, token, [json.dumps(m).encode() for m in mentions[warm : warm + 200]], 8)
        print(
            f"single posts, vigie run --workers {args.workers} on PostgreSQL, "
            f"{args.clients} keep-alive clients"
        )
        at = warm + 200
        for round_ in range(args.rounds):
            chosen = mentions[at : at + args.singles]
            at += args.singles
            load = os.getloadavg()[0]
            before = server_cpu(server.pid, scratch.admin, name)
            figures = post_all(port, token, [json.dumps(m).encode() for m in chosen], args.clients)
            used = cpu_used(before, server_cpu(server.pid, scratch.admin, name))
            accepted = int(figures["accepted"])  # type: ignore[call-overload]
            sizes = batch_sizes(url, [str(m["id"]) for m in chosen])
            print(
                f"round {round_}: {accepted} accepted, {figures['per_second']:.0f}/s, "
                f"p95 {figures['p95_ms']:.0f} ms, median {figures['median_ms']:.0f} ms, "
                f"server CPU {1000 * used / max(1, accepted):.2f} ms/post; "
                f"mean batch {accepted / max(1, sum(sizes.values())):.2f} "
                f"(size: batches {sizes}); "
                f"load average {load:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            for error in figures["errors"][:3]:  # type: ignore[index]
                print("  error:", error)
    finally:
        stop_server(server)
        scratch.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
