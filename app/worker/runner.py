"""`vigie worker`: one APScheduler per process, coordinated with others through the database.

Each job is a dispatcher over the database (due accounts, queued replies, open cases), not
one scheduler job per account: accounts are added and changed at run time by the web app,
the database is the one schedule every worker shares, and leases keep two workers off the
same account. Job stores stay in memory (never shared between schedulers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlmodel import Session

from app.models import utcnow
from app.security.secrets_box import SecretsBox
from app.services import (
    dm_ack,
    history_import,
    proposal_jobs,
    report_rollups,
    routing,
    triage,
    waves,
)
from app.worker import (
    clocks,
    hiding,
    leases,
    moderation,
    monthly_mail,
    outbox,
    outbox_steps,
    polling,
)
from app.worker.answer_clock import INTERVAL_SECONDS, AnswerClockJob
from app.worker.crisis_job import CrisisJob

log = logging.getLogger("vigie.worker")

POLL_DISPATCH_SECONDS = 5
OUTBOX_SECONDS = 5
TRIAGE_SECONDS = 30
CLOCK_SECONDS = 60
# Routing passes are cheap (a few queries per brand with routing on) and newcomers wait on them.
ROUTING_SECONDS = 5
# The reports' daily rollups: a figure is at most this old (app/services/report_rollups.py).
REPORT_SECONDS = 60


@dataclass
class RoundReport:
    polls: list[polling.PollOutcome] = field(default_factory=list)
    triaged: int = 0
    outbox: outbox_steps.OutboxOutcome = field(default_factory=outbox_steps.OutboxOutcome)
    sla_breaches: int = 0
    claims_released: int = 0
    hidden: int = 0
    moderated: int = 0
    routed: int = 0

    def summary(self) -> str:
        stored = sum(p.stored for p in self.polls)
        errors = [f"account {p.account_id}: {p.error}" for p in self.polls if p.error]
        lines = [
            f"polled {len([p for p in self.polls if not p.skipped])} account(s), "
            f"stored {stored} mention(s), triaged {self.triaged}",
            f"polls failed {sum(p.failed for p in self.polls)}, "
            f"partial {sum(p.partial for p in self.polls)}, "
            f"accounts flagged for their credentials {sum(p.flagged for p in self.polls)}",
            f"outbox: sent {self.outbox.sent} ({self.outbox.reconciled} found on the platform "
            f"after an unknown outcome), retried {self.outbox.retried}, failed "
            f"{self.outbox.failed}, outcome unknown {self.outbox.unknown}; "
            f"hidden on platforms {self.hidden}",
            f"SLA breaches flagged {self.sla_breaches}, claims released {self.claims_released}",
        ]
        return "\n".join(lines + errors)


class Worker:
    """The jobs of one worker process, each callable on its own (tests drive one tick)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.engine = app.extensions["vigie_engine"]
        self.box = SecretsBox(app.config["VIGIE_ENCRYPTION_KEY"])
        self.owner = leases.worker_id()
        self.answer_clock = AnswerClockJob(app)
        self.crisis = CrisisJob(app)  # spike alerts out, crises ended at their set time
        # Seconds before a platform request counts as lost (short in tests).
        self.http_timeout = float(app.config.get("CONNECTOR_HTTP_TIMEOUT", 10.0))

    def poll_due(self) -> list[polling.PollOutcome]:
        """Poll every account whose next poll time has come."""
        with Session(self.engine) as session:
            ids = polling.due_accounts(session, utcnow())
        return [
            polling.poll_account(self.engine, account_id, self.box, self.owner)
            for account_id in ids
        ]

    def triage_backlog(self, max_batches: int = 20) -> int:
        """Triage mentions left untriaged (a crash between store and triage), a batch of one
        brand per transaction so that each brand's lock is held briefly."""
        total = 0
        with Session(self.engine, expire_on_commit=False) as session:
            for _ in range(max_batches):
                count = triage.triage_pending(session=session)
                session.commit()
                total += count
                if not count:
                    break
        return total

    def release_waves(self, now: datetime | None = None) -> int:
        """Turn due items of running waves into replies (app/services/waves.py)."""
        with Session(self.engine, expire_on_commit=False) as session:
            count = waves.advance(session=session, now=now)
            session.commit()
        return count

    def send_outbox(self, now: datetime | None = None) -> outbox_steps.OutboxOutcome:
        """Settle replies whose outcome is unknown, then post the queued ones."""
        return outbox.send_due(
            self.engine, self.box, self.owner, now=now, http_timeout=self.http_timeout
        )

    def sync_hidden(self) -> int:
        """Carry out pending hides on the platforms."""
        return hiding.sync_hidden(self.engine, self.box)

    def moderate(self) -> int:
        """Carry out moderation actions (hold, reject, publish, ban, delete) on the platforms,
        and queue the acknowledgement of conversations opened while the brand is closed."""
        dm_ack.acknowledge_new(self.engine)
        return moderation.carry_out(self.engine, self.box)

    def route_cases(self) -> int:
        """Assign unassigned cases of brands with routing on (app/services/routing.py)."""
        return routing.route_all(self.engine).assigned

    def refresh_reports(self) -> int:
        """Bring the reports' daily rollups up to date (changed and recent days only)."""
        with Session(self.engine) as session:
            return report_rollups.refresh(session)

    def monthly_reports(self) -> int:
        """Make and mail last month's client reports that are missing (hourly; idempotent)."""
        return len(monthly_mail.make_monthly_reports(self.app).made)

    def compute_proposals(self) -> int:
        """Compute queued playbook proposals (issue 18): never in a web request."""
        return proposal_jobs.run_pending(self.engine, self.owner)

    def import_history(self) -> int:
        """Import brands' past mentions for onboarding (issue 18, part 7), with progress."""
        return history_import.run_pending(self.engine, self.owner, self.box)

    def run_clocks(self) -> tuple[int, int]:
        return clocks.check_sla(self.engine), clocks.release_expired_claims(self.engine)


