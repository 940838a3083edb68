"""Importing a brand's past mentions for onboarding: the worker's job, a chunk at a time.

A request only queues a job (one queued-or-running import per brand, a partial unique index);
a worker claims it with a conditional UPDATE, so two workers never run one job, and writes its
progress in its own short transactions for the wizard's progress bar. Imported mentions are
stored as history (`Mention.state = "history"`) in the same transaction that inserts them: the
triage pass never sees them, so they open no case, start no deadline, count in no storm alert
and reach nobody; backtests read them like any stored mention. Storing is idempotent (one
mention per account and id), so a job taken over after a worker died imports nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import ConnectorAccount, HistoryImport, Mention, Onboarding, User, utcnow
from app.security.secrets_box import SecretsBox
from app.services import audit, ingest, queue_changes
from app.services.connector_sessions import connector_session
from connectors import AuthorInfo, ConnectorError, FetchedMention, get_connector
from connectors.history import FetchesHistory, offers_history

STALE_AFTER = timedelta(minutes=10)
CHUNK = 500
MAX_PAGES = 500
HISTORY_DAYS = 90
IMPORT_LABEL = "Historique importé (CSV)"


class ImportBusy(ValueError):
    """Another import of this brand is queued or running."""


def latest(session: Session, onboarding_id: int) -> HistoryImport | None:
    return session.exec(
        select(HistoryImport)
        .where(HistoryImport.onboarding_id == onboarding_id)
        .order_by(col(HistoryImport.id).desc())
    ).first()


def active(session: Session, brand_id: int) -> HistoryImport | None:
    return session.exec(
        select(HistoryImport).where(
            HistoryImport.brand_id == brand_id,
            col(HistoryImport.state).in_(("queued", "running")),
        )
    ).first()


def imported_count(session: Session, onboarding_id: int) -> int:
    rows = session.exec(
        select(HistoryImport.imported).where(
            HistoryImport.onboarding_id == onboarding_id, HistoryImport.state == "done"
        )
    ).all()
    return sum(rows)


def supports_history(account: ConnectorAccount) -> bool:
    """Whether the account's connector can read older mentions."""
    try:
        return offers_history(get_connector(account.platform))
    except ValueError:
        return False


def request(
    session: Session,
    onboarding: Onboarding,
    actor: User | None,
    *,
    rows: list[dict[str, Any]] | None = None,
    filename: str = "",
    account: ConnectorAccount | None = None,
) -> HistoryImport:
    """Queue an import of checked CSV rows, or of an account's history; ImportBusy when the
    brand already has one queued or running."""
    if active(session, onboarding.brand_id) is not None:
        raise ImportBusy("busy")
    job = HistoryImport(
        brand_id=onboarding.brand_id,
        onboarding_id=onboarding.id,  # type: ignore[arg-type]
        source="account" if account is not None else "csv",
        account_id=account.id if account is not None else None,
        filename=filename[:200],
        total=len(rows or []),
        rows=rows or [],
        requested_by_id=actor.id if actor else None,
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError as exc:  # another request queued one meanwhile
        if job in session:
            session.expunge(job)
        raise ImportBusy("busy") from exc
    audit.record(
        session=session,
        action="onboarding.import_requested",
        target_type="brand",
        target_id=onboarding.brand_id,
        brand_id=onboarding.brand_id,
        actor=actor,
        after={"source": job.source, "rows": job.total, "account": job.account_id},
        note=filename[:200] or None,
    )
    return job


def _claimable(now: datetime) -> Any:
    return (col(HistoryImport.state) == "queued") | (
        (col(HistoryImport.state) == "running")
        & (col(HistoryImport.started_at) < now - STALE_AFTER)
    )


def claim(engine: Engine, owner: str) -> int | None:
    """Take one queued (or abandoned) import for this worker; None when there is none."""
    now = utcnow()
    with Session(engine) as session:
        candidates = list(
            session.exec(
                select(HistoryImport.id).where(_claimable(now)).order_by(col(HistoryImport.id))
            )
        )
        for job_id in candidates:
            taken = session.execute(
                update(HistoryImport)
                .where(col(HistoryImport.id) == job_id)
                .where(_claimable(now))
                .values(state="running", owner=owner, started_at=now)
            )
            session.commit()
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return job_id
    return None


def _still_mine(session: Session, job_id: int, owner: str, **values: Any) -> bool:
    done = session.execute(
        update(HistoryImport)
        .where(
            col(HistoryImport.id) == job_id,
            col(HistoryImport.owner) == owner,
            col(HistoryImport.state) == "running",
        )
        .values(**values)
    )
    return int(done.rowcount) == 1  # type: ignore[attr-defined]


def _import_account(session: Session, brand_id: int) -> ConnectorAccount:
    """The brand's account that holds CSV-imported mentions: never polled, never pushed to."""
    found = session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == brand_id,
            ConnectorAccount.platform == "webhook",
            ConnectorAccount.label == IMPORT_LABEL,
        )
    ).first()
    if found is None:
        found = ConnectorAccount(
            brand_id=brand_id,
            platform="webhook",
            label=IMPORT_LABEL,
            is_active=False,
            options={"history_import": True},
        )
        session.add(found)
        session.flush()
    return found


