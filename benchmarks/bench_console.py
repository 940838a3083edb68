"""Server time of the console pages on a big database (queue, filtered queue, case view).

    python benchmarks/bench_console.py [--mentions 1000000] [--cases 100000] [--db both]
                                       [--quick] [--summary-json FILE]

Bulk-loads brands, people, authors, cases, mentions and triage (COPY on PostgreSQL,
executemany on SQLite — never the ORM), then times the pages through the real Flask app
(in-process test client, so the figure is server time: SQL + rendering) and prints p50/p95
with the query plans of the queue queries. Target: p95 at most 100 ms. The floor beside each
figure is `/healthz` through the same client: a request, a session and one `SELECT 1`.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlmodel import select

from benchmarks.support import PG_ADMIN, ScratchDatabases, copy_rows, timed, write_summary

PG_DB = "vigie_bench_console"
SEVERITIES = ("S0", "S1", "S2", "S3", "S4")
SEVERITY_WEIGHTS = (10, 30, 40, 15, 5)
SCENARIOS = ("retard", "annulation", "remboursement", "insulte", "question", "bagage")
CHANNELS = ("x", "mastodon", "bluesky", "webhook")
WORDS = (
    "train",
    "retard",
    "quai",
    "contrôleur",
    "billet",
    "remboursement",
    "grève",
    "wifi",
    "bagage",
    "correspondance",
    "annulé",
    "nul",
    "merci",
    "horaire",
    "gare",
)
TARGET_MS = 100.0


def _iso(value: datetime, sqlite: bool) -> Any:
    return value.replace(tzinfo=None).isoformat(" ") if sqlite else value


def generate(n_mentions: int, n_cases: int, n_brands: int) -> dict[str, list[tuple]]:
    """Rows for every table, as tuples in the column order of COLUMNS."""
    rng = random.Random(42)
    now = datetime.now(UTC)
    brands = [
        (i, f"bench-{i}", f"Marque {i}", "Europe/Paris", '["fr"]', "{}", "{}", "{}", now)
        for i in range(1, n_brands + 1)
    ]
    accounts = [
        (i, i, "webhook", f"Compte {i}", "", "", "{}", 60, True, "ok", 0, now)
        for i in range(1, n_brands + 1)
    ]
    n_people = max(1, n_cases // 2)
    people, authors = [], []
    for pid in range(1, n_people + 1):
        brand = (pid % n_brands) + 1
        tier = rng.choice((None, None, "platine", "or", "argent", "cuivre", "fer_blanc"))
        people.append((pid, brand, f"Personne {pid}", tier, rng.random() < 0.02, "", now))
        authors.append(
            (
                pid,
                brand,
                pid,
                rng.choice(CHANNELS),
                f"a{pid}",
                f"user{pid}",
                f"user{pid}",
                f"Personne {pid}",
                int(rng.paretovariate(1.2) * 50),
                False,
                now,
                now,
            )
        )
    cases, mentions, triages = [], [], []
    per_case = max(1, n_mentions // n_cases)
    mention_id = 0
    for cid in range(1, n_cases + 1):
        pid = rng.randint(1, n_people)
        brand = (pid % n_brands) + 1
        severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
        scenario = rng.choice(SCENARIOS)
        channel = rng.choice(CHANNELS)
        opened = now - timedelta(minutes=rng.randint(0, 60 * 24 * 3))
        due = opened + timedelta(minutes=rng.choice((15, 60, 240)))
        priority = rng.randint(0, 100)
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        excerpt = f"Cas {cid} : {words}"
        cases.append(
            (
                cid,
                brand,
                pid,
                "open",
                severity,
                scenario,
                "reply",
                None,
                priority,
                due,
                rng.random() < 0.001,
                channel,
                "fr",
                excerpt,
                None,
                per_case,
                opened,
                opened,
                False,
            )
        )
        for k in range(per_case):
            mention_id += 1
            posted = opened + timedelta(minutes=k)
            mentions.append(
                (
                    mention_id,
                    brand,
                    brand,
                    channel,
                    channel,
                    f"m{mention_id}",
                    pid,
                    cid,
                    f"{excerpt} ({k})",
                    "fr",
                    None,
                    None,
                    "{}",
                    "triaged",
                    False,
                    posted,
                    posted,
                )
            )
        triages.append(
            (
                cid,
                brand,
                mention_id,
                "engine",
                severity,
                json.dumps([scenario]),
                "[]",
                "reply",
                priority,
                due,
                "[]",
                "fr",
                json.dumps(
                    [
                        {
                            "rule": f"lex:{scenario}",
                            "kind": "scenario",
                            "explanation": "mot du lexique",
                            "terms": [scenario],
                            "spans": [],
                        }
                    ]
                ),
                now,
            )
        )
    return {
        "brand": brands,
        "connector_account": accounts,
        "person": people,
        "author": authors,
        "cases": cases,
        "mention": mentions,
        "triage": triages,
    }


COLUMNS = {
    "brand": "id, slug, name, timezone, languages, business_hours, sla_minutes, settings, "
    "created_at",
    "connector_account": "id, brand_id, platform, label, handle, credentials_encrypted, options, "
    "interval_seconds, is_active, status, consecutive_failures, created_at",
    "person": "id, brand_id, display_name, tier, vip, notes, created_at",
    "author": "id, brand_id, person_id, platform, external_id, handle, handle_key, name, "
    "followers, verified, created_at, updated_at",
    "cases": "id, brand_id, person_id, status, severity, scenario, action, approver, priority, "
    "due_at, pinned, channel, language, excerpt, thread_id, mention_count, opened_at, "
    "last_activity_at, involved_brand",
    "mention": "id, brand_id, account_id, platform, channel, external_id, author_id, case_id, "
    "text, lang, url, thread_id, raw, state, hidden, posted_at, ingested_at",
    "triage": "id, brand_id, mention_id, source, severity, scenarios, categories, action, "
    "priority, due_at, suggested_replies, language, evidence, created_at",
}


def load_sqlite(path: str, rows: dict[str, list[tuple]]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    for table, data in rows.items():
        data = [tuple(_iso(v, True) if isinstance(v, datetime) else v for v in r) for r in data]
        marks = ", ".join("?" for _ in COLUMNS[table].split(","))
        conn.executemany(f'INSERT INTO "{table}" ({COLUMNS[table]}) VALUES ({marks})', data)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def explain(app: Any, sql_texts: dict[str, str]) -> Iterator[str]:
    from app.extensions import get_engine

    with app.app_context(), get_engine().connect() as conn:
        dialect = conn.dialect.name
        for name, sql in sql_texts.items():
            prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
            lines = [" | ".join(str(c) for c in r) for r in conn.execute(text(prefix + sql))]
            yield f"  [{name}]\n    " + "\n    ".join(lines[:12])


def queue_sql(app: Any, brand_ids: list[int], query: dict[str, str]) -> str:
    from sqlmodel import select

    from app.extensions import get_engine
    from app.models import Case
    from app.services import queue

    filters = queue.QueueFilters.from_args(query)
    base = select(Case).where(Case.brand_id.in_(brand_ids))  # type: ignore[attr-defined]
    stmt = (
        base.where(*queue._filter_conditions(filters, 1, datetime.now(UTC)))
        .order_by(
            Case.pinned.desc(),
            Case.priority.desc(),
            Case.due_at.asc(),
            Case.id.asc(),  # type: ignore[attr-defined]
        )
        .limit(51)
    )
    with app.app_context():
        dialect = get_engine().dialect
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def bench(url: str, label: str, args: argparse.Namespace, instance: Path) -> list[dict[str, Any]]:
    from app import create_app
    from app.config import Settings
    from app.extensions import session_scope
    from app.migrate import upgrade
    from app.models import Brand
    from app.services import users

    print(
        f"\n== {label}: {args.mentions:,} mentions, {args.cases:,} open cases, {args.brands} brands"
    )
    start = time.perf_counter()
    upgrade(url)
    rows = generate(args.mentions, args.cases, args.brands)
    if url.startswith("postgresql"):
        copy_rows(url, rows, COLUMNS)
    else:
        load_sqlite(url.removeprefix("sqlite:///"), rows)
    print(f"  set-up (generate + bulk load + analyze): {time.perf_counter() - start:.1f} s")

    settings = Settings(
        instance_path=instance, database_url=url, secret_key="bench", encryption_key="x" * 43 + "="
    )
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, settings=settings)
    from app.extensions import get_engine

    with app.app_context(), session_scope(get_engine()) as session:
        user = users.create_user(session=session, email="bench@example.test", password="bench-pw")
        for brand in session.exec(select(Brand)).all():
            users.grant(session=session, user=user, brand=brand, role="community_manager")
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.test", "password": "bench-pw"})
    assert response.status_code == 302, response.status_code
    sample = rows["cases"][len(rows["cases"]) // 2]
    filtered = {"severity": "S3", "brand": str(sample[1]), "q": "remboursement"}
    pages = {
        "queue, first page": lambda: client.get("/queue"),
        "queue, filtered (brand+severity+search)": lambda: client.get(
            "/queue", query_string=filtered
        ),
        "queue, htmx poll fragment": lambda: client.get("/queue", headers={"HX-Request": "true"}),
        "case view": lambda: client.get(f"/cases/{sample[0]}"),
    }
    floor_p50, floor_p95 = timed(lambda: client.get("/healthz"), args.runs)
    print(f"  {'floor: /healthz':<42} p50 {floor_p50:7.1f} ms   p95 {floor_p95:7.1f} ms")
    summary = []
    for name, fn in pages.items():
        assert fn().status_code == 200, name
        p50, p95 = timed(fn, args.runs)
        verdict = "ok" if p95 <= TARGET_MS else "OVER TARGET"
        print(f"  {name:<42} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {verdict}")
        summary.append(
            {
                "figure": f"console {label}, {args.mentions:,} mentions: {name} p95",
                "goal": f"≤ {TARGET_MS:.0f} ms",
                "measured": f"{p95:.0f} ms (floor {floor_p95:.0f} ms)",
                "ok": p95 <= TARGET_MS,
            }
        )
    brand_ids = list(range(1, args.brands + 1))
    print("  plans:")
    for line in explain(
        app,
        {
            "queue first page": queue_sql(app, brand_ids, {}),
            "queue filtered": queue_sql(app, brand_ids, filtered),
        },
    ):
        print(line)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--brands", type=int, default=20)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--db", choices=("postgres", "sqlite", "both"), default="both")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN)
    parser.add_argument("--quick", action="store_true", help="100,000 mentions, 10,000 cases")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.cases, args.runs = 100_000, 10_000, 20
    summary = []
    if args.db in ("postgres", "both"):
        with ScratchDatabases(PG_DB, args.pg_admin_url) as scratch:
            summary += bench(scratch.postgres(), "PostgreSQL", args, scratch.folder)
    if args.db in ("sqlite", "both"):
        with ScratchDatabases(PG_DB) as scratch:
            summary += bench(scratch.sqlite(), "SQLite", args, scratch.folder)
    write_summary(args.summary_json, summary)
    return 0 if all(line["ok"] for line in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
