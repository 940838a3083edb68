"""The report of a crisis period: timeline, volumes, clusters, response times, replies, hides."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    AuditEvent,
    Case,
    CrisisPeriod,
    Mention,
    MentionCluster,
    Playbook,
    Reply,
    SpikeAlert,
    Triage,
    User,
    Wave,
    utcnow,
)

# What the timeline shows: the crisis switches, the storm alerts, and the decisions taken
# on the brand's behalf meanwhile (replies sent, hides, escalations).
TIMELINE_ACTIONS = (
    "crisis.started",
    "crisis.ended",
    "crisis.expired",
    "crisis.end_changed",
    "spike.detected",
    "spike.alerted",
    "playbook.published",
    "reply.sent",
    "reply.approved",
    "mention.hidden",
    "escalation.opened",
    "escalation.alerted",
    "case.spam",
    "escalation.answered",
)
TIMELINE_LIMIT = 300
REPORT_CLUSTERS = 20
# The episode of the clusters starts before crisis mode: the storm that led to it.
CLUSTER_PRELUDE = timedelta(hours=2)


@dataclass
class ClusterLine:
    """A cluster active during the crisis: how big, how much it grew, how much was answered."""

    cluster: MentionCluster
    during: int  # its mentions posted during the episode (from CLUSTER_PRELUDE before)
    first_at: datetime  # the first and last of them
    last_at: datetime
    answered: int  # its mentions (of the episode) with a reply sent
    waves: int  # grouped replies started on it

    @property
    def per_hour(self) -> float:
        """Its growth during the crisis: mentions per hour between its first and last."""
        hours = max((self.last_at - self.first_at).total_seconds() / 3600, 1 / 6)
        return round(self.during / hours, 1)


@dataclass
class CrisisReport:
    """Everything the report page shows about one crisis period."""

    period: CrisisPeriod
    end: datetime
    people: dict[int, str]
    timeline: list[AuditEvent]
    alerts: list[SpikeAlert]
    mentions: int
    by_severity: dict[str, int]
    by_playbook: list[tuple[str, int]]
    cases_opened: int
    answered: int
    median_minutes: float | None
    p90_minutes: float | None
    breached: int
    replies_sent: int
    hidden: int
    clusters: list[ClusterLine] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return int((self.end - self.period.started_at).total_seconds() // 60)


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def build(*, session: Session, period: CrisisPeriod, now: datetime | None = None) -> CrisisReport:
    """The figures of a crisis period (still open: up to now)."""
    start, end = period.started_at, period.ended_at or now or utcnow()
    brand_id = period.brand_id
    timeline = list(
        session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.brand_id == brand_id,
                col(AuditEvent.action).in_(TIMELINE_ACTIONS),
                col(AuditEvent.created_at) >= start - timedelta(minutes=30),
                col(AuditEvent.created_at) <= end,
            )
            .order_by(col(AuditEvent.created_at), col(AuditEvent.id))
            .limit(TIMELINE_LIMIT)
        )
    )
    alerts = list(
        session.exec(
            select(SpikeAlert)
            .where(
                SpikeAlert.brand_id == brand_id,
                col(SpikeAlert.detected_at) >= start - timedelta(hours=2),
                col(SpikeAlert.detected_at) <= end,
            )
            .order_by(col(SpikeAlert.detected_at))
        )
    )
    # Posted in the period (the brand-and-time index), clock skew aside.
    in_period = (
        Mention.brand_id == brand_id,
        col(Mention.posted_at) >= start,
        col(Mention.posted_at) <= end,
    )
    mentions = session.exec(select(func.count()).select_from(Mention).where(*in_period)).one()
    hidden = session.exec(
        select(func.count()).select_from(Mention).where(*in_period, col(Mention.hidden).is_(True))
    ).one()
    triage_rows = session.exec(
        select(Triage.severity, Triage.playbook_id, func.count())
        .where(
            Triage.brand_id == brand_id,
            Triage.source == "engine",
            col(Triage.created_at) >= start,
            col(Triage.created_at) <= end,
        )
        .group_by(col(Triage.severity), col(Triage.playbook_id))
    ).all()
    by_severity: Counter[str] = Counter()
    by_playbook_id: Counter[int | None] = Counter()
    for severity, playbook_id, n in triage_rows:
        by_severity[severity] += n
        by_playbook_id[playbook_id] += n
    books = {
        p.id: p
        for p in session.exec(
            select(Playbook).where(col(Playbook.id).in_([i for i in by_playbook_id if i]))
        )
    }
    by_playbook = [
        (
            f"{'crise' if books[i].kind == 'crisis' else 'normal'} n° {books[i].number}"
            if i in books
            else "—",
            n,
        )
        for i, n in by_playbook_id.most_common()
    ]
    cases = session.exec(
        select(Case.opened_at, Case.first_response_at, Case.sla_breached_at).where(
            Case.brand_id == brand_id, col(Case.opened_at) >= start, col(Case.opened_at) <= end
        )
    ).all()
    waits = [
        (first - opened).total_seconds() / 60 for opened, first, _ in cases if first is not None
    ]
    replies_sent = session.exec(
        select(func.count())
        .select_from(Reply)
        .where(
            Reply.brand_id == brand_id,
            Reply.outbox_state == "sent",
            col(Reply.sent_at) >= start,
            col(Reply.sent_at) <= end,
        )
    ).one()
    user_ids = {e.actor_id for e in timeline if e.actor_id} | {
        i for i in (period.started_by_id, period.ended_by_id) if i
    }
    people = {
        u.id: u.name or u.email
        for u in session.exec(select(User).where(col(User.id).in_(user_ids)))
        if u.id is not None
    }
    return CrisisReport(
        period=period,
        end=end,
        people=people,
        timeline=timeline,
        alerts=alerts,
        mentions=mentions,
        by_severity=dict(sorted(by_severity.items())),
        by_playbook=by_playbook,
        cases_opened=len(cases),
        answered=len(waits),
        median_minutes=round(statistics.median(waits), 1) if waits else None,
        p90_minutes=round(p, 1) if (p := _percentile(waits, 0.9)) is not None else None,
        breached=sum(1 for _, _, breached in cases if breached is not None),
        replies_sent=replies_sent,
        hidden=hidden,
        clusters=_clusters(
            session,
            (
                Mention.brand_id == brand_id,
                col(Mention.posted_at) >= start - CLUSTER_PRELUDE,
                col(Mention.posted_at) <= end,
            ),
        ),
    )


def _clusters(session: Session, in_period: tuple[Any, ...]) -> list[ClusterLine]:
    """The clusters that grew during the episode (the crisis and the storm just before it),
    largest growth first."""
    grown = session.exec(  # type: ignore[call-overload]
        select(
            Mention.cluster_id,
            func.count(),
            func.min(Mention.posted_at),
            func.max(Mention.posted_at),
        )
        .where(*in_period, col(Mention.cluster_id).is_not(None))
        .group_by(col(Mention.cluster_id))
        .order_by(func.count().desc(), col(Mention.cluster_id))
        .limit(REPORT_CLUSTERS)
    ).all()
    ids = [row[0] for row in grown]
    if not ids:
        return []
    found = {
        c.id: c for c in session.exec(select(MentionCluster).where(col(MentionCluster.id).in_(ids)))
    }
    answered = dict(
        session.exec(  # type: ignore[call-overload]
            select(Mention.cluster_id, func.count(func.distinct(Mention.id)))
            .join(Reply, col(Reply.mention_id) == col(Mention.id))
            .where(*in_period, col(Mention.cluster_id).in_(ids), Reply.outbox_state == "sent")
            .group_by(col(Mention.cluster_id))
        ).all()
    )
    waves = dict(
        session.exec(  # type: ignore[call-overload]
            select(Wave.cluster_id, func.count())
            .where(col(Wave.cluster_id).in_(ids))
            .group_by(col(Wave.cluster_id))
        ).all()
    )
    return [
        ClusterLine(
            cluster=found[cid],
            during=n,
            first_at=first,
            last_at=last,
            answered=answered.get(cid, 0),
            waves=waves.get(cid, 0),
        )
        for cid, n, first, last in grown
        if cid in found
    ]


def periods(*, session: Session, brand_id: int, limit: int = 20) -> list[CrisisPeriod]:
    """The brand's crisis periods, newest first."""
    return list(
        session.exec(
            select(CrisisPeriod)
            .where(CrisisPeriod.brand_id == brand_id)
            .order_by(col(CrisisPeriod.started_at).desc())
            .limit(limit)
        )
    )


def as_dict(report: CrisisReport) -> dict[str, Any]:
    """The report's figures for an export or an API."""
    return {
        "crisis_id": report.period.id,
        "started_at": report.period.started_at.isoformat(),
        "ended_at": report.period.ended_at.isoformat() if report.period.ended_at else None,
        "mentions": report.mentions,
        "by_severity": report.by_severity,
        "cases_opened": report.cases_opened,
        "answered": report.answered,
        "median_first_response_minutes": report.median_minutes,
        "replies_sent": report.replies_sent,
        "hidden": report.hidden,
        "alerts": len(report.alerts),
        "clusters": [
            {
                "cluster_id": line.cluster.id,
                "size": line.cluster.size,
                "during": line.during,
                "per_hour": line.per_hour,
                "answered": line.answered,
                "scenario": line.cluster.scenario,
                "sample": line.cluster.sample_text,
            }
            for line in report.clusters
        ],
    }