def run_once(app: Flask) -> RoundReport:
    """One round of every job, in order, then return what happened."""
    worker = Worker(app)
    report = RoundReport()
    report.polls = worker.poll_due()
    report.triaged = worker.triage_backlog()
    worker.release_waves()
    report.outbox = worker.send_outbox()
    report.hidden = worker.sync_hidden()
    report.moderated = worker.moderate()
    report.sla_breaches, report.claims_released = worker.run_clocks()
    report.routed = worker.route_cases()
    worker.answer_clock.tick()
    worker.crisis.tick()
    worker.refresh_reports()
    worker.compute_proposals()
    worker.import_history()
    return report


def _guarded(job):  # type: ignore[no-untyped-def]
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("job %s failed", getattr(job, "__name__", job))

    run.__name__ = run.__qualname__ = getattr(job, "__name__", "job")
    return run


def run_forever(app: Flask) -> None:
    """Run the scheduler until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # Every tick would be logged otherwise; failures still are, by _guarded and APScheduler.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    worker = Worker(app)
    scheduler = BlockingScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
    )
    scheduler.add_job(
        _guarded(worker.poll_due),
        "interval",
        seconds=POLL_DISPATCH_SECONDS,
        id="poll",
        next_run_time=utcnow(),
    )
    scheduler.add_job(_guarded(worker.send_outbox), "interval", seconds=OUTBOX_SECONDS, id="outbox")
    scheduler.add_job(
        _guarded(worker.release_waves), "interval", seconds=OUTBOX_SECONDS, id="waves"
    )
    scheduler.add_job(
        _guarded(worker.triage_backlog), "interval", seconds=TRIAGE_SECONDS, id="triage"
    )
    scheduler.add_job(_guarded(worker.run_clocks), "interval", seconds=CLOCK_SECONDS, id="clocks")
    scheduler.add_job(
        _guarded(worker.route_cases), "interval", seconds=ROUTING_SECONDS, id="routing"
    )
    scheduler.add_job(_guarded(worker.sync_hidden), "interval", seconds=OUTBOX_SECONDS, id="hide")
    scheduler.add_job(_guarded(worker.moderate), "interval", seconds=OUTBOX_SECONDS, id="moderate")
    scheduler.add_job(
        _guarded(worker.answer_clock.tick), "interval", seconds=INTERVAL_SECONDS, id="answers"
    )
    scheduler.add_job(
        _guarded(worker.crisis.tick), "interval", seconds=INTERVAL_SECONDS, id="crisis"
    )
    scheduler.add_job(
        _guarded(worker.refresh_reports), "interval", seconds=REPORT_SECONDS, id="reports"
    )
    scheduler.add_job(
        _guarded(worker.monthly_reports),
        "interval",
        seconds=3600,
        id="monthly",
        next_run_time=utcnow(),
    )
    scheduler.add_job(
        _guarded(worker.compute_proposals), "interval", seconds=OUTBOX_SECONDS, id="proposals"
    )
    scheduler.add_job(
        _guarded(worker.import_history), "interval", seconds=OUTBOX_SECONDS, id="history"
    )
    log.info("worker %s started", worker.owner)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("worker %s stopped", worker.owner)
