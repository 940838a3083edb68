"""Playbook proposals from corrections (issue 18, parts 1 and 3): the worker's job on a big brand.

A brand on the demo-rail playbook with N mentions (engine triage each) and C reviewers'
corrections sharing a few causes — a missed delay phrased "train fantôme", a film title taken
for an insult, a scenario reviewers move to another severity, and background noise — then the
worker's path: queue a job, claim it, compute every proposal with its backtest.
Goal (issue 18): ≤ 30 s for 2,000 corrections and 100,000 mentions.

    python benchmarks/bench_proposals.py [--mentions 100000] [--corrections 2000]
                                         [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.models import Author, ConnectorAccount, Mention, Person, Triage, utcnow
from app.services import proposal_jobs
from benchmarks.bench_ingest import prepare
from benchmarks.support import PG_ADMIN, ScratchDatabases, write_summary

_WORD_TEXT = """
    train gare quai voyage billet contrôleur ligne matin soir wagon place siège trajet
    application horaire correspondance direction station bagage voiture bar agent accueil
    semaine weekend week-end vacances travail école famille ville région bus métro
"""
WORDS = _WORD_TEXT.split()
CAUSES = [
    # (text template, engine scenarios, engine severity, reviewer scenarios, reviewer severity)
    ("Encore un train fantôme ce {w}, personne ne sait rien", [], "S1", ["retard"], "S2"),
    ("Le Dîner de cons connard revu dans le {w}, très drôle", ["insulte"], "S3", [], "S1"),
    ("Un mec louche sur le quai près du {w}, il suit les gens", [], "S1", ["danger"], "S4"),
]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))


def fill(engine, account_id: int, mentions: int, corrections: int) -> int:
    rng = random.Random(18)
    now = utcnow()
    with Session(engine) as session:
        account = session.get(ConnectorAccount, account_id)
        assert account is not None
        brand_id = account.brand_id
        person = Person(brand_id=brand_id, display_name="Bench")
        session.add(person)
        session.flush()
        author = Author(
            brand_id=brand_id,
            person_id=person.id,  # type: ignore[arg-type]
            platform="demo",
            external_id="bench",
            handle="bench",
        )
        session.add(author)
        session.flush()
        rows = []
        for i in range(mentions):
            cause = CAUSES[i % len(CAUSES)] if i < corrections * 0.8 else None
            text = cause[0].format(w=rng.choice(WORDS)) if cause else _text(rng)
            rows.append(
                {
                    "brand_id": brand_id,
                    "account_id": account_id,
                    "platform": "demo",
                    "channel": "x",
                    "external_id": f"b{i:07d}",
                    "author_id": author.id,
                    "text": text,
                    "lang": "fr",
                    "posted_at": now - timedelta(minutes=i % 40_000),
                    "state": "triaged",
                }
            )
            if len(rows) == 5000:
                session.execute(insert(Mention), rows)
                rows = []
        if rows:
            session.execute(insert(Mention), rows)
        ids = list(
            session.exec(
                select(Mention.id)
                .where(Mention.brand_id == brand_id)
                .order_by(col(Mention.external_id))
            )
        )
        triages = []
        for i, mention_id in enumerate(ids):
            cause = CAUSES[i % len(CAUSES)] if i < corrections * 0.8 else None
            engine_row = {
                "brand_id": brand_id,
                "mention_id": mention_id,
                "severity": cause[2] if cause else "S1",
                "scenarios": cause[1] if cause else [],
                "action": "reply",
                "source": "engine",
                "created_at": now - timedelta(days=1),
                "categories": [],
                "suggested_replies": [],
                "evidence": [],
                "priority": 0,
            }
            triages.append(engine_row)
            if i < corrections:
                named, severity = (cause[3], cause[4]) if cause else (["question"], "S1")
                triages.append(
                    {
                        **engine_row,
                        "source": "override",
                        "scenarios": named,
                        "severity": severity,
                        "created_at": now,
                        "reason": "bench",
                    }
                )
            if len(triages) >= 5000:
                session.execute(insert(Triage), triages)
                triages = []
        if triages:
            session.execute(insert(Triage), triages)
        session.commit()
        return brand_id


def measure(url: str, mentions: int, corrections: int) -> dict[str, float]:
    engine, account_id = prepare(url)
    brand_id = fill(engine, account_id, mentions, corrections)
    from app.models import Brand

    started = time.perf_counter()
    with Session(engine) as session:
        brand = session.get(Brand, brand_id)
        proposal_jobs.request(session, brand, None)  # type: ignore[arg-type]
        session.commit()
    done = proposal_jobs.run_pending(engine, "bench")
    seconds = time.perf_counter() - started
    with Session(engine) as session:
        job = proposal_jobs.latest(session, brand_id)
        assert job is not None and done == 1, job and job.error
        kinds = sorted(p["kind"] for p in job.result)
    engine.dispose()
    return {"seconds": seconds, "proposals": len(kinds), "kinds": ",".join(kinds)}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--corrections", type=int, default=2_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.corrections = 20_000, 500
    summary: list[dict[str, object]] = []
    scratch = ScratchDatabases("vigie_bench_proposals", PG_ADMIN)

    def target(label: str) -> str:
        return scratch.sqlite() if label == "sqlite" else scratch.postgres()

    try:
        for label in [args.only] if args.only else ["sqlite", "postgresql"]:
            r = measure(target(label), args.mentions, args.corrections)
            ok = r["seconds"] <= 30
            print(
                f"{label:<11} proposals for {args.corrections} corrections, {args.mentions} "
                f"mentions: {r['seconds']:.1f} s, {r['proposals']} proposal(s) ({r['kinds']}); "
                f"goal ≤ 30 s: {'OK' if ok else 'MISSED'}"
            )
            summary.append(
                {
                    "figure": f"proposals, {args.corrections} corrections / {args.mentions} "
                    f"mentions, {label}",
                    "goal": "≤ 30 s",
                    "measured": f"{r['seconds']:.1f} s",
                    "ok": ok,
                }
            )
    finally:
        scratch.close()
    write_summary(args.summary_json, summary)


if __name__ == "__main__":
    main()
