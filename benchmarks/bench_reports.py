"""Server time of the reports and the lead dashboard on 90 days of history (issue 17, part 2).

    python benchmarks/bench_reports.py [--mentions 1000000] [--cases 100000] [--brands 2]
                                       [--quick] [--summary-json FILE] [--pg-admin-url URL]

Bulk-loads (COPY, never the ORM) brands, people, authors, 90 days of cases (most answered
and closed, some escalated, a few open), their mentions and the CMs' replies into a fresh
PostgreSQL database with a unique name (dropped at the end), builds the daily rollups once
(what the worker does after an upgrade), times one incremental rollup pass (what the worker
does every minute), then times the pages through the real Flask app (in-process client:
server time, SQL + rendering). Target: p95 at most 300 ms for every page.

The reports read the daily rollup table `report_day` (a few thousand rows for 90 days), not
the 100,000 cases; the dashboard runs indexed aggregates over live cases.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import PG_ADMIN, ScratchDatabases, copy_rows, timed, write_summary

PG_DB = "vigie_bench_reports"
TARGET_MS = 300.0
SEVERITIES = ("S0", "S1", "S2", "S3", "S4")
SEVERITY_WEIGHTS = (10, 30, 40, 15, 5)
SCENARIOS = ("retard", "annulation", "remboursement", "insulte", "question", "bagage", "wifi")
CHANNELS = ("x", "mastodon", "bluesky", "webhook", "facebook")
CMS_PER_BRAND = 6

COLUMNS = {
    "brand": "id, slug, name, timezone, languages, business_hours, sla_minutes, settings, "
    "created_at",
    "connector_account": "id, brand_id, platform, label, handle, credentials_encrypted, options, "
    "interval_seconds, is_active, status, consecutive_failures, created_at",
    "person": "id, brand_id, display_name, tier, vip, notes, created_at",
    "author": "id, brand_id, person_id, platform, external_id, handle, handle_key, name, "
    "followers, verified, created_at, updated_at",
    "cases": "id, brand_id, person_id, status, severity, scenario, action, priority, due_at, "
    "pinned, channel, language, excerpt, mention_count, opened_at, first_response_at, "
    "resolved_at, last_activity_at, involved_brand, assignee_id, claimed_at, claim_expires_at",
    "mention": "id, brand_id, account_id, platform, channel, external_id, author_id, case_id, "
    "text, lang, raw, state, hidden, posted_at, ingested_at",
    "reply": "id, brand_id, case_id, author_user_id, text, proofreading, approval_state, "
    "approver_role, approved_at, outbox_state, attempts, checks, idempotency_key, sent_at, "
    "created_at",
}


def generate(n_mentions: int, n_cases: int, n_brands: int, cm_ids: dict[int, list[int]]) -> dict:
    """Rows per table (tuples in COLUMNS order): 90 days of history up to now."""
    rng = random.Random(17)
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
        people.append((pid, brand, f"Personne {pid}", None, False, "", now))
        authors.append(
            (pid, brand, pid, "webhook", f"a{pid}", f"u{pid}", f"u{pid}", f"P {pid}", 10, False,
             now, now)
        )  # fmt: skip
    cases, mentions, replies = [], [], []
    per_case = max(1, n_mentions // n_cases)
    mention_id = reply_id = 0
    for cid in range(1, n_cases + 1):
        pid = rng.randint(1, n_people)
        brand = (pid % n_brands) + 1
        severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
        opened = now - timedelta(minutes=rng.randint(0, 60 * 24 * 90))
        due = opened + timedelta(minutes=rng.choice((15, 60, 240)))
        age = now - opened
        answered = closed = None
        status = "open"
        if age > timedelta(hours=2) or rng.random() < 0.5:
            answered = opened + timedelta(minutes=int(rng.lognormvariate(3.6, 0.9)))
            answered = min(answered, now)
            status = "waiting"
            if age > timedelta(hours=8) and rng.random() < 0.9:
                closed = answered + timedelta(minutes=int(rng.lognormvariate(4.5, 1.0)))
                closed, status = min(closed, now), "closed"
        cm = rng.choice(cm_ids[brand])
        claimed = status != "closed" and rng.random() < 0.3
        cases.append(
            (
                cid, brand, pid, status, severity, rng.choice(SCENARIOS), "reply",
                rng.randint(0, 100), due, False, rng.choice(CHANNELS), "fr", f"Cas {cid}",
                per_case, opened, answered, closed, closed or answered or opened,
                severity in ("S3", "S4") or rng.random() < 0.1,
                cm if (answered or claimed) else None,
                now if claimed else None, now + timedelta(minutes=30) if claimed else None,
            )
        )  # fmt: skip
        for k in range(per_case):
            mention_id += 1
            posted = opened + timedelta(minutes=k * 3)
            mentions.append(
                (mention_id, brand, brand, "webhook", "webhook", f"m{mention_id}", pid, cid,
                 f"Message {k}", "fr", "{}", "triaged", False, posted, posted)
            )  # fmt: skip
        if answered:
            reply_id += 1
            replies.append(
                (reply_id, brand, cid, cm, "Bonjour", "[]", "not_required", None, None, "sent",
                 1, 0, f"r{reply_id}", answered, answered - timedelta(minutes=2))
            )  # fmt: skip
    return {
        "brand": brands,
        "connector_account": accounts,
        "person": people,
        "author": authors,
        "cases": cases,
        "mention": mentions,
        "reply": replies,
    }


def bench(url: str, args: argparse.Namespace, instance: Path) -> list[dict[str, Any]]:
    """Load the history, build the rollups, then time the pages."""
    print(f"  load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    from sqlmodel import Session, col, select

    from app import create_app
    from app.config import Settings
    from app.extensions import get_engine, session_scope
    from app.migrate import upgrade
    from app.models import Brand
    from app.services import report_rollups, users

    print(f"\n== PostgreSQL: {args.mentions:,} mentions, {args.cases:,} cases over 90 days, "
          f"{args.brands} brands")  # fmt: skip
    if not args.reuse:
        upgrade(url)
    settings = Settings(
        instance_path=instance,
        database_url=url,
        secret_key="bench",
        encryption_key="x" * 43 + "=",
        two_factor_roles=(),  # the bench lead signs in with a password only
    )
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, settings=settings)
    start = time.perf_counter()
    rows = None
    with app.app_context():
        engine = get_engine()
    with app.app_context():
        if args.reuse:
            return _pages(app, args, 0.0)
        # Brands and users first (through the services), then the bulk history.
        brand_rows = [(i, f"bench-{i}", f"Marque {i}") for i in range(1, args.brands + 1)]
        with session_scope(engine) as session:
            for _i, slug, name in brand_rows:
                session.add(Brand(slug=slug, name=name))
            session.flush()
            brands = session.exec(select(Brand).order_by(col(Brand.id))).all()
            lead = users.create_user(session=session, email="lead@bench.test", password="bench-pw")
            cm_ids: dict[int, list[int]] = {}
            for brand in brands:
                users.grant(session=session, user=lead, brand=brand, role="lead")
                cm_ids[brand.id] = []
                for n in range(CMS_PER_BRAND):
                    cm = users.create_user(
                        session=session, email=f"cm{brand.id}-{n}@bench.test", password="bench-pw"
                    )
                    cm.name = f"CM {brand.id}-{n}"
                    users.grant(session=session, user=cm, brand=brand, role="community_manager")
                    cm_ids[brand.id].append(cm.id)
        rows = generate(args.mentions, args.cases, args.brands, cm_ids)
        rows.pop("brand")
        copy_rows(url, rows, COLUMNS)
        print(f"  set-up (generate + bulk load + analyze): {time.perf_counter() - start:.1f} s")
        with Session(engine) as session:
            started = time.perf_counter()
            days = report_rollups.refresh(session)
            build_s = time.perf_counter() - started
            started = time.perf_counter()
            again = report_rollups.refresh(session)
            pass_s = time.perf_counter() - started
        with engine.connect() as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE report_day"))
            rollup_rows = conn.execute(text("SELECT count(*) FROM report_day")).scalar_one()
    print(
        f"  rollups: first build {days} brand-days in {build_s:.1f} s ({rollup_rows:,} rows); "
        f"a worker pass ({again} recent days) {pass_s * 1000:.0f} ms"
    )
    return _pages(app, args, pass_s)


def _pages(app: Any, args: argparse.Namespace, pass_s: float) -> list[dict[str, Any]]:
    """Time every page (and profile two when asked)."""
    client = app.test_client()
    response = client.post("/login", data={"email": "lead@bench.test", "password": "bench-pw"})
    assert response.status_code == 302, response.status_code
    pages = {
        "reports, 90 days, all brands": "/reports?days=90",
        "reports, 90 days, one brand": "/reports?days=90&brand=1",
        "reports, 30 days, all brands": "/reports?days=30",
        "reports, custom range": "/reports?from={a}&to={b}",
        "reports CSV (daily, 90 days)": "/reports?days=90&format=csv&table=daily",
        "lead dashboard (page)": "/",
        "lead dashboard (htmx poll)": "/#poll",
    }
    today = datetime.now(UTC).date()
    if args.profile:
        import cProfile
        import pstats

        for path in ("/reports?days=90", "/"):
            profiler = cProfile.Profile()
            profiler.runcall(client.get, path)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    # The floor: a request, a session and one `SELECT 1` through the same client.
    _, floor_p95 = timed(lambda: client.get("/healthz"), args.runs)
    print(f"  {'floor: /healthz':<36} p95 {floor_p95:7.1f} ms")
    summary = []
    for name, path in pages.items():
        path = path.format(a=(today - timedelta(days=45)).isoformat(), b=today.isoformat())
        headers = {"HX-Request": "true"} if path.endswith("#poll") else {}
        path = path.removesuffix("#poll")

        cpu: list[float] = []

        def fetch(path: str = path, headers: dict = headers, cpu: list[float] = cpu) -> None:
            started = time.process_time()
            response = client.get(path, headers=headers)
            cpu.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)

        p50, p95 = timed(fetch, args.runs)
        ok = p95 <= TARGET_MS
        # The web process's own CPU (PostgreSQL's is not in it): wall time on a machine shared
        # with other work also counts the time spent waiting for a core.
        cpu_p50 = sorted(cpu)[len(cpu) // 2]
        print(
            f"  {name:<36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
            f"(app CPU p50 {cpu_p50:5.1f} ms)   {'ok' if ok else 'OVER'}"
        )
        summary.append(
            {"figure": f"{name} p95", "goal": f"≤ {TARGET_MS:.0f} ms",
             "measured": f"{p95:.0f} ms (floor {floor_p95:.0f} ms)", "ok": ok}
        )  # fmt: skip
    summary.append(_monthly_pdf(app, args))
    summary.append(
        {"figure": "rollup worker pass", "goal": "(information)",
         "measured": f"{pass_s * 1000:.0f} ms", "ok": "info"}
    )  # fmt: skip
    return summary


def _monthly_pdf(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The worker's monthly client report for brand 1 over last month: figures + PDF (issue 17,
    part 4; goal ≤ 10 s for a brand with 100,000 cases: run with --brands 1)."""
    from sqlmodel import Session

    from app.extensions import get_engine
    from app.models import Brand, utcnow
    from app.services import monthly_reports
    from app.ui import monthly_report

    today = utcnow().date()
    month = monthly_reports.month_of(today).previous()
    times = []
    with app.app_context(), app.test_request_context(), Session(get_engine()) as session:
        brand = session.get(Brand, 1)
        for _ in range(3):
            started = time.perf_counter()
            figures = monthly_reports.monthly_figures(session, brand, month, today)
            pdf = monthly_report.render_pdf(app, monthly_report.render_html(figures, for_pdf=True))
            times.append(time.perf_counter() - started)
    best = min(times)
    print(f"  monthly PDF, brand 1, {month.key}: best {best:.2f} s of 3 ({len(pdf):,} bytes)")
    return {"figure": "monthly client report PDF", "goal": "≤ 10 s", "measured": f"{best:.1f} s",
            "ok": best <= 10}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--brands", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="100,000 mentions, 10,000 cases")
    parser.add_argument("--summary-json")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument("--keep", action="store_true", help="keep the database (to look at it)")
    parser.add_argument("--reuse", help="a database --keep left: skip the loading")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN)
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.cases, args.runs = 100_000, 10_000, 15
    with ScratchDatabases(PG_DB, args.pg_admin_url, keep=args.keep) as scratch:
        url = scratch.adopt(args.reuse) if args.reuse else scratch.postgres()
        summary = bench(url, args, scratch.folder)
    write_summary(args.summary_json, summary)
    return 0 if all(line["ok"] for line in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
