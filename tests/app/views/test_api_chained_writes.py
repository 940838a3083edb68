"""A small push's new rows written in one statement (app/services/chained_writes.py) are the
rows the separate inserts and COPY streams write: the same push, chained or not, leaves the
same mentions, triages, audit events, signatures and band keys."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.models import AuditEvent, ClusterBand, ClusterSignature, Mention, Triage
from app.services import chained_writes
from tests.factories import make_rail_push_token

pytestmark = pytest.mark.db

TEXTS = [
    "Mon TER de 7h est encore annulé, remboursez-moi",
    "Merci pour l'accueil en gare ce matin",
    "Contrôleur très désagréable, je veux porter plainte",
]


def _push(client, token, prefix: str):
    payload = [
        {
            "id": f"{prefix}-{n}",
            "text": text,
            "author": {"id": f"{prefix}-a{n}", "handle": f"{prefix}_client_{n}"},
            "created_at": f"2026-11-23T10:0{n}:00Z",
            "channel": "twitter",
            "thread_id": f"{prefix}-t{n}",
            "lang": "fr",
        }
        for n, text in enumerate(TEXTS)
    ]
    response = client.post(
        "/api/v1/mentions",
        data=json.dumps(payload),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 202 and response.get_json()["accepted"] == len(TEXTS)


def _stored(session, prefix: str) -> list[tuple]:
    """What each mention of the push left, by its text (ids and times left out)."""
    rows = []
    for mention in session.exec(select(Mention).where(Mention.external_id.startswith(prefix))):
        triage = session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()
        events = session.exec(
            select(AuditEvent.action, AuditEvent.after).where(
                AuditEvent.target_type == "mention", AuditEvent.target_id == mention.id
            )
        ).all()
        signature = session.get(ClusterSignature, mention.id)
        bands = session.exec(select(ClusterBand).where(ClusterBand.mention_id == mention.id)).all()
        rows.append(
            (
                mention.text,
                mention.state,
                mention.case_id is not None,
                mention.sentiment,
                (triage.severity, triage.action, triage.scenarios, triage.evidence),
                sorted(map(str, events)),
                signature is not None and signature.minhash,
                sorted((b.band, b.is_link) for b in bands),
            )
        )
    return sorted(rows)


def test_a_small_push_chained_or_not_stores_the_same_rows(client, session, engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("the chained statement is PostgreSQL's")
    token = make_rail_push_token(session)
    _push(client, token, "chained")
    monkeypatch.setattr(chained_writes, "SMALL_BATCH", 0)  # every batch written as before
    _push(client, token, "apart")
    session.expire_all()
    chained, apart = _stored(session, "chained"), _stored(session, "apart")
    assert len(chained) == len(TEXTS) and all(row[1] == "triaged" for row in chained)
    assert chained == apart
