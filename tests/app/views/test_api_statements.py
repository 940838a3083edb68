"""What one pushed mention and one batch of 100 cost PostgreSQL: statements, COPY streams and
commits, counted with an engine listener (a deterministic figure, unlike a timing). Ceilings a
change must not exceed: each statement is a round trip every mention of a storm pays.

Before issue 11's work on them: 32 statements + 3 COPY + 2 commits for one mention (37), 61 + 7
COPY for a batch of 100. Then 28 and 54; one transaction per push (no claim, no second commit),
the brand read with the token and clustering fed by triage: 24 and 47. Then the mention rows
updated from unnest() in one statement, a batch's urgent escalations in one SELECT and one
INSERT (their audit events in the batch's COPY): 24 and 38. Then the push token read once every
few seconds per process (the brand read with each batch instead: the same 24 for a lone push,
one statement fewer per push that the group commit joins to others), and clustering's members
marked and their cases folded in one statement (three before), and new authors' namesakes (the
person they join) read with the known authors: 24 and 34. Then a push tried first without the
three savepoint pairs that isolate a failing triage step (the guarded run only after a
failure), the brand read with its live playbook's row (its text no longer read), authors and
persons read once, and the known mentions read with the new ids reserved: 14 and 24. Then
clustering's writes after a new cluster's insert (founders' signatures, grown clusters, marks,
folds) in one statement: a wave's push one or two statements fewer (same 14 and 24 here: these
mentions found no cluster of stored ones). Then a small batch's new rows (its mentions,
triages, audit events, signatures and band keys) written in one statement of chained inserts
instead of an INSERT and four COPY streams (each two round trips or more), and new persons
with their authors in one statement (their ids drawn in it): 11 and 23. Then the pushing
account checked again by each batch (a token revoked in another process refused at once, not
after the token cache's seconds): 12 and 24."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from app.models import Case, ClusterSignature, Mention, MentionCluster, Triage, utcnow
from app.services import bulk, table_statistics
from connectors.demo import load_stream
from tests.factories import make_rail_push_token

pytestmark = pytest.mark.db

LINES = list(load_stream("demo-rail"))
# Each with the brand's queue counter bumped once at commit (app/services/queue_changes.py): +1.
# Each with the pushing account checked once more in the batch's transaction, so that a token
# revoked in another process is refused at once (app/services/push_tokens.py): +1.
SINGLE_CEILING = 12  # statements for one new mention, COPY and commits included (12; 15 before)
BATCH_CEILING = 24  # the same for a batch of 100 new mentions (24 measured; 25, 34, 38, 47 before)
# A batch of 100 whose mentions all join open cases: one UPDATE for the cases (20 measured;
# 29 before the one-shot push and the reads above, 31 before clustering folded cases in one
# statement, 36 before the escalations were batched, 57 when the ORM flushed the cases one
# statement per run of cases with the same changed columns).
JOINING_CEILING = 21  # 20 before the account's check


@contextmanager
def counted(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement the engine runs meanwhile: COMMITs, and the COPY streams that
    `bulk.copy_rows` sends on the raw connection (the listener does not see them)."""
    seen: list[str] = []
    copy_rows = bulk.copy_rows

    def copy(session, table, rows) -> None:
        seen.append(f"COPY {table.name}")
        copy_rows(session, table, rows)

    monkeypatch.setattr(bulk, "copy_rows", copy)

    def statement(_conn, _cursor, sql, *_args) -> None:
        seen.append(" ".join(sql.split())[:110])

    def commit(_conn) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
        monkeypatch.setattr(bulk, "copy_rows", copy_rows)


@pytest.fixture
def token(session):
    return make_rail_push_token(session)


def _mention(n: int) -> dict:
    line = LINES[n % len(LINES)]
    return {
        "id": f"m-{n}",
        "text": f"{line['text']} ({n})",
        "author": {"id": f"a-{n % 37}", "handle": f"client_{n % 37}"},
        "created_at": f"2026-11-23T10:{n % 60:02d}:00Z",
        "channel": line["channel"],
        "thread_id": f"t-{n // 4}",
        "lang": "fr",
    }


def _push(client, token, payload):
    return client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


