"""Clusters: near-duplicate mentions grouped at ingest across authors and channels.

``assign`` runs in the triage pass, after grouping, under the brand's grouping lock
(``grouping.lock_brand``): two ingest processes never see the same wave half-clustered, so
they never open two clusters for it. Candidates come from stored LSH band keys
(``ClusterBand``) within the brand's recent window; a mention joins the closest one above the
threshold (``signatures``), which founds a cluster when it was alone. A case whose decision
stays S0–S2 in the cluster's scenario is folded into the cluster's queue row; a threat or
another scenario inside the wave keeps its own row (an outlier).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import (
    ColumnElement,
    and_,
    not_,
)
from sqlmodel import Session, col, select

from app.models import (
    Case,
    ClusterBand,
    ClusterSignature,
    Mention,
    MentionCluster,
)
from app.services import bulk, queue_changes, savepoints, signatures
from app.services import cluster_statements as statements

log = logging.getLogger("vigie.ingest")
# How far back a new mention looks for its near-duplicates (a brand setting may change it).
DEFAULT_WINDOW_HOURS = 24
# Severities folded into a cluster's row; anything more serious is an outlier with its own row.
FOLDED_SEVERITIES = ("S0", "S1", "S2")


def folded() -> ColumnElement[bool]:
    """Cases shown through their cluster's row rather than on their own."""
    return and_(col(Case.cluster_id).is_not(None), col(Case.severity).in_(FOLDED_SEVERITIES))


def unfolded() -> ColumnElement[bool]:
    """The queue's condition for a case's own row."""
    return not_(folded())


@dataclass(slots=True)
class _Entry:
    """A signature the batch can match: stored before, or added by this batch."""

    mention_id: int
    row: int  # its MinHash values' row in the batch's matrix
    links: frozenset[int]
    cluster: Any  # a cluster id, a _NewCluster, or None (alone so far)
    stored: bool  # its row exists already


@dataclass(slots=True)
class _NewCluster:
    founder: int
    sample_text: str
    scenario: str | None
    first_at: datetime
    members: list[int] = field(default_factory=list)
    id: int | None = None


class Placed(NamedTuple):
    """A mention just triaged, as clustering reads it (the triage pass has it in memory)."""

    id: int
    text: str
    raw: Any
    posted_at: datetime
    case_id: int | None
    scenario: str | None  # its case's, once the batch is placed


class Assigned(NamedTuple):
    """What `assign` decided: the cluster id of each mention that joined one, and the
    signature and band rows of the batch's mentions (`store_signatures`)."""

    ids: dict[int, int]
    signatures: list[dict[str, Any]]
    bands: list[dict[str, Any]]


NONE = Assigned({}, [], [])


def sign(mentions: Sequence[Any]) -> dict[int, signatures.Signature | None]:
    """The signature of each mention (by id), for `assign`: pure CPU, so the triage pass
    computes them before it takes the brand's lock. Empty if that fails (`assign` then
    signs them itself, within its own failure handling)."""
    try:
        return {m.id: signatures.signature(m.text, m.raw) for m in mentions}
    except Exception:
        log.exception("signing %d mentions failed", len(mentions))
        return {}


def assign(
    *,
    session: Session,
    brand: Any,
    mentions: Sequence[Placed],
    now: datetime,
    signed: dict[int, signatures.Signature | None] | None = None,
) -> Assigned:
    """Cluster a brand's just-triaged mentions; returns the cluster id of each of them that
    joined one, for the caller to write with the rest of the mention's row (the triage pass
    writes each mention row once), and their signatures, which the caller stores once those
    rows are written (`store_signatures`: they refer to them). No commit. `signed`: their
    signatures computed beforehand (`sign`).

    The caller holds the brand's grouping lock (the triage pass does). Clustering is a help,
    not a gate: if it fails, the mentions stay triaged and placed, alone."""
    if not mentions:
        return NONE
    try:
        with savepoints.isolated(session):
            return _assign(session, brand, sorted(mentions, key=lambda m: m.id), now, signed)
    except Exception:
        if not savepoints.absorbs(session):
            raise  # a one-shot push: tried again with the savepoint
        log.exception("clustering of %d mentions of brand %s failed", len(mentions), brand.id)
        return NONE


