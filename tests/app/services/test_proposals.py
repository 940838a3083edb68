"""Proposals from corrections end to end: worker job, figures, accept into a draft, isolation,
CLI JSON, and two workers on the same brand's job (issue 18, parts 1 and 3)."""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import Session, select

import playbooks
from app.cli import main
from app.models import AuditEvent, Playbook, ProposalJob
from app.services import proposal_jobs
from tests.app.proposal_samples import corrected_brand
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def _computed(engine, session, brand) -> ProposalJob:
    proposal_jobs.request(session, brand, None)
    session.commit()
    assert proposal_jobs.run_pending(engine, "test-worker") == 1
    session.expire_all()
    job = proposal_jobs.latest(session, brand.id)
    assert job is not None and job.state == "done", job and job.error
    return job


def test_corrections_become_a_lexicon_term_and_an_exception_with_figures(engine, session):
    brand = make_brand(session)
    corrected_brand(session, brand)
    job = _computed(engine, session, brand)
    by_kind = {p["kind"]: p for p in job.result}
    term = by_kind["add_term"]
    assert (term["scenario"], term["lexicon"], term["term"]) == ("retard", "retard", "panne")
    assert term["corrections"] == 4 and term["fixes"] == 4
    after, before = term["backtest"]["after"], term["backtest"]["before"]
    assert after["agreement"] > before["agreement"]
    exception = by_kind["add_exception"]
    assert exception["scenario"] == "insulte" and exception["fixes"] == 3
    assert "cons" in exception["term"] or "diner" in exception["term"]
    for p in job.result:  # every edit loads, comments kept
        playbooks.load_playbook(p["source"], source="proposal")
        assert "# Ce commentaire doit survivre" in p["source"]
    assert job.progress == 100


def test_accepting_makes_a_draft_and_never_publishes(app, client, engine, session):
    brand = make_brand(session)
    corrected_brand(session, brand)
    job = _computed(engine, session, brand)
    make_user(session, brand, role="playbook_editor", email="ed@example.test")
    login(client, "ed@example.test")
    html = client.get(f"/playbooks/proposals?brand_id={brand.id}").get_data(as_text=True)
    assert "Ajouter « panne » au lexique retard." in html
    proposal = next(p for p in job.result if p["kind"] == "add_term")
    response = post(
        client,
        f"/playbooks/proposals/accept?brand_id={brand.id}",
        {"job_id": job.id, "proposal_id": proposal["id"]},
    )
    assert response.status_code == 302
    session.expire_all()
    rows = session.exec(select(Playbook).where(Playbook.brand_id == brand.id)).all()
    published = [r for r in rows if r.status == "published"]
    drafts = [r for r in rows if r.status == "draft"]
    assert len(published) == 1 and published[0].number == 1  # still the old version
    assert len(drafts) == 1 and drafts[0].source == proposal["source"]
    assert session.exec(
        select(AuditEvent).where(AuditEvent.action == "playbook.proposal_accepted")
    ).first()
    # A second proposal of the same computation would undo the first: recompute first.
    other = next(p for p in job.result if p["kind"] == "add_exception")
    again = post(
        client,
        f"/playbooks/proposals/accept?brand_id={brand.id}",
        {"job_id": job.id, "proposal_id": other["id"]},
        follow_redirects=True,
    )
    assert "Le playbook a changé depuis le calcul" in again.get_data(as_text=True)
    session.expire_all()
    assert len(session.exec(select(Playbook).where(Playbook.brand_id == brand.id)).all()) == 2


def test_another_brands_editor_sees_and_accepts_nothing(client, engine, session):
    brand, other = make_brand(session), make_brand(session)
    corrected_brand(session, brand)
    job = _computed(engine, session, brand)
    make_user(session, other, role="playbook_editor", email="other@example.test")
    login(client, "other@example.test")
    assert client.get(f"/playbooks/proposals?brand_id={brand.id}").status_code == 404
    # Their own brand's page does not show the first brand's job either.
    html = client.get(f"/playbooks/proposals?brand_id={other.id}").get_data(as_text=True)
    assert "panne" not in html
    response = post(
        client,
        f"/playbooks/proposals/accept?brand_id={other.id}",
        {"job_id": job.id, "proposal_id": job.result[0]["id"]},
    )
    assert response.status_code == 404
    assert post(client, f"/playbooks/proposals/compute?brand_id={brand.id}").status_code == 404
    session.expire_all()
    assert len(session.exec(select(Playbook).where(Playbook.brand_id == brand.id)).all()) == 1