def _store(session: Session, account: ConnectorAccount, items: list[FetchedMention]) -> int:
    """Store mentions as history in the caller's transaction; returns how many were new."""
    stored = ingest.store_mentions(session=session, account=account, items=items).new
    for start in range(0, len(stored), 900):
        session.execute(
            queue_changes.declare(update(Mention), [account.brand_id])
            .where(
                col(Mention.account_id) == account.id,
                col(Mention.external_id).in_(stored[start : start + 900]),
            )
            .values(state="history")
        )
    return len(stored)


def _csv_item(row: dict[str, Any]) -> FetchedMention:
    author = str(row["author"])
    return FetchedMention(
        external_id=f"csv:{row['id']}",
        text=str(row["text"]),
        author=AuthorInfo(external_id=f"{row['platform']}:{author.lower()}", handle=author),
        posted_at=datetime.fromisoformat(str(row["posted_at"])),
        url=row.get("url"),
        lang=None,
        channel=str(row["platform"]),
        raw={"history_import": True},
    )


def _run_csv(engine: Engine, job_id: int, owner: str) -> bool:
    with Session(engine) as session:
        job = session.get(HistoryImport, job_id)
        assert job is not None
        rows, brand_id, done = list(job.rows), job.brand_id, job.imported + job.skipped
    for start in range(done, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with Session(engine) as session:
            account = _import_account(session, brand_id)
            new = _store(session, account, [_csv_item(r) for r in chunk])
            position = start + len(chunk)
            if not _still_mine(
                session,
                job_id,
                owner,
                imported=HistoryImport.imported + new,
                skipped=HistoryImport.skipped + len(chunk) - new,
                progress=min(99, position * 100 // max(len(rows), 1)),
            ):
                session.rollback()  # taken over meanwhile: the other worker carries on
                return False
            session.commit()
    return True


def _run_account(engine: Engine, job_id: int, owner: str, box: SecretsBox) -> bool:
    with Session(engine) as session:
        job = session.get(HistoryImport, job_id)
        account = session.get(ConnectorAccount, job.account_id) if job and job.account_id else None
        if account is None:
            raise ConnectorError("account gone")
        since = utcnow() - timedelta(days=HISTORY_DAYS)
        with connector_session(session, account, box) as connector:
            if not isinstance(connector, FetchesHistory) or not offers_history(type(connector)):
                raise ConnectorError("history unsupported")
            cursor: str | None = None
            for page in range(1, MAX_PAGES + 1):
                result = connector.fetch_history(since, cursor)
                items = [m for m in result.mentions if m.posted_at >= since]
                new = _store(session, account, items)
                if not _still_mine(
                    session,
                    job_id,
                    owner,
                    imported=HistoryImport.imported + new,
                    skipped=HistoryImport.skipped + len(items) - new,
                    total=HistoryImport.total + len(items),
                    progress=min(95, 100 - 100 // (page + 1)),
                ):
                    session.rollback()
                    return False
                session.commit()
                cursor = result.cursor
                if not cursor:
                    break
        session.commit()  # rotated credentials, if any
    return True


def run(engine: Engine, job_id: int, owner: str, box: SecretsBox) -> bool:
    """Carry out a claimed import; True when this worker finished it."""
    try:
        with Session(engine) as session:
            job = session.get(HistoryImport, job_id)
            source = job.source if job else None
        if source is None:
            return False
        mine = (
            _run_account(engine, job_id, owner, box)
            if source == "account"
            else (_run_csv(engine, job_id, owner))
        )
    except Exception as exc:  # recorded on the job, shown in the wizard
        with Session(engine) as session:
            failed = _still_mine(
                session, job_id, owner, state="failed", error=str(exc)[:500], finished_at=utcnow()
            )
            session.commit()
        return failed
    if not mine:
        return False
    with Session(engine) as session:
        finished = _still_mine(
            session, job_id, owner, state="done", progress=100, rows=[], finished_at=utcnow()
        )
        job = session.get(HistoryImport, job_id)
        if finished and job is not None:
            audit.record(
                session=session,
                action="onboarding.imported",
                target_type="brand",
                target_id=job.brand_id,
                brand_id=job.brand_id,
                actor=None,
                after={"source": job.source, "imported": job.imported, "skipped": job.skipped},
            )
        session.commit()
        return finished


def run_pending(engine: Engine, owner: str, box: SecretsBox, max_jobs: int = 2) -> int:
    """The worker's tick: claim and run queued imports, a few per tick."""
    done = 0
    for _ in range(max_jobs):
        job_id = claim(engine, owner)
        if job_id is None:
            break
        done += run(engine, job_id, owner, box)
    return done
