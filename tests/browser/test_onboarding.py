"""Onboarding a new brand in Chromium (issue 18, part 7): the admin creates the brand, walks the
wizard — bank template, CSV history imported by the worker behind a progress bar, backtest,
delegation proposed — and the brand owner approves in the portal: the playbook is published and
judges the next mention."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from app.extensions import get_engine
from app.models import Brand, Mention, Onboarding, utcnow
from app.security.secrets_box import SecretsBox
from app.services import content, history_import, users
from tests.browser.conftest import log_in
from tests.browser.test_four_eyes import _judge


def _history_csv() -> bytes:
    day = (utcnow() - timedelta(days=3)).strftime("%d/%m/%Y")
    lines = [
        "date;platform;author;text;id",
        f"{day} 09:10;twitter;@lea;Ma carte est bloquée depuis ce matin, impossible de payer;1",
        f"{day} 09:40;facebook;Paul M.;Je vais venir à votre agence avec un couteau;2",
        f'{day} 10:05;instagram;@zoe;"Merci à ma conseillère,\ntrès efficace !";3',
        f"{day} 11:00;x;@max;SMS frauduleux reçu, il se fait passer pour vous;4",
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def test_admin_onboards_a_bank_and_the_owner_approves_in_the_portal(browser, live_server, live_app):
    admin = browser.new_context().new_page()
    log_in(admin, live_server, "admin@vigie.demo")
    admin.goto(f"{live_server.url}/admin/brands")
    admin.get_by_role("link", name="Nouvelle marque").click()
    admin.fill("#slug", "banque-aurore")
    admin.fill("#name", "Banque Aurore")
    admin.get_by_role("button", name="Enregistrer").first.click()
    expect(admin.locator(".flash-success")).to_contain_text("Marque créée")
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "banque-aurore")).one()
        owner = users.create_user(session=session, email="owner@aurore.test", password="demo")
        users.grant(session=session, user=owner, brand=brand, role="brand_owner")
        session.commit()

    admin.goto(f"{live_server.url}/admin/brands")
    admin.get_by_role("link", name="Accueil guidé d'une marque").click()
    admin.get_by_test_id("onboarding-banque-aurore").get_by_role("button").click()
    admin.get_by_test_id("sector-bank").check()
    # The first load of a sector template in a cold server process compiles its lexicons
    # (about 1.2 million keys): over 30 s on a loaded 2-core box, so this click waits longer.
    admin.get_by_role("button", name="Créer le brouillon à partir du modèle").click(timeout=120_000)
    expect(admin.get_by_role("heading", name="2. Importez l'historique")).to_be_visible()

    admin.set_input_files(
        "#history-file",
        files=[{"name": "historique.csv", "mimeType": "text/csv", "buffer": _history_csv()}],
    )
    admin.get_by_role("button", name="Vérifier et importer").click()
    expect(admin.locator(".flash-success")).to_contain_text("4 mentions vérifiées")
    expect(admin.get_by_test_id("import-progress").locator("progress")).to_be_visible()
    with live_app.app_context():  # the worker's tick; the page polls and refreshes itself
        box = SecretsBox(live_app.config["VIGIE_ENCRYPTION_KEY"])
        assert history_import.run_pending(get_engine(), "browser-worker", box) == 1
    expect(admin.get_by_test_id("import-done")).to_contain_text("4 mention(s) importée(s)")
    admin.get_by_test_id("history-done").click()

    expect(admin.get_by_test_id("onboarding-backtest")).to_contain_text("4 mention(s) rejouée(s)")
    expect(admin.get_by_test_id("severity-S4")).to_have_text("1")
    admin.get_by_test_id("backtest-done").click()
    expect(admin.get_by_text("nuit-fraude")).to_be_visible()
    admin.fill("#onboarding-comment", "Notre proposition de délégation")
    admin.get_by_test_id("propose").click()
    expect(admin.locator(".flash-success")).to_contain_text("proposée au responsable")
    admin.get_by_test_id("replies-save").click()
    expect(admin.get_by_test_id("review-status")).to_contain_text("En attente de l'approbation")

    owner_page = browser.new_context().new_page()
    log_in(owner_page, live_server, "owner@aurore.test")
    owner_page.goto(f"{live_server.url}/portal")
    reviews = owner_page.get_by_test_id("portal-playbook-reviews")
    expect(reviews).to_contain_text("délégation modifiée")
    reviews.get_by_role("link").first.click()
    owner_page.fill("#review-comment", "Délégation conforme à nos règles")
    owner_page.get_by_role("button", name="Approuver et publier").click()
    expect(owner_page.locator(".flash-success")).to_contain_text("approuvée et publiée")

    admin.reload()
    expect(admin.get_by_test_id("onboarding-done")).to_contain_text("est publié")
    with live_app.app_context(), Session(get_engine()) as session:
        assert (
            session.exec(select(Onboarding).where(Onboarding.brand_id == brand.id)).one().step
            == "done"
        )
        assert content.published_playbook(session=session, brand_id=brand.id) is not None
        states = set(session.exec(select(Mention.state).where(Mention.brand_id == brand.id)))
        assert states == {"history"}  # the history opened no case
    judged = _judge(
        live_app, brand, "Un faux conseiller m'a appelé, opérations inconnues sur mon compte"
    )
    assert "fraude" in judged.scenarios and judged.severity == "S3"