def test_the_page_queues_a_job_and_shows_its_progress(client, session):
    brand = make_brand(session)
    make_user(session, brand, role="playbook_editor", email="q@example.test")
    login(client, "q@example.test")
    assert post(client, f"/playbooks/proposals/compute?brand_id={brand.id}").status_code == 302
    assert post(client, f"/playbooks/proposals/compute?brand_id={brand.id}").status_code == 302
    session.expire_all()
    jobs = session.exec(select(ProposalJob).where(ProposalJob.brand_id == brand.id)).all()
    assert len(jobs) == 1 and jobs[0].state == "queued"  # the second click joined the first
    html = client.get(f"/playbooks/proposals?brand_id={brand.id}").get_data(as_text=True)
    assert "<progress" in html and "En attente d'un worker" in html
    assert client.get("/playbooks/proposals?brand_id=abc").status_code == 404


def test_cli_prints_proposals_as_json_computing_them_when_none(app, session):
    brand = make_brand(session, slug="rail-cli")
    corrected_brand(session, brand)
    result = app.test_cli_runner().invoke(
        main, ["playbook", "proposals", "--brand", "rail-cli", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    kinds = {p["kind"] for p in data["proposals"]}
    assert {"add_term", "add_exception"} <= kinds
    first = data["proposals"][0]
    assert {"fixes", "corrections", "other_changes", "backtest"} <= set(first)
    assert "source" not in first
    bad = app.test_cli_runner().invoke(main, ["playbook", "proposals", "--brand", "nope"])
    assert bad.exit_code != 0 and "unknown brand" in bad.output


def test_two_workers_on_the_same_brand_make_one_job_result(engine, session):
    brand = make_brand(session)
    corrected_brand(session, brand)
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []
    wrote: list[int] = []

    def worker(name: str) -> None:
        try:
            with Session(engine) as s:  # both ask, then both try to compute
                proposal_jobs.request(s, s.merge(brand), None)
                s.commit()
            barrier.wait()
            wrote.append(proposal_jobs.run_pending(engine, name))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sorted(wrote) == [0, 1]
    session.expire_all()
    jobs = session.exec(select(ProposalJob).where(ProposalJob.brand_id == brand.id)).all()
    assert len(jobs) == 1 and jobs[0].state == "done" and jobs[0].result


MODEL_PLAYBOOK = """format: 1
name: Test
scenarios:
  - id: insulte_modele
    label: Insulte (modèle)
    severity: S3
    when: {model: {insult: ">= 0.999"}}  # trop strict pour cette marque
"""
INSULTS = [
    "bande de cons incapables",
    "sale abruti de contrôleur",
    "espèce de connard tu sers à rien",
    "bande d'abrutis, vous êtes des incapables",
    "quel connard ce contrôleur",
]


def test_reviewers_who_keep_naming_the_model_scenario_get_a_calibrated_threshold(
    engine, session, monkeypatch
):
    from app.services import content
    from playbooks.scorer import runtime
    from playbooks.scorer.held import HeldScorer
    from tests.app.proposal_samples import add, correct

    # The scorer reads these insults at 0.9 (held: a retrained model moves real scores, and
    # this test is about the proposal, not the weights): 0.999 is too strict for this brand.
    held = HeldScorer(runtime.get_scorer(), {"insult": 0.9})
    monkeypatch.setattr(runtime, "_SCORER", held)
    brand = make_brand(session)
    content.save_playbook(
        session=session, brand=brand, source=MODEL_PLAYBOOK, actor=None, publish=True
    )
    for i, text in enumerate(INSULTS * 2):
        correct(session, add(session, brand, text, [], "S1", i), "S3", ["insulte_modele"])
    session.commit()
    job = _computed(engine, session, brand)
    calibration = next(p for p in job.result if p["kind"] == "threshold")
    assert calibration["label"] == "insult" and calibration["old_threshold"] == 0.999
    assert calibration["new_threshold"] < 0.99
    assert calibration["calibration"]["after"] > calibration["calibration"]["before"]
    assert calibration["fixes"] > 0
    assert "# trop strict pour cette marque" in calibration["source"]  # edited in place
    after = calibration["backtest"]["after"]["agreement"]
    assert after > calibration["backtest"]["before"]["agreement"]
    # Shown, never applied: the published version is still the strict one.
    session.expire_all()
    live = content.published_playbook(session=session, brand_id=brand.id)
    assert live is not None and '">= 0.999"' in live[0].source


def test_the_progress_fragment_refreshes_the_page_once_the_worker_is_done(client, engine, session):
    brand = make_brand(session)
    corrected_brand(session, brand)
    make_user(session, brand, role="playbook_editor", email="bar@example.test")
    login(client, "bar@example.test")
    post(client, f"/playbooks/proposals/compute?brand_id={brand.id}")
    running = client.get(f"/playbooks/proposals/progress?brand_id={brand.id}")
    assert b"<progress" in running.data and "HX-Refresh" not in running.headers
    proposal_jobs.run_pending(engine, "test-worker")
    done = client.get(f"/playbooks/proposals/progress?brand_id={brand.id}")
    assert done.headers.get("HX-Refresh") == "true"
    html = client.get(f"/playbooks/proposals?brand_id={brand.id}").get_data(as_text=True)
    assert html.count('data-testid="proposal"') >= 2 and "Accepter dans un brouillon" in html
