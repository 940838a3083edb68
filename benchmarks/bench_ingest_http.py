"""Ingest over HTTP as production runs it: `vigie run --workers 2` (gunicorn) on PostgreSQL.

Goals (issue 11, section 2): ≥ 1,000 mentions/s accepted end to end (stored, triaged, grouped)
in batches of 100, p95 per batch ≤ 500 ms, from a cold start (fresh database, no statistics) as
well as warm; single-mention posts ≥ 300/s with 8 clients. Floor: 40–80 mentions/s, what one
mention per request gave before batches.

The benchmark creates a uniquely named database, starts the server on a free port, posts
varied mentions (texts, threads, authors differ), checks that every accepted mention is
triaged and in a case, then stops the server and drops only the database it created.

    python benchmarks/bench_ingest_http.py [--mentions 20000] [--clients 4] [--singles 3000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from cryptography.fernet import Fernet
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extensions import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.security.secrets_box import SecretsBox  # noqa: E402
from app.services import content  # noqa: E402
from app.services.accounts import create_account  # noqa: E402
from app.services.brands import create_brand  # noqa: E402
from benchmarks.support import (  # noqa: E402
    PG_ADMIN,
    ScratchDatabases,
    cpu_used,
    free_port,
    server_cpu,
    start_server,
    stop_server,
    write_summary,
)
from connectors.demo import load_stream  # noqa: E402
from playbooks import shipped_playbook_path  # noqa: E402

FLOOR = 80  # mentions/s, one mention per request, before batches


def varied_mentions(count: int, prefix: str) -> list[dict[str, object]]:
    """Demo-stream lines turned into pushed mentions: every text, id and author differs;
    threads of 1 to ~10 mentions so that cases of different sizes form."""
    lines = list(load_stream("demo-rail"))
    start = datetime.now(UTC) - timedelta(hours=6)
    out = []
    for n, line in zip(range(count), itertools.cycle(lines), strict=False):
        author = line["author"]
        person = n % 4_000  # people come back: some authors write several times
        out.append(
            {
                "id": f"{prefix}-{n}",
                "text": f"{line['text']} (réf. {n * 7919 % 100_000:05d})",
                "author": {
                    "id": f"{author['id']}-{person}",
                    "handle": f"{author['handle']}{person}",
                    "name": author.get("name"),
                    "followers": (author.get("followers") or 0) + person,
                },
                "created_at": (start + timedelta(milliseconds=250 * n)).isoformat(),
                "channel": line["channel"],
                "thread_id": f"{prefix}-t{n // (1 + n % 10)}",
                "lang": line.get("lang") or "fr",
            }
        )
    return out


def prepare(
    url: str, slug: str = "bench-http", name: str = "Bench HTTP", reply_url: str | None = None
) -> str:
    """Schema, a brand with the shipped rail playbook, a webhook account; returns its token.
    `reply_url`: the account posts its replies there (signed), so the outbox sends them."""
    upgrade(url)
    engine = make_engine(url)
    options: dict[str, object] = {"rate_per_minute": 100_000}
    if reply_url:
        options["reply_url"] = reply_url
    with Session(engine, expire_on_commit=False) as session:
        brand = create_brand(session=session, slug=slug, name=name)
        source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
        content.save_playbook(session=session, brand=brand, source=source, actor=None, publish=True)
        # A big brand in a storm: its own limit well above what the benchmark pushes.
        _, token = create_account(
            session=session,
            brand=brand,
            platform="webhook",
            # `reply_secret` signs the replies alone: the pushes stay unsigned.
            credentials={"reply_secret": "bench-reply-secret"} if reply_url else {},
            box=SecretsBox(os.environ["VIGIE_ENCRYPTION_KEY"]),
            label="bench",
            options=options,
        )
        session.commit()
    engine.dispose()
    assert token
    return token


def post_all(port: int, token: str, bodies: list[bytes], clients: int) -> dict[str, object]:
    """POST every body from `clients` threads (one keep-alive connection each)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    url = f"http://127.0.0.1:{port}/api/v1/mentions"
    chunks = [bodies[i::clients] for i in range(clients)]

    def run(chunk: list[bytes]) -> tuple[list[float], int, list[str]]:
        latencies, accepted, errors = [], 0, []
        with httpx.Client(timeout=60, headers=headers) as client:
            for body in chunk:
                t0 = time.perf_counter()
                response = client.post(url, content=body)
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 202:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                    continue
                answer = response.json()
                accepted += answer["accepted"] if "results" in answer else not answer["duplicate"]
        return latencies, accepted, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        outcomes = list(pool.map(run, chunks))
    elapsed = time.perf_counter() - started
    latencies = sorted(x for outcome in outcomes for x in outcome[0])
    accepted = sum(outcome[1] for outcome in outcomes)
    errors = [e for outcome in outcomes for e in outcome[2]]
    return {
        "accepted": accepted,
        "seconds": elapsed,
        "per_second": accepted / elapsed,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "median_ms": 1000 * statistics.median(latencies),
        "errors": errors,
    }


