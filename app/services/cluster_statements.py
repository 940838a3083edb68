"""The statements clustering runs at ingest (``clusters``), built once at import.

Core statements for executemany where SQLite needs one execution per row; on PostgreSQL
plain text statements taking arrays (one execution whatever the number of rows, and no pass
of SQLAlchemy's type processing over their values).
"""

from __future__ import annotations

from sqlalchemy import bindparam, case, text, update

from app.models import Case, ClusterSignature, Mention, MentionCluster, UTCDateTime

_signature_table = ClusterSignature.__table__  # type: ignore[attr-defined]
_cluster_table = MentionCluster.__table__  # type: ignore[attr-defined]
_mention_table = Mention.__table__  # type: ignore[attr-defined]
_case_table = Case.__table__  # type: ignore[attr-defined]
_LAST = bindparam("last", type_=UTCDateTime())
SIGNATURE_CLUSTER = (
    update(_signature_table)
    .where(_signature_table.c.mention_id == bindparam("m"))
    .values(cluster_id=bindparam("c"))
)
CLUSTER_GROWN = (
    update(_cluster_table)
    .where(_cluster_table.c.id == bindparam("cid"))
    .values(
        size=_cluster_table.c.size + bindparam("n"),
        last_at=case(
            (_cluster_table.c.last_at < _LAST, _LAST),
            else_=_cluster_table.c.last_at,
        ),
    )
)
MENTION_CLUSTER = (
    update(_mention_table)
    .where(_mention_table.c.id == bindparam("m"))
    .values(cluster_id=bindparam("c"))
)
CASE_CLUSTER = (
    update(_case_table).where(_case_table.c.id == bindparam("k")).values(cluster_id=bindparam("c"))
)
# PostgreSQL: clustering's writes after the new clusters' insert, in one statement (one round
# trip per batch, four before): stored lone signatures that now found a cluster
# (`SIGNATURE_CLUSTER`), the clusters the batch grew (`CLUSTER_GROWN`), earlier mentions
# marked with the cluster they now found (the batch's own are written by the triage pass with
# the rest of their row, `grouping.BrandBatch.write_mentions`) and the members' cases folded
# (`clusters._fold_cases`): a case not in a cluster yet joins its member's cluster when they
# share the scenario (none on either side counts as the same). Each part writes other rows;
# the last reads mention_cluster's scenario, which `grown` leaves as it was.
CLUSTERING_WRITES = text(
    """
    WITH founded AS (
        UPDATE cluster_signature AS s SET cluster_id = v.c
        FROM unnest(CAST(:sm AS INTEGER[]), CAST(:sc AS INTEGER[])) AS v(m, c)
        WHERE s.mention_id = v.m
    ), grown AS (
        UPDATE mention_cluster AS k
        SET size = k.size + v.n,
            last_at = CASE WHEN k.last_at < v.last THEN v.last ELSE k.last_at END
        FROM unnest(
            CAST(:cid AS INTEGER[]), CAST(:n AS INTEGER[]),
            CAST(:last AS TIMESTAMP WITH TIME ZONE[])
        ) AS v(cid, n, last)
        WHERE k.id = v.cid
    ), marked AS (
        UPDATE mention AS m SET cluster_id = v.c
        FROM unnest(CAST(:m AS INTEGER[]), CAST(:c AS INTEGER[])) AS v(m, c)
        WHERE m.id = v.m
        RETURNING m.case_id, v.c
    ), members AS (
        SELECT case_id, c FROM marked
        UNION ALL
        SELECT * FROM unnest(CAST(:k AS INTEGER[]), CAST(:kc AS INTEGER[]))
    )
    UPDATE cases AS k SET cluster_id = members.c
    FROM members JOIN mention_cluster AS mc ON mc.id = members.c
    WHERE k.id = members.case_id
      AND k.cluster_id IS NULL
      AND k.scenario IS NOT DISTINCT FROM mc.scenario
    """
)


# A batch's candidates (`clusters._load_candidates`): the matching band rows aggregated per mention
# before the join, so that the sort and the aggregate carry narrow rows, not each one's
# MinHash; run on the driver's cursor (psycopg's placeholders), so that its rows reach Python
# as psycopg reads them, without SQLAlchemy's row objects and type processing over every key.
CANDIDATES_SQL = """
    SELECT s.mention_id, s.cluster_id, s.minhash, b.bands, b.links
    FROM (
        SELECT mention_id,
               array_agg(band) AS bands,
               array_agg(band) FILTER (WHERE is_link) AS links
        FROM cluster_band
        WHERE brand_id = %(brand)s AND band = ANY(CAST(%(keys)s AS BIGINT[]))
        GROUP BY mention_id
    ) AS b
    JOIN cluster_signature AS s ON s.mention_id = b.mention_id
    WHERE s.posted_at >= %(since)s
    ORDER BY s.mention_id
"""