def test_one_pushed_mention_and_a_batch_of_100_stay_under_their_statement_ceilings(
    client, session, engine, token, monkeypatch
):
    if engine.dialect.name != "postgresql":
        pytest.skip("the ceilings are PostgreSQL's (COPY, one INSERT for many rows)")
    _push(client, token, [_mention(n) for n in range(1000, 1020)])  # warm: playbook, authors
    # Counted here: the pushes' own statements. The one-off ANALYZE of a fresh database runs
    # when PostgreSQL's live-row statistics (flushed asynchronously) pass a threshold, so it
    # fell inside one count or the other from run to run.
    monkeypatch.setattr(table_statistics, "analyse_if_never_done", lambda **_: False)
    with counted(engine, monkeypatch) as single:
        assert _push(client, token, _mention(1)).status_code == 202
    with counted(engine, monkeypatch) as batch:
        response = _push(client, token, [_mention(n) for n in range(2, 102)])
    assert response.status_code == 202 and response.get_json()["accepted"] == 100
    # What a user would notice is intact: every mention triaged once, in a case unless its
    # playbook action needs none (ignored, hidden), and the answer names that case.
    mentions = session.exec(select(func.count()).select_from(Mention)).one()
    triaged = session.exec(select(func.count()).select_from(Triage)).one()
    assert mentions == triaged == 121
    assert not session.exec(select(Mention).where(Mention.state != "triaged")).all()
    answered = {r["mention_id"]: r["case_id"] for r in response.get_json()["results"]}
    stored = dict(session.exec(select(Mention.id, Mention.case_id)).all())
    assert all(stored[m] == c for m, c in answered.items())
    assert sum(c is not None for c in answered.values()) > 50
    assert session.exec(select(func.count()).select_from(Case)).one() > 0
    assert len(single) <= SINGLE_CEILING, single
    # A small batch's rows go in as one statement: no COPY stream, one insert of mentions.
    assert not [s for s in single if s.startswith("COPY")], single
    assert sum(s.startswith('WITH m AS (INSERT INTO "mention"') for s in single) == 1, single
    assert len(batch) <= BATCH_CEILING, batch


def test_a_batch_joining_open_cases_writes_them_in_one_statement(
    client, session, engine, token, monkeypatch
):
    if engine.dialect.name != "postgresql":
        pytest.skip("the ceilings are PostgreSQL's (COPY, one INSERT for many rows)")
    assert _push(client, token, [_mention(n) for n in range(200)]).status_code == 202
    # The same threads again, other texts: every mention joins a case opened by the first
    # batch, some make it more serious or urgent (cases change in different columns).
    again = [
        {**_mention(n + 7), "id": f"again-{n}", "thread_id": f"t-{n // 4}"}
        for n in range(0, 200, 2)
    ]
    # Counted here: the cases' writes, not the one-off ANALYZE of a fresh database.
    monkeypatch.setattr(table_statistics, "analyse_if_never_done", lambda **_: False)
    with counted(engine, monkeypatch) as batch:
        response = _push(client, token, again)
    assert response.get_json()["accepted"] == 100
    answered = {r["case_id"] for r in response.get_json()["results"]} - {None}
    cases = session.exec(select(Case).where(col(Case.id).in_(answered))).all()
    assert len(cases) >= 20 and all(c.mention_count >= 2 for c in cases)
    assert len(batch) <= JOINING_CEILING, batch


def test_a_new_authors_push_reads_no_history(client, session, engine, token, monkeypatch):
    """A person created by the push itself has no past mentions: triage reads no history for
    them (one statement fewer for the first push of every new author)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("statement counts are PostgreSQL's")
    _push(client, token, [_mention(n) for n in range(1000, 1020)])  # warm: playbook, authors
    with counted(engine, monkeypatch) as known:
        assert _push(client, token, _mention(1)).status_code == 202
    new = {**_mention(2), "author": {"id": "first-time", "handle": "first_time_here"}}
    with counted(engine, monkeypatch) as first:
        assert _push(client, token, new).status_code == 202
    assert any(s.startswith("SELECT triage.") for s in known), known
    assert not any(s.startswith("SELECT triage.") for s in first), first
    # Its person and its author inserted in one statement, no history read (one fewer).
    assert len(first) == len(known), (known, first)


def test_a_wave_push_writes_its_clustering_in_one_statement(
    client, session, engine, token, monkeypatch
):
    """The second mention of a wave founds its cluster with the stored first one (that one's
    signature and row marked), the third grows it: clustering writes all that in one
    statement after inserting a new cluster (founding 3 statements before, growing 2)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("statement counts are PostgreSQL's")
    wave = "Le TER de 8h12 Lyon-Grenoble est encore supprimé, c'est inadmissible, remboursez-nous"

    def wave_mention(n: int) -> dict:
        posted = (utcnow() - timedelta(minutes=5 - n)).isoformat()  # within the window
        return {
            **_mention(n),
            "text": f"{wave} {'!' * n}",
            "thread_id": f"wave-{n}",
            "created_at": posted,
        }

    _push(client, token, [_mention(n) for n in range(1000, 1020)])  # warm: playbook, authors
    assert _push(client, token, wave_mention(1)).status_code == 202
    pushes = []
    for n in (2, 3):
        with counted(engine, monkeypatch) as seen:
            assert _push(client, token, wave_mention(n)).status_code == 202
        pushes.append(seen)
    for seen in pushes:  # founding, then growing: one statement for all of clustering's writes
        assert sum(s.startswith("WITH founded AS") for s in seen) == 1, seen
        separate = ("UPDATE mention_cluster", "UPDATE cluster_signature", "WITH marked")
        assert not [s for s in seen if s.startswith(separate)], seen
    session.expire_all()
    members = session.exec(select(Mention).where(Mention.text.startswith(wave))).all()
    assert len(members) == 3 and len({m.cluster_id for m in members}) == 1
    cluster = session.get(MentionCluster, members[0].cluster_id)
    first = next(m.id for m in members if m.external_id == "m-1")
    assert cluster is not None and cluster.size == 3 and cluster.sample_mention_id == first
    signature = session.get(ClusterSignature, first)
    assert signature is not None and signature.cluster_id == cluster.id