def integrity(url: str) -> tuple[int, int, int, int]:
    """(mentions, untriaged, cases, cases without a mention); a mention the playbook
    ignores is triaged without a case."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        mentions, loose = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = 'new') FROM mention"
        ).fetchone()  # type: ignore[misc]
        cases, empty = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS "
            "(SELECT 1 FROM mention m WHERE m.case_id = c.id)) FROM cases c"
        ).fetchone()  # type: ignore[misc]
    return mentions, loose, cases, empty


def committed(admin: str, database: str) -> int:
    """Transactions committed in the database so far (PostgreSQL's statistics, which backends
    report within a second): per request, how many posts a commit carried."""
    time.sleep(1.1)
    with psycopg.connect(admin, autocommit=True) as conn:
        (count,) = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (database,)
        ).fetchone()  # type: ignore[misc]
    return int(count)


SUMMARY: list[dict[str, object]] = []


def row(figure: str, goal: str, measured: str, ok: bool) -> None:
    SUMMARY.append(
        {"figure": f"HTTP ingest: {figure}", "goal": goal, "measured": measured, "ok": ok}
    )
    print(f"{figure:<46} {goal:>14} {measured:>24}  {'OK' if ok else 'NOT MET'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000, help="warm phase, in batches")
    parser.add_argument("--cold", type=int, default=5_000, help="first mentions, fresh database")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--singles", type=int, default=3_000)
    parser.add_argument("--single-clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.cold, args.singles = 3_000, 1_000, 500

    os.environ.setdefault("VIGIE_ENCRYPTION_KEY", Fernet.generate_key().decode())
    scratch = ScratchDatabases("vigie_bench_http", PG_ADMIN)
    name = scratch.create()
    url, admin, instance = scratch.url(name), scratch.admin, str(scratch.folder)
    server = None
    try:
        token = prepare(url)
        port = free_port()
        server = start_server(url, port, instance, args.workers)
        total = args.cold + args.mentions
        mentions = varied_mentions(total + args.singles, prefix=uuid.uuid4().hex[:6])

        def batches(items: list[dict[str, object]]) -> list[bytes]:
            return [
                json.dumps(items[i : i + args.batch]).encode()
                for i in range(0, len(items), args.batch)
            ]

        phases = [
            ("cold", batches(mentions[: args.cold]), args.clients),
            ("warm", batches(mentions[args.cold : total]), args.clients),
            ("single", [json.dumps(m).encode() for m in mentions[total:]], args.single_clients),
        ]
        figures = {}
        for label, bodies, clients in phases:
            before, commits = server_cpu(server.pid, admin, name), committed(admin, name)
            figures[label] = post_all(port, token, bodies, clients)
            used = cpu_used(before, server_cpu(server.pid, admin, name))
            figures[label]["cpu_ms"] = 1000 * used / max(1, figures[label]["accepted"])  # type: ignore[call-overload]
            figures[label]["commits"] = (committed(admin, name) - commits) / len(bodies)
        cold, warm, single = figures["cold"], figures["warm"], figures["single"]
        stored, loose, cases, empty = integrity(url)
    finally:
        stop_server(server)
        scratch.close()

    print(
        f"HTTP ingest, vigie run --workers {args.workers} on PostgreSQL, batches of "
        f"{args.batch} from {args.clients} clients; floor before batches: {FLOOR} mentions/s"
    )
    print(f"{'figure':<46} {'goal':>14} {'measured':>24}  verdict")
    row(
        f"cold start, first {args.cold} (no statistics)",
        "≥ 1000/s",
        f"{cold['per_second']:.0f}/s",
        cold["per_second"] >= 1000,  # type: ignore[operator]
    )
    row("cold start, p95 per batch", "≤ 500 ms", f"{cold['p95_ms']:.0f} ms", cold["p95_ms"] <= 500)  # type: ignore[operator]
    row(
        f"warm, next {args.mentions} mentions",
        "≥ 1000/s",
        f"{warm['per_second']:.0f}/s",
        warm["per_second"] >= 1000,  # type: ignore[operator]
    )
    row("warm, p95 per batch", "≤ 500 ms", f"{warm['p95_ms']:.0f} ms", warm["p95_ms"] <= 500)  # type: ignore[operator]
    row(
        f"single posts, {args.single_clients} clients",
        "≥ 300/s",
        f"{single['per_second']:.0f}/s (p95 {single['p95_ms']:.0f} ms)",
        single["per_second"] >= 300,  # type: ignore[operator]
    )
    errors = [*cold["errors"], *warm["errors"], *single["errors"]]  # type: ignore[misc]
    expected = total + args.singles
    sound = stored == expected and loose == 0 and empty == 0 and not errors
    row(
        "integrity: stored, triaged, in a case",
        f"{expected}",
        f"{stored} ({loose} untriaged, {empty}/{cases} empty cases)",
        sound,
    )
    print(
        "server CPU per mention (gunicorn workers + their PostgreSQL backends): "
        + ", ".join(
            f"{label} {f['cpu_ms']:.2f} ms (≈ {2000 / f['cpu_ms']:.0f}/s on 2 free cores)"  # type: ignore[operator]
            for label, f in (("cold", cold), ("warm", warm), ("single", single))
        )
    )
    print(
        "commits per request (all transactions of the database, the benchmark's few reads "
        "included): " + ", ".join(f"{label} {f['commits']:.2f}" for label, f in figures.items())  # type: ignore[str-format]
    )
    print(
        f"machine load average while measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for error in errors[:5]:
        print("  error:", error)
    write_summary(args.summary_json, SUMMARY)
    return 0 if sound else 1


if __name__ == "__main__":
    sys.exit(main())