def store_signatures(session: Session, assigned: Assigned) -> None:
    """The batch's signatures and their band keys (once its mention rows are written)."""
    bulk.append_rows(session, ClusterSignature.__table__, assigned.signatures)  # type: ignore[attr-defined]
    bulk.append_rows(session, ClusterBand.__table__, assigned.bands)  # type: ignore[attr-defined]


def _assign(
    session: Session,
    brand: Any,
    rows: Sequence[Placed],
    now: datetime,
    signed: dict[int, signatures.Signature | None] | None,
) -> Assigned:
    signed = signed or {}
    sigs = [
        (row, signed[row.id] if row.id in signed else signatures.signature(row.text, row.raw))
        for row in rows
    ]
    keys = {key for _, sig in sigs if sig is not None for key in sig.bands}
    if not keys:
        return NONE
    hours = int((brand.settings or {}).get("cluster_window_hours", DEFAULT_WINDOW_HOURS))
    index, stored = _load_candidates(session, brand.id, keys, now - timedelta(hours=hours))
    # Every MinHash the batch can compare with, one row each: the stored candidates', then the
    # batch's own (an entry's `row`); a mention is compared with all its candidates at once.
    matrix = np.vstack([stored, *(sig.minhash for _, sig in sigs if sig is not None)])
    batch_rows = iter(range(len(stored), len(matrix)))
    new_clusters: list[_NewCluster] = []
    joined: dict[int, Any] = {}  # mention id → cluster id or _NewCluster
    founders_stored: dict[int, _NewCluster] = {}  # stored lone signatures now in a cluster
    to_store: list[tuple[Any, signatures.Signature, Any]] = []
    grown: dict[int, list[Any]] = {}  # existing cluster id → rows that joined it
    for row, sig in sigs:
        if sig is None:
            continue
        own_row = next(batch_rows)
        entries = [
            e
            for e in {id(e): e for key in sig.bands for e in index.get(key, ())}.values()
            if e.mention_id != row.id
        ]
        found = signatures.best_of(
            sig, entries, matrix[[e.row for e in entries]], [e.links for e in entries]
        )
        cluster: Any = None
        score = 0.0
        if found is not None:
            entry, score = found
            if entry.cluster is None:
                # Alone until now: the earlier mention founds the cluster.
                cluster = _NewCluster(entry.mention_id, "", row.scenario, now)
                new_clusters.append(cluster)
                entry.cluster = cluster
                joined[entry.mention_id] = cluster
                if entry.stored:
                    founders_stored[entry.mention_id] = cluster
            else:
                cluster = entry.cluster
            joined[row.id] = cluster
            if isinstance(cluster, int):
                grown.setdefault(cluster, []).append(row)
        if found is None or score < signatures.COVERED:
            entry = _Entry(row.id, own_row, sig.links, cluster, stored=False)
            for key in sig.bands:
                index.setdefault(key, []).append(entry)
            to_store.append((row, sig, entry))
    _write(session, brand.id, rows, new_clusters, joined, founders_stored, grown, now)
    ours = {row.id for row in rows}
    return Assigned(
        {m: _cluster_id(c) for m, c in joined.items() if m in ours},  # type: ignore[misc]
        [
            {
                "mention_id": row.id,
                "brand_id": brand.id,
                "cluster_id": _cluster_id(entry.cluster),
                "posted_at": row.posted_at,
                "minhash": sig.to_bytes(),
            }
            for row, sig, entry in to_store
        ],
        [
            {"brand_id": brand.id, "band": key, "mention_id": row.id, "is_link": key in sig.links}
            for row, sig, _ in to_store
            for key in dict.fromkeys(sig.bands)
        ],
    )


