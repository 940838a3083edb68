"""What a community manager sees of clusters: one queue row each, a brand's list, a cluster's page.

The queue folds a cluster's S0–S2 cases of its scenario into one row (``clusters.folded``);
this module reads those rows, and a cluster's variants and outliers (a threat or another
scenario inside the wave keeps its own case and is listed apart).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, literal, union_all
from sqlmodel import Session, col, select

from app.models import Author, Brand, Case, Mention, MentionCluster
from app.services import clusters
from app.services.batch_get import get_many
from app.services.bulk import in_param

GROWTH_WINDOW = timedelta(hours=1)
# A brand's clusters list shows those that grew within this window.
ACTIVE_WINDOW = timedelta(hours=48)
QUEUE_CLUSTERS = 20
DETAIL_LIMIT = 300


@dataclass
class ClusterRow:
    """One cluster as the queue and the brand's list show it."""

    cluster: MentionCluster
    brand: Brand
    size: int  # mentions in the cluster
    growth: int  # of them posted in the last hour
    open_cases: int  # folded cases still to answer


@dataclass
class Member:
    """One mention of a cluster with its author and case."""

    mention: Mention
    author: Author | None
    case: Case | None

    @property
    def outlier(self) -> bool:
        """Kept out of the wave: its case is not folded (S3+, or another scenario)."""
        if self.case is None:
            return False
        return self.case.cluster_id is None or self.case.severity not in clusters.FOLDED_SEVERITIES


@dataclass
class ClusterDetail:
    row: ClusterRow
    variants: list[Member] = field(default_factory=list)
    outliers: list[Member] = field(default_factory=list)


# The queue's wave statements, built once (every queue page and poll makes them: building
# them cost about as much CPU as running them).
_COUNTS: Any = union_all(
    select(literal("growth").label("kind"), col(Mention.cluster_id), func.count())
    .where(
        in_param(col(Mention.cluster_id), "ids"),
        col(Mention.posted_at) >= bindparam("since"),
    )
    .group_by(col(Mention.cluster_id)),
    select(literal("open").label("kind"), col(Case.cluster_id), func.count())
    .where(
        in_param(col(Case.cluster_id), "ids"),
        Case.status == "open",
        clusters.folded(),
    )
    .group_by(col(Case.cluster_id)),
)
_WITH_OPEN_CASES = (
    select(MentionCluster)
    .where(
        col(MentionCluster.id).in_(
            select(Case.cluster_id)
            .where(
                col(Case.brand_id).in_(bindparam("brand_ids", expanding=True)),
                Case.status == "open",
                clusters.folded(),
            )
            .distinct()
        )
    )
    .order_by(col(MentionCluster.last_at).desc())
    .limit(QUEUE_CLUSTERS)
)


def _counts(
    session: Session, cluster_ids: Sequence[int], now: datetime
) -> tuple[dict[int, int], dict[int, int]]:
    """Per cluster: mentions within the growth window, and open cases folded into it (one
    statement for both)."""
    if not cluster_ids:
        return {}, {}
    found: dict[str, dict[int, int]] = {"growth": {}, "open": {}}
    params = {"ids": list(cluster_ids), "since": now - GROWTH_WINDOW}
    for kind, cluster_id, count in session.exec(_COUNTS, params=params):  # type: ignore[call-overload]
        found[kind][cluster_id] = count
    return found["growth"], found["open"]


def _rows(session: Session, found: Sequence[MentionCluster], now: datetime) -> list[ClusterRow]:
    ids = [c.id for c in found if c.id is not None]
    brands = get_many(session, Brand, {c.brand_id for c in found})
    growth, open_cases = _counts(session, ids, now)
    return [
        ClusterRow(
            cluster=c,
            brand=brands[c.brand_id],
            size=c.size,
            growth=growth.get(c.id or 0, 0),
            open_cases=open_cases.get(c.id or 0, 0),
        )
        for c in found
    ]


def queue_rows(
    *, session: Session, brand_ids: Sequence[int], now: datetime, brand_id: int | None = None
) -> list[ClusterRow]:
    """Clusters with folded cases still open, on the brands the queue shows, newest first."""
    visible = [b for b in brand_ids if brand_id is None or b == brand_id]
    if not visible:
        return []
    found = session.exec(_WITH_OPEN_CASES, params={"brand_ids": visible}).all()
    return _rows(session, found, now)


def brand_rows(*, session: Session, brand: Brand, now: datetime) -> list[ClusterRow]:
    """A brand's active clusters: grown within the last two days, largest first."""
    found = session.exec(
        select(MentionCluster)
        .where(
            MentionCluster.brand_id == brand.id,
            col(MentionCluster.last_at) >= now - ACTIVE_WINDOW,
        )
        .order_by(col(MentionCluster.size).desc(), col(MentionCluster.id).desc())
        .limit(100)
    ).all()
    return _rows(session, found, now)


def detail(*, session: Session, cluster: MentionCluster, now: datetime) -> ClusterDetail:
    """A cluster's mentions (newest first), split into the wave's variants and its outliers."""
    rows = session.exec(  # type: ignore[call-overload]
        select(Mention, Author, Case)
        .outerjoin(Author, col(Author.id) == col(Mention.author_id))
        .outerjoin(Case, col(Case.id) == col(Mention.case_id))
        .where(Mention.cluster_id == cluster.id)
        .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
        .limit(DETAIL_LIMIT)
    ).all()
    result = ClusterDetail(row=_rows(session, [cluster], now)[0])
    for mention, author, case in rows:
        member = Member(mention, author, case)
        (result.outliers if member.outlier else result.variants).append(member)
    return result


@dataclass
class CaseCluster:
    """The cluster a case belongs to, for the link on its page."""

    cluster: MentionCluster
    folded: bool  # the case is one of the wave's (else: an outlier kept apart)


def of_case(
    *, session: Session, case: Case, mentions: Sequence[Mention] | None = None
) -> CaseCluster | None:
    """The cluster the case is folded into, else the one most of its mentions belong to.

    `mentions`: every mention of the case, when the caller holds them all (a case page without
    older ones): the choice is made from them, and no statement is run when none is clustered.
    """
    folded = case.cluster_id is not None
    if folded:
        cluster = session.get(MentionCluster, case.cluster_id)
    elif mentions is not None:
        counts = Counter(m.cluster_id for m in mentions if m.cluster_id is not None)
        if not counts:
            return None
        # The same choice as the statement below: the most mentions, then the smallest id.
        most_id = min(counts, key=lambda cluster_id: (-counts[cluster_id], cluster_id))
        cluster = session.get(MentionCluster, most_id)
    else:
        # The cluster and the choice of it in one statement (a case page reads it each time).
        most = (
            select(Mention.cluster_id)
            .where(Mention.case_id == case.id, col(Mention.cluster_id).is_not(None))
            .group_by(col(Mention.cluster_id))
            .order_by(func.count().desc(), col(Mention.cluster_id))
            .limit(1)
            .scalar_subquery()
        )
        cluster = session.exec(select(MentionCluster).where(MentionCluster.id == most)).first()
    if cluster is None or cluster.brand_id != case.brand_id:
        return None
    return CaseCluster(cluster=cluster, folded=folded)
