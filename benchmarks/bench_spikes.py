"""Storm watch at ingest (issue 16): its cost per mention, and how fast a storm is seen.

1. Detection cost: mentions ingested (store + triage + grouping + storm watch) at the current
   time, in poll-sized batches, on a brand with four weeks of rollup history; the storm watch's
   own time per mention (``spikes.observe_batch``) and the ingest rate with it on.
   Goal: ingest stays ≥ 1,000 mentions/s with it.
2. Time to alert: a brand whose baseline is 5 mentions an hour (four weeks of history) gets a
   storm of 50 similar complaints in 5 minutes, polled every 10 seconds; the time from the
   storm's first mention to the spike alert. Goal ≤ 2 minutes.

    python benchmarks/bench_spikes.py [--mentions 20000] [--batch 200] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.models import ConnectorAccount, SpikeAlert
from app.services import ingest, spikes, triage
from app.services import spike_detector as detector
from benchmarks.bench_ingest import prepare, synthetic_mentions
from benchmarks.support import PG_ADMIN, ScratchDatabases, write_summary
from connectors import AuthorInfo, FetchedMention

HISTORY_WEEKS = 4


def fill_history(engine, brand_id: int, per_hour: float, now: datetime, scopes: int) -> None:
    """Four weeks of rollup rows at `per_hour` (brand, three channels, `scopes` scenarios)."""
    current = detector.bucket_of(now.timestamp())
    first = current - HISTORY_WEEKS * detector.BUCKETS_PER_WEEK
    per_bucket = per_hour / detector.BUCKETS_PER_HOUR
    with Session(engine) as session:
        counts: dict[tuple[str, str, int], list[int]] = {}
        for bucket in range(first, current - detector.WINDOW_BUCKETS):
            # Whole mentions: the fractional rate spread evenly over the buckets.
            n = int((bucket - first + 1) * per_bucket) - int((bucket - first) * per_bucket)
            if not n:
                continue
            counts[("all", "", bucket)] = [n, 0, n // 3]
            counts[("channel", ("x", "mastodon", "bluesky")[bucket % 3], bucket)] = [n, 0, 0]
            counts[("scenario", f"s{bucket % max(1, scopes)}", bucket)] = [n, 0, 0]
            if len(counts) > 3000:
                spikes.add_counts(session, brand_id, counts)
                counts = {}
        spikes.add_counts(session, brand_id, counts)
        session.commit()


def cost(url: str, count: int, batch: int) -> dict[str, float]:
    """Ingest `count` mentions arriving now; time the storm watch inside it."""
    engine, account_id = prepare(url)
    with Session(engine) as session:
        brand_id = session.get(ConnectorAccount, account_id).brand_id  # type: ignore[union-attr]
    fill_history(engine, brand_id, per_hour=3600, now=datetime.now(UTC), scopes=20)
    mentions = synthetic_mentions(count)
    spent = [0.0]
    original = spikes.observe_batch

    def timed(**kwargs):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    spikes.observe_batch = timed  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        with Session(engine, expire_on_commit=False) as session:
            account = session.get(ConnectorAccount, account_id)
            for i in range(0, len(mentions), batch):
                now = datetime.now(UTC)
                items = [replace(m, posted_at=now) for m in mentions[i : i + batch]]
                ingest.store_mentions(session=session, account=account, items=items)  # type: ignore[arg-type]
                session.commit()
                while triage.triage_pending(session=session, limit=batch):
                    session.commit()
        elapsed = time.perf_counter() - started
    finally:
        spikes.observe_batch = original  # type: ignore[assignment]
    engine.dispose()  # type: ignore[attr-defined]
    return {
        "per_second": count / elapsed,
        "watch_us": spent[0] / count * 1e6,
        "watch_share": spent[0] / elapsed,
        "watch_rate": count / spent[0] if spent[0] else float("inf"),
    }


def time_to_alert(url: str, storm: int = 50, minutes: float = 5, poll: float = 10) -> dict:
    """Simulated clock: a 5/hour brand, then `storm` mentions over `minutes`, polled every
    `poll` seconds; seconds from the first storm mention to the alert, and mentions seen."""
    engine, account_id = prepare(url)
    with Session(engine) as session:
        brand_id = session.get(ConnectorAccount, account_id).brand_id  # type: ignore[union-attr]
    t0 = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    fill_history(engine, brand_id, per_hour=5, now=t0, scopes=5)
    spacing = minutes * 60 / storm
    arrivals = [t0 + timedelta(seconds=i * spacing) for i in range(storm)]
    texts = (
        "Grève surprise ce matin, train supprimé sans aucune info, c'est inadmissible",
        "Encore un train supprimé à cause de la grève, aucune info en gare",
    )
    token = uuid.uuid4().hex[:6]
    seen, alert_after, real = 0, None, 0.0
    clock = t0
    with Session(engine, expire_on_commit=False) as session:
        account = session.get(ConnectorAccount, account_id)
        while seen < storm and alert_after is None:
            clock += timedelta(seconds=poll)
            due = [a for a in arrivals[seen:] if a <= clock]
            items = [
                FetchedMention(
                    external_id=f"storm-{token}-{seen + k}",
                    text=texts[(seen + k) % 2],
                    author=AuthorInfo(external_id=f"a-{token}-{seen + k}", handle=f"p{seen + k}"),
                    posted_at=at,
                    url=None,
                    lang="fr",
                    channel="x",
                )
                for k, at in enumerate(due)
            ]
            seen += len(items)
            started = time.perf_counter()
            result = ingest.store_mentions(session=session, account=account, items=items)  # type: ignore[arg-type]
            session.commit()
            triage.triage_pending(
                session=session, account_id=account_id, external_ids=result.new, now=clock
            )
            session.commit()
            real += time.perf_counter() - started
            alert = session.exec(select(SpikeAlert).where(SpikeAlert.brand_id == brand_id)).first()
            if alert is not None:
                alert_after = (alert.detected_at - t0).total_seconds()
    engine.dispose()  # type: ignore[attr-defined]
    return {"seconds": alert_after, "mentions": seen, "processing": real}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions = 4_000
    summary: list[dict[str, object]] = []
    scratch = ScratchDatabases("vigie_bench_spikes", PG_ADMIN)

    def target(label: str) -> str:
        return scratch.sqlite() if label == "sqlite" else scratch.postgres()

    labels = [args.only] if args.only else ["sqlite", "postgresql"]
    try:
        for label in labels:
            r = cost(target(label), args.mentions, args.batch)
            print(
                f"{label:<11} ingest with storm watch {r['per_second']:7.0f} mentions/s; "
                f"storm watch {r['watch_us']:6.1f} µs/mention ({r['watch_share']:.1%} of ingest, "
                f"{r['watch_rate']:,.0f} mentions/s on its own)"
            )
            summary.append(
                {
                    "figure": f"ingest with storm watch, {label}",
                    "goal": "≥ 1000/s",
                    "measured": f"{r['per_second']:.0f}/s (watch {r['watch_us']:.0f} µs/mention)",
                    "ok": r["per_second"] >= 1000,
                }
            )
            t = time_to_alert(target(label))
            ok = t["seconds"] is not None and t["seconds"] <= 120
            print(
                f"{label:<11} storm of 50 in 5 min on 5/hour: alert "
                + (
                    f"{t['seconds']:.0f} s after the first mention ({t['mentions']} seen)"
                    if t["seconds"] is not None
                    else "NEVER"
                )
                + f", {t['processing'] * 1000:.0f} ms of processing; goal ≤ 120 s: "
                + ("OK" if ok else "MISSED")
            )
            summary.append(
                {
                    "figure": f"storm to alert, {label}",
                    "goal": "≤ 120 s",
                    "measured": f"{t['seconds']:.0f} s" if t["seconds"] is not None else "never",
                    "ok": ok,
                }
            )
    finally:
        scratch.close()
    write_summary(args.summary_json, summary)


if __name__ == "__main__":
    main()
