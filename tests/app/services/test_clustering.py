"""Clusters assigned at ingest: a wave across authors is one cluster, a threat in it an outlier."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from app.cli import main
from app.models import Case, Mention, MentionCluster
from tests.app.cluster_samples import WAVE, ingest_texts, publish_playbook
from tests.factories import make_brand

pytestmark = pytest.mark.db


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="rail", name="Rail Azur")
    publish_playbook(session, brand)
    return brand


def _mentions(session, brand):
    return list(
        session.exec(select(Mention).where(Mention.brand_id == brand.id).order_by(col(Mention.id)))
    )


def test_a_wave_across_batches_is_one_cluster_and_lone_mentions_stay_alone(session, rail):
    ingest_texts(session, rail, [WAVE, "Bonjour, à quelle heure part le premier train ?"])
    assert all(m.cluster_id is None for m in _mentions(session, rail))  # alone so far
    ingest_texts(
        session,
        rail,
        [
            "le TER de 8h12 lyon grenoble encore supprime, cest inadmissibleee remboursez nous",
            f"RT @jeanne: {WAVE}",
            WAVE,
        ],
    )
    ingest_texts(session, rail, [f"@SNCF {WAVE} !!!"])
    mentions = _mentions(session, rail)
    clustered = {m.cluster_id for m in mentions if m.cluster_id}
    assert len(clustered) == 1
    assert [m.cluster_id is not None for m in mentions] == [True, False, True, True, True, True]
    cluster = session.get(MentionCluster, clustered.pop())
    assert cluster.size == 5
    assert cluster.scenario == "suppression"
    # Every folded case carries the cluster (they show as one queue row).
    cases = session.exec(select(Case).where(col(Case.cluster_id) == cluster.id)).all()
    assert len(cases) == 5


def test_a_threat_inside_a_wave_keeps_its_own_case_and_severity(session, rail):
    ingest_texts(session, rail, [WAVE, WAVE, f"{WAVE} je vais vous tuer"])
    threat = _mentions(session, rail)[-1]
    assert threat.cluster_id is not None
    case = session.get(Case, threat.case_id)
    assert case.severity == "S4" and case.cluster_id is None  # an outlier, never folded


def test_mentions_list_json_gives_the_cluster_id(session, rail, app):
    ingest_texts(session, rail, [WAVE, WAVE, "Rien à voir : merci pour l'accueil"])
    result = app.test_cli_runner().invoke(main, ["mentions", "list", "--brand", "rail", "--json"])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["cluster_id"] for line in result.output.splitlines()]
    assert ids[0] is not None and ids[0] == ids[1]
    assert ids[2] is None


def test_a_clustering_failure_never_holds_back_triage(session, rail, monkeypatch):
    from app.services import signatures

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(signatures, "signature", broken)
    ingest_texts(session, rail, [WAVE, WAVE])
    mentions = _mentions(session, rail)
    assert [m.state for m in mentions] == ["triaged", "triaged"]
    assert all(m.case_id is not None and m.cluster_id is None for m in mentions)
