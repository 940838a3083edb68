"""Where a wave shows up besides its own page (issue 16): a case links to its cluster, and a
crisis report lists the clusters that grew during the crisis, with how many were answered."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Case, CrisisPeriod, Mention, Reply, Wave, utcnow
from app.services import crisis_report
from tests.app.views.test_cluster_pages import cm, rail, storm  # noqa: F401  (fixtures)
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.db


def _cases(session, cluster):
    mentions = session.exec(select(Mention).where(Mention.cluster_id == cluster.id)).all()
    return {m.text: session.get(Case, m.case_id) for m in mentions}


def test_a_case_of_the_wave_links_to_its_cluster(client, session, storm, cm):  # noqa: F811
    cases = _cases(session, storm)
    folded = next(c for text, c in cases.items() if "escrocs" not in text)
    page = client.get(f"/cases/{folded.id}").get_data(as_text=True)
    link = page.split('data-testid="case-cluster"')[1].split("</p>")[0]
    assert "Fait partie de la vague" in link and f'href="/clusters/{storm.id}"' in link
    assert "6 mentions" in link
    # The insult inside the wave keeps its own case, and says where it comes from.
    outlier = next(c for text, c in cases.items() if "escrocs" in text)
    page = client.get(f"/cases/{outlier.id}").get_data(as_text=True)
    link = page.split('data-testid="case-cluster"')[1].split("</p>")[0]
    assert "Une mention de ce cas fait partie de la vague" in link and "traité à part" in link
    assert f'href="/clusters/{storm.id}"' in link


def test_a_lone_case_shows_no_cluster(client, session, storm, cm):  # noqa: F811
    lone = session.exec(select(Mention).where(Mention.cluster_id.is_(None))).one()
    page = client.get(f"/cases/{lone.case_id}").get_data(as_text=True)
    assert 'data-testid="case-cluster"' not in page


def test_the_crisis_report_lists_the_clusters_of_the_crisis(client, session, rail, storm):  # noqa: F811
    lead = make_user(session, rail, role="lead", email="lead@example.test")
    period = CrisisPeriod(
        brand_id=rail.id, reason="Grève", started_at=utcnow() - timedelta(hours=1)
    )
    session.add(period)
    answered = session.exec(select(Mention).where(Mention.cluster_id == storm.id)).first()
    session.add(
        Reply(
            brand_id=rail.id,
            case_id=answered.case_id,
            mention_id=answered.id,
            text="Bonjour, nous sommes désolés.",
            outbox_state="sent",
            sent_at=utcnow(),
            idempotency_key=uuid.uuid4().hex,
        )
    )
    session.add(Wave(brand_id=rail.id, cluster_id=storm.id, body="Bonjour", created_by_id=lead.id))
    session.commit()

    data = crisis_report.build(session=session, period=period)
    (line,) = data.clusters
    assert (line.cluster.id, line.during, line.answered, line.waves) == (storm.id, 6, 1, 1)
    assert line.cluster.scenario == "suppression" and line.per_hour >= 6
    assert crisis_report.as_dict(data)["clusters"][0]["answered"] == 1

    # A crisis switched on just after the storm still reports it (the storm led to it).
    later = CrisisPeriod(brand_id=rail.id, reason="Suite", started_at=utcnow())
    (line,) = crisis_report.build(session=session, period=later).clusters
    assert (line.cluster.id, line.during) == (storm.id, 6)

    login(client, "lead@example.test")
    html = client.get(f"/crisis/report/{period.id}").get_data(as_text=True)
    table = html.split('data-testid="report-clusters"')[1].split("</table>")[0]
    assert f'href="/clusters/{storm.id}"' in table and "TER de 8h12" in table
    assert "suppression" in table
    assert "Chronologie" in html  # the other parts of the report
    for figure in ("report-mentions", "report-replies", "report-hidden", "report-playbooks"):
        assert f'data-testid="{figure}"' in html
    assert 'data-testid="report-replies">1<' in html


def test_a_report_before_any_wave_says_so(client, session, rail):  # noqa: F811
    make_user(session, rail, role="lead", email="lead@example.test")
    period = CrisisPeriod(brand_id=rail.id, reason="Panne", started_at=utcnow())
    session.add(period)
    session.commit()
    login(client, "lead@example.test")
    html = client.get(f"/crisis/report/{period.id}").get_data(as_text=True)
    assert "Aucune vague de mentions semblables pendant" in html
