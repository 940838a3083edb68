"""Onboarding a brand from its history through the wizard (issue 18, part 7): each step, leave
and resume, the owner's approval in the portal, imports in the worker that alert nobody, other
brands kept out, bad input refused with a clear 4xx, and two workers on one import job."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from app.models import (
    AuditEvent,
    CannedReply,
    Case,
    HistoryImport,
    Mention,
    Notification,
    Onboarding,
    Playbook,
    PlaybookReview,
    Triage,
    utcnow,
)
from app.security.secrets_box import SecretsBox
from app.services import history_import, triage
from tests.conftest import TEST_ENCRYPTION_KEY, login, post
from tests.factories import account_for, make_brand, make_user

pytestmark = pytest.mark.db
BOX = SecretsBox(TEST_ENCRYPTION_KEY)


def _csv(lines: list[str]) -> bytes:
    return ("\ufeffdate;platform;author;text;id\n" + "\n".join(lines) + "\n").encode()


def _history(n: int = 3) -> bytes:
    day = (utcnow() - timedelta(days=5)).strftime("%Y-%m-%d")
    rows = [
        f"{day} 10:00;x;@lea;Ma carte est bloquée depuis ce matin, impossible de payer;a1",
        f"{day} 11:00;facebook;Paul M.;Je vais venir à votre agence avec un couteau;a2",
        f'{day} 12:00;instagram;@zoe;"Merci à ma conseillère,\ntrès efficace !";a3',
    ]
    rows += [f"{day} 13:{i:02d};x;@u{i};Quels sont vos horaires ?;b{i}" for i in range(n - 3)]
    return _csv(rows)


def _upload(client, brand, data: bytes, name: str = "historique.csv"):
    return post(
        client,
        f"/onboarding/{brand.id}/import/csv",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def people(session):
    brand = make_brand(session, slug="banque", name="Banque Test")
    return brand, {
        "editor": make_user(session, brand, role="playbook_editor", email="ed@banque.test"),
        "owner": make_user(session, brand, role="brand_owner", email="owner@banque.test"),
        "lead": make_user(session, brand, role="lead", email="lead@banque.test"),
    }


def _started(client, brand, sector: str = "bank"):
    login(client, "ed@banque.test")
    assert post(client, f"/onboarding/{brand.id}/start").status_code == 302
    assert post(client, f"/onboarding/{brand.id}/template", {"sector": sector}).status_code == 302


def _onboarding(session, brand) -> Onboarding:
    session.expire_all()
    return session.exec(select(Onboarding).where(Onboarding.brand_id == brand.id)).one()


def test_the_wizard_goes_from_a_template_to_a_playbook_the_owner_approved(
    client, engine, session, people
):
    brand, _users = people
    login(client, "ed@banque.test")
    index = client.get("/onboarding").get_data(as_text=True)
    assert "Banque Test" in index and "Pas commencé" in index
    post(client, f"/onboarding/{brand.id}/start")
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "Banque, assurance" in page and "Service public" in page
    post(client, f"/onboarding/{brand.id}/template", {"sector": "bank"})
    ob = _onboarding(session, brand)
    draft = session.get(Playbook, ob.playbook_id)
    assert (ob.step, ob.sector, draft.status) == ("history", "bank", "draft")
    assert "brand: banque" in draft.source and "fraude" in draft.source

    # Step 2: the file is checked whole, queued, imported by the worker with a progress bar.
    assert _upload(client, brand, _history(5)).status_code == 302
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "<progress" in page and 'hx-get="/onboarding/' in page
    fragment = client.get(f"/onboarding/{brand.id}/import/progress")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment.headers
    assert history_import.run_pending(engine, "worker-1", BOX) == 1
    assert "HX-Refresh" in client.get(f"/onboarding/{brand.id}/import/progress").headers
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "Import terminé : 5 mention(s) importée(s), 0 déjà présente(s)." in page

    # History is history: nothing to triage, no case, no deadline, nobody told.
    mentions = session.exec(select(Mention).where(Mention.brand_id == brand.id)).all()
    assert len(mentions) == 5 and {m.state for m in mentions} == {"history"}
    assert {m.channel for m in mentions} == {"x", "facebook", "instagram"}
    assert "Merci à ma conseillère,\ntrès efficace !" in {m.text for m in mentions}
    assert triage.triage_pending(session=session) == 0
    session.commit()
    assert session.exec(select(func.count()).select_from(Case)).one() == 0
    assert session.exec(select(func.count()).select_from(Triage)).one() == 0
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0

    # Step 3: the template replayed on the history.
    post(client, f"/onboarding/{brand.id}/history/done")
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert 'data-testid="onboarding-backtest"' in page
    assert "5 mention(s) rejouée(s) avec le brouillon." in page
    assert '<td data-testid="severity-S4">1</td>' in page  # the threat
    assert "Iraient à la marque (son approbation ou une escalade) : 1" in page
    post(client, f"/onboarding/{brand.id}/backtest/done")

    # Step 4: proposed to the owner — the editor may not approve it, nor may a lead.
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "nuit-fraude" in page and "Proposer au responsable de la marque" in page
    post(client, f"/onboarding/{brand.id}/propose", {"comment": "Voici notre délégation"})
    review = session.exec(select(PlaybookReview).where(PlaybookReview.brand_id == brand.id)).one()
    assert review.needs_brand and review.state == "pending"
    post(client, f"/playbook-reviews/{review.id}/approve")  # refused: their own change
    session.expire_all()
    assert session.get(PlaybookReview, review.id).state == "pending"

    # Step 5: starter replies, while the owner decides.
    post(
        client,
        f"/onboarding/{brand.id}/replies",
        {"reply": ["bank.fraude.opposition", "bank.carte.bloquee"]},
    )
    replies = session.exec(select(CannedReply).where(CannedReply.brand_id == brand.id)).all()
    assert {r.key for r in replies} == {"bank.fraude.opposition", "bank.carte.bloquee"}
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "En attente de l'approbation du responsable de la marque" in page
    assert _onboarding(session, brand).step == "replies"

    # The owner approves in the portal; the wizard is then done, the playbook published.
    post(client, "/logout")
    login(client, "owner@banque.test")
    portal = client.get(f"/portal?brand={brand.id}").get_data(as_text=True)
    assert 'data-testid="portal-playbook-reviews"' in portal
    post(client, f"/playbook-reviews/{review.id}/approve", {"comment": "Délégation validée"})
    post(client, "/logout")
    login(client, "ed@banque.test")
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert 'data-testid="onboarding-done"' in page
    session.expire_all()
    assert session.get(Playbook, draft.id).status == "published"
    actions = set(
        session.exec(select(AuditEvent.action).where(AuditEvent.brand_id == brand.id)).all()
    )
    assert {
        "onboarding.started",
        "onboarding.template_chosen",
        "onboarding.import_requested",
        "onboarding.imported",
        "onboarding.history_done",
        "onboarding.backtested",
        "onboarding.proposed",
        "onboarding.replies_installed",
        "onboarding.done",
        "playbook.approved",
    } <= actions
    # A finished onboarding can be started again later (a new sector, more history).
    assert "Commencer l'accueil" in client.get("/onboarding").get_data(as_text=True)


def test_the_editor_leaves_and_comes_back_to_the_same_step(app, client, session, people):
    brand, _users = people
    _started(client, brand, "telecom")
    other = app.test_client()
    login(other, "ed@banque.test")
    assert "Reprendre" in other.get("/onboarding").get_data(as_text=True)
    post(other, f"/onboarding/{brand.id}/start")  # one onboarding per brand
    page = other.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "2. Importez l'historique" in page
    assert len(session.exec(select(Onboarding).where(Onboarding.brand_id == brand.id)).all()) == 1


def test_a_refusal_by_the_owner_sends_the_wizard_back_to_delegation(
    client, engine, session, people
):
    brand, _users = people
    _started(client, brand, "public")
    post(client, f"/onboarding/{brand.id}/history/done")  # no history: allowed, figures empty
    assert "0 mention(s) rejouée(s)" in client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    post(client, f"/onboarding/{brand.id}/backtest/done")
    post(client, f"/onboarding/{brand.id}/propose", {"comment": ""})
    review = session.exec(select(PlaybookReview).where(PlaybookReview.brand_id == brand.id)).one()
    post(client, "/logout")
    login(client, "owner@banque.test")
    post(client, f"/playbook-reviews/{review.id}/reject", {"comment": "Trop large la nuit"})
    post(client, "/logout")
    login(client, "ed@banque.test")
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert "Trop large la nuit" in page and _onboarding(session, brand).step == "delegation"
    assert post(client, f"/onboarding/{brand.id}/propose").status_code == 302
    assert _onboarding(session, brand).step == "replies"


def test_bad_input_is_refused_with_a_clear_message_and_nothing_imported(client, session, people):
    brand, _users = people
    _started(client, brand, "retail")
    day = (utcnow() - timedelta(days=2)).strftime("%d/%m/%Y")
    bad = _csv([f"{day} 10:00;x;@a;bon;1", "2020-01-01 10:00;x;@b;trop vieux;2", f"{day};x;@c;;3"])
    response = _upload(client, brand, bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 ligne(s) refusée(s) : rien n&#39;a été importé." in html
    assert (
        "Ligne 3 : date plus ancienne que 90 jours" in html and "Ligne 4 : texte manquant." in html
    )
    assert _upload(client, brand, b"\xff\xfe garbage").status_code == 422
    assert _upload(client, brand, b"date,text\n").status_code == 422
    missing = post(client, f"/onboarding/{brand.id}/import/csv", {})
    assert missing.status_code == 422 and "Choisissez un fichier CSV." in missing.get_data(
        as_text=True
    )
    huge = _upload(client, brand, b"date;platform;author;text\n" + b"x" * (3 * 1024 * 1024))
    assert huge.status_code == 413
    assert session.exec(select(func.count()).select_from(HistoryImport)).one() == 0
    assert session.exec(select(func.count()).select_from(Mention)).one() == 0
    # Steps out of order, unknown sector, unknown replies: refused, never a 500.
    assert post(client, f"/onboarding/{brand.id}/propose").status_code == 409
    assert post(client, f"/onboarding/{brand.id}/replies", {"reply": "x"}).status_code == 409
    assert post(client, f"/onboarding/{brand.id}/template", {"sector": "nope"}).status_code == 409
    webhook = account_for(session, brand.id, platform="webhook")
    session.commit()
    refused = post(client, f"/onboarding/{brand.id}/import/account", {"account_id": webhook.id})
    assert refused.status_code == 422
    assert "ne permet pas de lire l&#39;historique" in refused.get_data(as_text=True)
    assert (
        post(client, f"/onboarding/{brand.id}/import/account", {"account_id": "1e9"}).status_code
        == 422
    )


def test_another_brands_editor_gets_404_everywhere(client, session, people):
    brand, _users = people
    _started(client, brand)
    other = make_brand(session)
    make_user(session, other, role="playbook_editor", email="autre@x.test")
    post(client, "/logout")
    login(client, "autre@x.test")
    assert "Banque Test" not in client.get("/onboarding").get_data(as_text=True)
    assert client.get(f"/onboarding/{brand.id}").status_code == 404
    assert client.get(f"/onboarding/{brand.id}/import/progress").status_code == 404
    for path in ("start", "template", "import/csv", "import/account", "history/done", "propose"):
        assert post(client, f"/onboarding/{brand.id}/{path}").status_code == 404, path
    # A community manager of the brand itself is no editor either.
    make_user(session, brand, role="community_manager", email="cm@banque.test")
    post(client, "/logout")
    login(client, "cm@banque.test")
    assert client.get(f"/onboarding/{brand.id}").status_code in (403, 404)


def test_a_connected_accounts_history_is_imported_when_its_connector_can(
    client, engine, session, people
):
    brand, _users = people
    _started(client, brand, "retail")
    demo = account_for(session, brand.id, platform="demo")
    demo.options = {"brand": "demo-shop"}
    demo.credentials_encrypted = BOX.seal({})
    session.add(demo)
    session.commit()
    page = client.get(f"/onboarding/{brand.id}").get_data(as_text=True)
    assert f'data-testid="import-account-{demo.id}"' in page
    assert (
        post(client, f"/onboarding/{brand.id}/import/account", {"account_id": demo.id}).status_code
        == 302
    )
    busy = _upload(client, brand, _history())
    assert busy.status_code == 409  # one import at a time per brand
    assert history_import.run_pending(engine, "worker-1", BOX) == 1
    session.expire_all()
    job = session.exec(select(HistoryImport).where(HistoryImport.brand_id == brand.id)).one()
    assert job.state == "done" and job.imported > 100 and job.rows == []
    states = session.exec(select(Mention.state).where(Mention.brand_id == brand.id)).all()
    assert set(states) == {"history"} and len(states) == job.imported
    oldest = session.exec(select(func.min(Mention.posted_at))).one()
    assert oldest >= utcnow() - timedelta(days=91)
    # Asked again, the same history is not imported twice.
    assert (
        post(client, f"/onboarding/{brand.id}/import/account", {"account_id": demo.id}).status_code
        == 302
    )
    history_import.run_pending(engine, "worker-1", BOX)
    session.expire_all()
    again = history_import.latest(session, job.onboarding_id)
    assert again.imported == 0 and again.skipped == job.imported


def test_two_workers_claiming_one_import_import_it_once(client, engine, session, people):
    brand, _users = people
    _started(client, brand, "retail")
    assert _upload(client, brand, _history(40)).status_code == 302
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []
    ran: list[int] = []

    def worker(name: str) -> None:
        try:
            barrier.wait()
            ran.append(history_import.run_pending(engine, name, BOX))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and sorted(ran) == [0, 1]
    with Session(engine) as fresh:
        job = fresh.exec(select(HistoryImport)).one()
        assert (job.state, job.imported, job.skipped) == ("done", 40, 0)
        assert fresh.exec(select(func.count()).select_from(Mention)).one() == 40


def test_the_worker_round_runs_a_queued_import(app, client, session, people):
    from app.worker.runner import run_once

    brand, _users = people
    _started(client, brand, "retail")
    assert _upload(client, brand, _history(4)).status_code == 302
    run_once(app)
    session.expire_all()
    job = session.exec(select(HistoryImport)).one()
    assert (job.state, job.imported, job.progress) == ("done", 4, 100)
