"""The worker job that computes a brand's proposals, and accepting one into a draft.

A request only queues a job (one queued-or-running job per brand, enforced by a partial unique
index, so two editors clicking at once share one job); a worker claims it with a conditional
UPDATE (two workers never compute the same job) and writes its progress as it goes, in its
own short transactions, for the page's progress bar.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Brand, Playbook, ProposalJob, User, utcnow
from app.services import audit, proposals
from app.services.content import save_playbook

# A running job whose worker died is taken over after this long.
STALE_AFTER = timedelta(minutes=10)


class ProposalError(ValueError):
    """The proposal cannot be accepted (unknown, or computed on another brand)."""


class StaleProposal(ValueError):
    """The playbook changed since the proposals were computed."""


def latest(session: Session, brand_id: int) -> ProposalJob | None:
    return session.exec(
        select(ProposalJob)
        .where(ProposalJob.brand_id == brand_id)
        .order_by(col(ProposalJob.id).desc())
    ).first()


def request(session: Session, brand: Brand, actor: User | None) -> ProposalJob:
    """Queue a computation for the brand, or return the one already queued or running."""
    active = session.exec(
        select(ProposalJob).where(
            ProposalJob.brand_id == brand.id, col(ProposalJob.state).in_(("queued", "running"))
        )
    ).first()
    if active is not None:
        return active
    job = ProposalJob(brand_id=brand.id, requested_by_id=actor.id if actor else None)  # type: ignore[arg-type]
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:  # another request queued one meanwhile (the savepoint dropped ours)
        if job in session:
            session.expunge(job)
        found = latest(session, brand.id)  # type: ignore[arg-type]
        assert found is not None
        return found
    audit.record(
        session=session,
        action="playbook.proposals_requested",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
    )
    return job


def claim(engine: Engine, owner: str, brand_id: int | None = None) -> int | None:
    """Take one queued (or abandoned) job for this worker; None when there is none."""
    now = utcnow()
    with Session(engine) as session:
        stmt = select(ProposalJob.id).where(
            (col(ProposalJob.state) == "queued")
            | (
                (col(ProposalJob.state) == "running")
                & (col(ProposalJob.started_at) < now - STALE_AFTER)
            )
        )
        if brand_id is not None:
            stmt = stmt.where(ProposalJob.brand_id == brand_id)
        candidates = list(session.exec(stmt.order_by(col(ProposalJob.id))))
        for job_id in candidates:
            taken = session.execute(
                update(ProposalJob)
                .where(col(ProposalJob.id) == job_id)
                .where(
                    (col(ProposalJob.state) == "queued")
                    | (
                        (col(ProposalJob.state) == "running")
                        & (col(ProposalJob.started_at) < now - STALE_AFTER)
                    )
                )
                .values(state="running", owner=owner, started_at=now, progress=0)
            )
            session.commit()
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return job_id
    return None


def _set(engine: Engine, job_id: int, owner: str, **values: Any) -> int:
    with Session(engine) as session:
        done = session.execute(
            update(ProposalJob)
            .where(
                col(ProposalJob.id) == job_id,
                col(ProposalJob.owner) == owner,
                col(ProposalJob.state) == "running",
            )
            .values(**values)
        )
        session.commit()
        return int(done.rowcount)  # type: ignore[attr-defined]


def run(engine: Engine, job_id: int, owner: str) -> bool:
    """Compute a claimed job; True when this worker wrote its result."""

    def progress(pct: int, step: str) -> None:
        _set(engine, job_id, owner, progress=min(max(pct, 0), 99), step=step)

    try:
        with Session(engine) as session:
            job = session.get(ProposalJob, job_id)
            brand = session.get(Brand, job.brand_id) if job else None
            if brand is None:
                return False
            base_id, result = proposals.compute(session, brand, progress)
            session.rollback()  # read only
    except Exception as exc:  # recorded on the job, shown on the page
        return bool(
            _set(engine, job_id, owner, state="failed", error=str(exc)[:500], finished_at=utcnow())
        )
    return bool(
        _set(
            engine,
            job_id,
            owner,
            state="done",
            progress=100,
            step="done",
            result=result,
            base_playbook_id=base_id,
            finished_at=utcnow(),
        )
    )


def run_pending(engine: Engine, owner: str, max_jobs: int = 2) -> int:
    """The worker's tick: claim and compute queued jobs, a few per tick."""
    done = 0
    for _ in range(max_jobs):
        job_id = claim(engine, owner)
        if job_id is None:
            break
        done += run(engine, job_id, owner)
    return done


def accept(
    session: Session, brand: Brand, job_id: int, proposal_id: str, actor: User | None
) -> Playbook:
    """Store the proposal's YAML as a new draft version of the brand's playbook; never publish."""
    job = session.get(ProposalJob, job_id)
    if job is None or job.brand_id != brand.id or job.state != "done":
        raise ProposalError("unknown")
    found = next((p for p in job.result if p.get("id") == proposal_id), None)
    if found is None:
        raise ProposalError("unknown")
    # A version saved since the computation (another accepted proposal, an edit) would be
    # silently undone by this one's YAML: the editor recomputes instead.
    newer = session.exec(
        select(Playbook.id).where(
            Playbook.brand_id == brand.id,
            Playbook.kind == "normal",
            col(Playbook.created_at) > (job.started_at or job.created_at),
        )
    ).first()
    if newer is not None:
        raise StaleProposal("stale")
    draft = save_playbook(
        session=session, brand=brand, source=found["source"], actor=actor, publish=False
    )
    audit.record(
        session=session,
        action="playbook.proposal_accepted",
        target_type="playbook",
        target_id=draft.id,
        brand_id=brand.id,
        actor=actor,
        after={
            "number": draft.number,
            "kind": found["kind"],
            "scenario": found["scenario"],
            "term": found.get("term"),
            "threshold": found.get("new_threshold"),
        },
    )
    return draft


def compute_now(engine: Engine, brand_id: int, owner: str) -> ProposalJob | None:
    """For the CLI: run the brand's queued job here (unless a worker has it), then return the
    brand's latest job, waiting for a worker that is already computing it."""
    import time

    job_id = claim(engine, owner, brand_id)
    if job_id is not None:
        run(engine, job_id, owner)
    for _ in range(600):
        with Session(engine, expire_on_commit=False) as session:
            job = latest(session, brand_id)
            if job is None or job.state in ("done", "failed"):
                return job
        time.sleep(0.5)
    return None
