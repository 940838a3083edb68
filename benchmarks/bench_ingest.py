"""Ingest + triage + case grouping throughput into SQLite and PostgreSQL.

Target (issue 4): at least 1,000 mentions/s on each. Mentions come from the bundled demo
stream (texts, authors, threads) with fresh ids, ingested in batches as a poll would.

    python benchmarks/bench_ingest.py [--mentions 20000] [--batch 200] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import Session, func, select

from app.extensions import make_engine
from app.migrate import upgrade
from app.models import Case, Mention
from app.security.secrets_box import SecretsBox
from app.services import content, ingest, triage
from app.services.accounts import create_account
from app.services.brands import create_brand
from benchmarks.support import PG_ADMIN, ScratchDatabases
from connectors import AuthorInfo, FetchedMention
from connectors.demo import load_stream
from playbooks import shipped_playbook_path


def synthetic_mentions(count: int) -> list[FetchedMention]:
    """Demo-stream lines with unique ids and texts (a reference number appended: the same 300
    texts over and over would flatter every cache and cluster); authors spread so cases group
    realistically, threads of the stream's own sizes."""
    lines = list(load_stream("demo-rail"))
    start = datetime.now(UTC) - timedelta(days=1)
    out = []
    for n, line in zip(range(count), itertools.cycle(lines), strict=False):
        cycle = n // len(lines)
        author = line["author"]
        out.append(
            FetchedMention(
                external_id=f"bench-{n}",
                text=f"{line['text']} (réf. {n * 7919 % 100_000:05d})",
                author=AuthorInfo(
                    external_id=f"{author['id']}-{cycle % 50}",
                    handle=f"{author['handle']}{cycle % 50}",
                    name=author.get("name"),
                    followers=author.get("followers"),
                ),
                posted_at=start + timedelta(seconds=n),
                url=None,
                lang=line.get("lang"),
                channel=line["channel"],
                thread_id=f"t-{cycle}-{line.get('thread')}",
                raw={"author": author},
            )
        )
    return out


def prepare(url: str) -> tuple[object, int]:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        brand = create_brand(session=session, slug="bench-rail", name="Bench Rail")
        source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
        content.save_playbook(session=session, brand=brand, source=source, actor=None, publish=True)
        account, _ = create_account(
            session=session,
            brand=brand,
            platform="demo",
            credentials={},
            box=SecretsBox(Fernet.generate_key().decode()),
            options={"brand": "demo-rail"},
        )
        session.commit()
        return engine, account.id  # type: ignore[return-value]


def ingest_all(engine, account_id: int, mentions: list[FetchedMention], batch: int) -> float:
    """Ingest as polls would: store a batch, commit, triage, commit; returns the store time."""
    from app.models import ConnectorAccount

    store_time = 0.0
    with Session(engine, expire_on_commit=False) as session:
        account = session.get(ConnectorAccount, account_id)
        for i in range(0, len(mentions), batch):
            t0 = time.perf_counter()
            ingest.store_mentions(
                session=session,
                account=account,  # type: ignore[arg-type]
                items=mentions[i : i + batch],
            )
            session.commit()
            store_time += time.perf_counter() - t0
            while triage.triage_pending(session=session, limit=batch):
                session.commit()
    return store_time


def run(url: str, mentions: list[FetchedMention], batch: int, warmup: int) -> dict[str, float]:
    """Time the ingest of `mentions` after `warmup` earlier ones (steady state, analysed)."""
    engine, account_id = prepare(url)
    if warmup:
        ingest_all(engine, account_id, mentions[:warmup], batch)
        with engine.begin() as conn:  # what autovacuum does on a live database
            conn.execute(text("ANALYZE"))
    measured = mentions[warmup:]
    started = time.perf_counter()
    store_time = ingest_all(engine, account_id, measured, batch)
    elapsed = time.perf_counter() - started
    with Session(engine) as session:
        stored = session.exec(select(func.count()).select_from(Mention)).one() - warmup
        cases = session.exec(select(func.count()).select_from(Case)).one()
    engine.dispose()  # type: ignore[attr-defined]
    return {
        "mentions": stored,
        "cases": cases,
        "seconds": elapsed,
        "per_second": stored / elapsed,
        "store_share": store_time / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--warmup",
        type=int,
        default=5_000,
        help="mentions ingested (and ANALYZEd) before timing, as on a live database",
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.warmup = 3_000, 1_000
    summary: list[dict[str, object]] = []
    mentions = synthetic_mentions(args.warmup + args.mentions)
    # Databases of this run only, under unique names, dropped at the end (issue 11, §6).
    scratch = ScratchDatabases("vigie_bench_ingest", PG_ADMIN)
    targets = []
    if args.only in (None, "sqlite"):
        targets.append(("sqlite", scratch.sqlite()))
    if args.only in (None, "postgresql"):
        targets.append(("postgresql", scratch.postgres()))
    print(
        f"ingest + triage + grouping, {args.mentions} mentions after {args.warmup} already "
        f"stored, batches of {args.batch}"
    )
    try:
        for label, url in targets:
            r = run(url, mentions, args.batch, args.warmup)
            verdict = "OK" if r["per_second"] >= 1000 else "BELOW TARGET"
            print(
                f"{label:<11} {r['per_second']:8.0f} mentions/s  ({r['mentions']} stored, "
                f"{r['cases']} cases, {r['seconds']:.1f} s, storing {r['store_share']:.0%} of it)"
                f"  target 1000/s: {verdict}"
            )
            summary.append(
                {
                    "figure": f"ingest service, {label}",
                    "goal": "≥ 1000/s",
                    "measured": f"{r['per_second']:.0f}/s (storing alone "
                    f"{r['per_second'] / r['store_share']:.0f}/s)",
                    "ok": r["per_second"] >= 1000,
                }
            )
    finally:
        scratch.close()
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