def _load_candidates(
    session: Session, brand_id: int, keys: set[int], since: datetime
) -> tuple[dict[int, list[_Entry]], np.ndarray]:
    """Stored signatures sharing a band key with the batch, within the window: the index
    (band key → entries, in mention order) and their MinHash values (one row per entry).

    On PostgreSQL one row per signature with its matching band keys aggregated
    (`statements.CANDIDATES_SQL`): a wave's candidates share many keys with the batch, and one
    row per key costs several times more to fetch."""
    connection = session.connection()
    # (mention id, cluster id, minhash, matching band keys, those of them that are links)
    found: list[tuple[int, int | None, bytes, list[int], list[int] | None]] = []
    if connection.dialect.name == "postgresql":
        # On the driver's cursor, in one fetch: a wave's batch reads a thousand candidates or
        # more, and SQLAlchemy's rows cost several times psycopg's own.
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(
                statements.CANDIDATES_SQL,
                {"brand": brand_id, "keys": bulk.array_param(sorted(keys)), "since": since},
            )
            found = cursor.fetchall()
    else:
        matched = (
            select(  # type: ignore[call-overload]
                ClusterSignature.mention_id,
                ClusterSignature.cluster_id,
                ClusterSignature.minhash,
                col(ClusterBand.band),
                col(ClusterBand.is_link),
            )
            .join(ClusterBand, col(ClusterSignature.mention_id) == col(ClusterBand.mention_id))
            .where(
                col(ClusterBand.brand_id) == brand_id,
                bulk.one_of(session, ClusterBand.band, keys),
                col(ClusterSignature.posted_at) >= since,
            )
            .order_by(col(ClusterSignature.mention_id))
        )
        by_mention: dict[int, tuple[int, int | None, bytes, list[int], list[int]]] = {}
        for mention_id, cluster_id, minhash, band, is_link in connection.execute(matched):
            got = by_mention.setdefault(mention_id, (mention_id, cluster_id, minhash, [], []))
            got[3].append(band)
            if is_link:
                got[4].append(band)
        found = list(by_mention.values())
    index: dict[int, list[_Entry]] = {}
    for n, (mention_id, cluster_id, _, bands, links) in enumerate(found):
        entry = _Entry(mention_id, n, frozenset(links or ()), cluster_id, stored=True)
        for band in bands:
            index.setdefault(band, []).append(entry)
    minhashes = signatures.matrix_from_bytes([minhash for _, _, minhash, _, _ in found])
    return index, minhashes


