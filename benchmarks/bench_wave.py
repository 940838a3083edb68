"""Clusters and waves: clustering throughput at ingest, and queueing a wave reply to 500 mentions.

Targets (issue 16): clustering ≥ 2,000 mentions/s (its own time inside the triage pass) with
ingest staying ≥ 1,000 mentions/s; a wave reply to 500 mentions queued in ≤ 2 s; the queue
stays responsive (p95 ≤ 100 ms) while the worker sends it. Mentions are the demo stream with a
storm mixed in (one in three a variant of a handful of complaints).

The queue is timed through the real Flask app (in-process test client: server time, SQL and
rendering), first alone (the baseline), then while an outbox worker — its own process, as in
production — sends the wave. The worker runs on a simulated clock one platform pace per tick,
so the whole wave goes out during the measurement (a harsher load than the real pace).

    python benchmarks/bench_wave.py [--mentions 20000] [--only sqlite|postgresql] [--no-send]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import PG_ADMIN, ingest_all, prepare, synthetic_mentions

from app.models import Brand, ConnectorAccount, Mention, MentionCluster, Reply, WaveItem, utcnow
from app.security.secrets_box import SecretsBox
from app.services import clusters, public_text, send_pace, users, waves
from benchmarks.support import ScratchDatabases

KEY = Fernet.generate_key().decode()
PASSWORD = "bench-password-12"
BASELINE_SAMPLES = 80
TARGET_MS = 100.0

STORM = [
    "Le TER de 8h12 Lyon-Grenoble est encore supprimé, c'est inadmissible, remboursez-nous",
    "Grève encore ! Aucun train ce matin entre Nantes et Angers, on fait comment pour bosser ?",
]
TYPOS = ["", " !!!", " svp", "  #greve", " @rail", " vraiment"]


class Timed:
    """Wraps clusters.assign to add up the time clustering takes inside the triage pass."""

    def __init__(self) -> None:
        self.seconds, self.mentions, self.inner = 0.0, 0, clusters.assign

    def __call__(self, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return self.inner(**kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.mentions += len(kwargs["mentions"])


def with_storm(mentions: list) -> list:
    """One mention in three becomes a variant of a storm complaint, from its own author."""
    out = []
    for n, mention in enumerate(mentions):
        if n % 3 == 0:
            text = STORM[(n // 3) % len(STORM)] + TYPOS[n % len(TYPOS)]
            mention = replace(mention, text=text, thread_id=f"storm-{n}")
        out.append(mention)
    return out


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return ordered[len(ordered) // 2], p95


def send_worker(url: str, key: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """The outbox worker, in its own process: releases the wave and posts its replies, one
    platform pace of simulated time per tick, until nothing of the wave is left to send."""
    from app.extensions import make_engine
    from app.worker.outbox import send_due

    engine = make_engine(url)
    box = SecretsBox(key)
    pace = send_pace.pace("demo")
    with Session(engine) as session:  # the clock starts with the wave's first reply
        first = session.exec(
            select(WaveItem.due_at).order_by(col(WaveItem.due_at)).limit(1)
        ).first()
    now = (first or utcnow()) - pace
    sent = ticks = 0
    started = time.perf_counter()
    while time.perf_counter() - started < 900:
        now += pace
        ticks += 1
        with Session(engine, expire_on_commit=False) as session:
            waves.advance(session=session, now=now)
            session.commit()
        sent += send_due(engine, box, "bench-worker", now=now).sent
        if ticks % 25 == 0:
            with Session(engine) as session:
                pending = session.exec(
                    select(WaveItem.id).where(WaveItem.state == "pending").limit(1)
                ).first()
                queued = session.exec(
                    select(Reply.id).where(Reply.outbox_state == "queued").limit(1)
                ).first()
            if pending is None and queued is None:
                break
    out.put({"sent": sent, "seconds": time.perf_counter() - started, "ticks": ticks})
    engine.dispose()  # type: ignore[attr-defined]


def queue_while_sending(url: str) -> dict[str, float]:
    """Queue page p50/p95 alone, then while the worker process sends the wave."""
    from app import create_app
    from app.config import Settings

    instance = Path(tempfile.mkdtemp(prefix="vigie-bench-wave-app-"))
    settings = Settings(
        instance_path=instance, database_url=url, secret_key="bench", encryption_key=KEY
    )
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}, settings=settings)
    client = app.test_client()
    login = client.post("/login", data={"email": "bench@example.test", "password": PASSWORD})
    assert login.status_code == 302, login.status_code

    def sample() -> float:
        t0 = time.perf_counter()
        response = client.get("/queue")
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - t0) * 1000

    for _ in range(5):  # warm caches (templates, plans)
        sample()
    baseline = [sample() for _ in range(BASELINE_SAMPLES)]
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    worker = context.Process(target=send_worker, args=(url, KEY, out))
    worker.start()
    during: list[float] = []
    while worker.is_alive() and len(during) < 5000:
        during.append(sample())
    result = out.get(timeout=900)
    worker.join()
    shutil.rmtree(instance, ignore_errors=True)
    base50, base95 = _percentiles(baseline)
    p50, p95 = _percentiles(during) if during else (0.0, 0.0)
    return {
        "queue_base_p50": base50,
        "queue_base_p95": base95,
        "queue_p50": p50,
        "queue_p95": p95,
        "queue_samples": len(during),
        "sent": result["sent"],
        "send_seconds": result["seconds"],
    }


def run(url: str, mentions: list, warmup: int, batch: int, send: bool = True) -> dict[str, float]:
    engine, account_id = prepare(url)
    if warmup:
        ingest_all(engine, account_id, mentions[:warmup], batch)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    timed = Timed()
    clusters.assign = timed  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        ingest_all(engine, account_id, mentions[warmup:], batch)
        elapsed = time.perf_counter() - started
    finally:
        clusters.assign = timed.inner  # type: ignore[assignment]
    with Session(engine, expire_on_commit=False) as session:
        brand = session.exec(select(Brand)).one()
        actor = users.create_user(session=session, email="bench@example.test", password=PASSWORD)
        # The worker opens the account's credentials with the bench's key.
        for account in session.exec(select(ConnectorAccount)).all():
            account.credentials_encrypted = SecretsBox(KEY).seal({})
            session.add(account)
        users.grant(session=session, user=actor, brand=brand, role="community_manager")
        session.commit()
        biggest = session.exec(
            select(MentionCluster).order_by(col(MentionCluster.size).desc())
        ).first()
        assert biggest is not None, "the storm made no cluster"
        ids = list(
            session.exec(
                select(Mention.id)
                .where(Mention.cluster_id == biggest.id, col(Mention.case_id).is_not(None))
                .order_by(col(Mention.id).desc())
                .limit(500)
            )
        )
        clustered = session.exec(
            select(Mention.id).where(col(Mention.cluster_id).is_not(None))
        ).all()
        # The proofreader loads once per process (a web process has it loaded already).
        public_text.proofread(brand=brand, text="Bonjour, nous sommes désolés.", language="fr")
        t0 = time.perf_counter()
        wave = waves.start(
            session=session,
            brand=brand,
            actor=actor,
            mention_ids=ids,
            body="Bonjour {{ prenom }}, nous sommes désolés pour cette perturbation.",
        )
        session.commit()
        queued = time.perf_counter() - t0
        total = waves.progress(session=session, wave=wave).total
    engine.dispose()  # type: ignore[attr-defined]
    sending = queue_while_sending(url) if send else {}
    return {
        **sending,
        "ingest_per_second": (len(mentions) - warmup) / elapsed,
        "cluster_per_second": timed.mentions / timed.seconds if timed.seconds else 0.0,
        "cluster_share": timed.seconds / elapsed,
        "clustered": len(clustered),
        "wave_mentions": total,
        "wave_seconds": queued,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--no-send", action="store_true", help="skip the queue-while-sending part")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.warmup = 3_000, 1_000
    mentions = with_storm(synthetic_mentions(args.warmup + args.mentions))
    # Databases of this run only, under unique names, dropped at the end (issue 11, §6).
    scratch = ScratchDatabases("vigie_bench_wave", PG_ADMIN)
    targets = []
    if args.only in (None, "sqlite"):
        targets.append(("sqlite", scratch.sqlite()))
    if args.only in (None, "postgresql"):
        targets.append(("postgresql", scratch.postgres()))
    summary: list[dict[str, object]] = []
    try:
        for label, url in targets:
            r = run(url, mentions, args.warmup, args.batch, send=not args.no_send)
            print(
                f"{label:<11} clustering {r['cluster_per_second']:8.0f} mentions/s "
                f"({r['cluster_share']:.0%} of ingest, {r['clustered']} clustered); ingest "
                f"{r['ingest_per_second']:.0f}/s; wave of {r['wave_mentions']:.0f} queued in "
                f"{r['wave_seconds']:.2f} s"
            )
            if "queue_p95" in r:
                print(
                    f"{'':<11} queue p50/p95 "
                    f"{r['queue_base_p50']:.0f}/{r['queue_base_p95']:.0f} ms "
                    f"alone; {r['queue_p50']:.0f}/{r['queue_p95']:.0f} ms over "
                    f"{r['queue_samples']:.0f} loads while the worker sent {r['sent']:.0f} "
                    f"replies in {r['send_seconds']:.1f} s (load average "
                    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
                )
                summary.append(
                    {
                        "figure": f"queue p95 while a wave of {r['sent']:.0f} is sent, {label}",
                        "goal": f"≤ {TARGET_MS:.0f} ms",
                        "measured": f"{r['queue_p95']:.0f} ms (alone {r['queue_base_p95']:.0f} ms)",
                        "ok": r["queue_p95"] <= TARGET_MS,
                    }
                )
            summary += [
                {
                    "figure": f"clustering at ingest, {label}",
                    "goal": "≥ 2000/s",
                    "measured": f"{r['cluster_per_second']:.0f}/s",
                    "ok": r["cluster_per_second"] >= 2000,
                },
                {
                    "figure": f"ingest with clustering, {label}",
                    "goal": "≥ 1000/s",
                    "measured": f"{r['ingest_per_second']:.0f}/s",
                    "ok": r["ingest_per_second"] >= 1000,
                },
                {
                    "figure": f"wave reply to {r['wave_mentions']:.0f} mentions queued, {label}",
                    "goal": "≤ 2 s",
                    "measured": f"{r['wave_seconds']:.2f} s",
                    "ok": r["wave_seconds"] <= 2 and r["wave_mentions"] >= 500,
                },
            ]
    finally:
        scratch.close()
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
