"""`vigie demo --storm`: a storm on a seeded instance through the ordinary ingest path."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from app.cli import main
from app.models import AuditEvent, Mention, Notification, SpikeAlert, Triage

pytestmark = pytest.mark.db


def test_demo_storm_seeds_if_needed_then_storms_the_brand(app, session):
    runner = app.test_cli_runner()
    refused = runner.invoke(main, ["demo", "--storm", "--brand", "nope", "--minutes", "0"])
    assert refused.exit_code == 2 and "No brand 'nope'" in refused.output
    result = runner.invoke(main, ["demo", "--storm", "--brand", "demo-shop", "--minutes", "0"])
    assert result.exit_code == 0, result.output
    assert "60 stored" in result.output
    session.expire_all()
    # The storm's mentions (the demo's seeded history has its own, "hist-" ones).
    storm = select(Mention).where(col(Mention.external_id).not_like("hist-%"))
    assert len(session.exec(storm).all()) == 60
    alert = session.exec(select(SpikeAlert)).one()
    assert alert.kind == "volume"
    assert session.exec(select(Notification).where(Notification.kind == "spike")).all()
    # The threat hidden in the wave keeps its own urgent triage.
    assert len(session.exec(select(Triage).where(Triage.severity == "S4")).all()) == 1
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "demo.storm_started")).all()