def _write(
    session: Session,
    brand_id: int,
    rows: Sequence[Any],
    new_clusters: list[_NewCluster],
    joined: dict[int, Any],
    founders_stored: dict[int, _NewCluster],
    grown: dict[int, list[Any]],
    now: datetime,
) -> None:
    by_id = {row.id: row for row in rows}
    founders = [c.founder for c in new_clusters if c.founder not in by_id]
    if founders:  # lone mentions of earlier batches: their text and time for the sample
        for mention_id, text, posted_at in session.exec(  # type: ignore[call-overload]
            select(Mention.id, Mention.text, Mention.posted_at).where(
                bulk.one_of(session, Mention.id, founders)
            )
        ):
            by_id.setdefault(mention_id, _Lone(mention_id or 0, text, posted_at))
    for mention_id, cluster in joined.items():
        if isinstance(cluster, _NewCluster):
            cluster.members.append(mention_id)
    values = []
    for cluster in new_clusters:
        founder = by_id[cluster.founder]
        times = [by_id[m].posted_at for m in cluster.members if m in by_id]
        values.append(
            {
                "brand_id": brand_id,
                "size": len(cluster.members),
                "scenario": cluster.scenario,
                "sample_mention_id": cluster.founder,
                "sample_text": (founder.text or "")[:300],
                "first_at": min(times, default=now),
                "last_at": max(times, default=now),
                "created_at": now,
            }
        )
    ids = bulk.insert_returning_ids(session, MentionCluster.__table__, values)  # type: ignore[attr-defined]
    for cluster, new_id in zip(new_clusters, ids, strict=True):
        cluster.id = new_id
    founded = [(m, c.id) for m, c in founders_stored.items()]
    growth = [
        {"cid": cid, "n": len(members), "last": max(m.posted_at for m in members)}
        for cid, members in grown.items()
    ]
    postgres = session.connection().dialect.name == "postgresql"
    if not postgres:
        # Core executemany statements: the ORM's bulk UPDATE costs more than the work here.
        if founded:
            session.execute(statements.SIGNATURE_CLUSTER, [{"m": m, "c": c} for m, c in founded])
        if growth:
            session.execute(queue_changes.declare(statements.CLUSTER_GROWN, [brand_id]), growth)
    if not joined:  # nothing founded or grown either: those mentions joined a cluster
        return
    # Earlier mentions (lone until now) marked here; this batch's are written by the caller.
    cases = {row.id: row.case_id for row in rows}
    earlier = [(m, _cluster_id(c)) for m, c in joined.items() if m not in cases]
    members = [(cases[m], _cluster_id(c)) for m, c in joined.items() if cases.get(m) is not None]
    if postgres:  # founders' signatures, growth, marks and folds in one statement
        queue_changes.note(session, brand_id)  # a text statement: the events do not see it
        session.execute(
            statements.CLUSTERING_WRITES,
            {
                **{
                    name: bulk.array_param([g[name] for g in growth])
                    for name in ("cid", "n", "last")
                },
                "sm": [m for m, _ in founded],
                "sc": [c for _, c in founded],
                "m": [m for m, _ in earlier],
                "c": [c for _, c in earlier],
                "k": [k for k, _ in members],
                "kc": [c for _, c in members],
            },
        )
        return
    if earlier:
        marks = queue_changes.declare(statements.MENTION_CLUSTER, [brand_id])
        session.execute(marks, [{"m": m, "c": c} for m, c in earlier])
    _fold_cases(session, brand_id, earlier, members)


@dataclass(slots=True)
class _Lone:
    id: int
    text: str
    posted_at: datetime


def _cluster_id(cluster: Any) -> int | None:
    return cluster.id if isinstance(cluster, _NewCluster) else cluster


def _fold_cases(
    session: Session,
    brand_id: int,
    earlier: list[tuple[int, Any]],
    members: list[tuple[int, Any]],
) -> None:
    """Fold the members' cases that match their cluster's scenario into its row: those of the
    `earlier` mentions (mention id, cluster id) and the batch's `members` (case id, cluster id).

    An outlier (another scenario, or S3+ whatever happens later: ``folded``) keeps its own row.
    """
    if earlier:
        case_of: dict[int, int] = dict(
            session.exec(  # type: ignore[call-overload,arg-type]
                select(Mention.id, Mention.case_id).where(
                    bulk.one_of(session, Mention.id, [m for m, _ in earlier])
                )
            ).all()
        )
        members = [(case_of[m], c) for m, c in earlier if case_of.get(m) is not None] + members
    if not members:
        return
    scenarios = dict(
        session.exec(  # type: ignore[call-overload]
            select(MentionCluster.id, MentionCluster.scenario).where(
                bulk.one_of(session, MentionCluster.id, {c for _, c in members})
            )
        ).all()
    )
    cases = {
        case_id: (scenario, current)
        for case_id, scenario, current in session.exec(  # type: ignore[call-overload]
            select(Case.id, Case.scenario, Case.cluster_id).where(
                bulk.one_of(session, Case.id, {k for k, _ in members})
            )
        ).all()
    }
    changes = {
        case_id: cluster_id
        for case_id, cluster_id in members
        if case_id in cases
        and cases[case_id][1] is None
        and cases[case_id][0] == scenarios.get(cluster_id)
    }
    if changes:
        folds = queue_changes.declare(statements.CASE_CLUSTER, [brand_id])
        session.execute(folds, [{"k": k, "c": v} for k, v in changes.items()])
