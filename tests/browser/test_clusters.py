"""A wave in Chromium: the queue shows it as one row, the CM opens it, answers it in bulk and
watches the progress move live as the worker releases the replies."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import Session

from app.extensions import get_engine
from app.models import utcnow
from app.services import waves
from tests.app.cluster_samples import WAVE, ingest_texts, publish_playbook
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_brand, make_user


def test_a_cluster_is_opened_answered_in_bulk_and_its_progress_seen(browser, live_server, live_app):
    with live_app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        brand = make_brand(session, slug="vague-b", name="Vague B")
        publish_playbook(session, brand)
        make_user(session, brand, email="cm@vague.test")
        ingest_texts(
            session,
            brand,
            [WAVE, WAVE, f"RT @jeanne: {WAVE}", f"{WAVE} bande d'escrocs", f"@vague {WAVE} !!"],
        )

    page = browser.new_context().new_page()
    log_in(page, live_server, "cm@vague.test", PASSWORD)
    page.goto(f"{live_server.url}/queue?brand={brand.id}")
    row = page.get_by_test_id("cluster-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("5 mentions")
    row.get_by_role("link", name="Ouvrir la vague").click()
    expect(page.get_by_test_id("variant")).to_have_count(4)
    expect(page.get_by_test_id("outlier")).to_contain_text("escrocs")

    page.fill("#wave-body", "Bonjour {{ prenom }}, nous sommes désolés pour cette suppression.")
    page.get_by_test_id("wave-start").click()
    expect(page.get_by_text("Réponse groupée lancée pour 4 mentions")).to_be_visible()
    progress = page.get_by_test_id("wave-counts")
    expect(progress).to_contain_text("4 en attente de leur tour")

    # The worker's next passes release the replies; the fragment polls and shows it.
    with live_app.app_context(), Session(get_engine()) as session:
        waves.advance(session=session, now=utcnow() + timedelta(minutes=5))
        session.commit()
    expect(progress).to_contain_text("0 en attente de leur tour", timeout=10_000)
    expect(progress).to_contain_text("4 dans la boîte d'envoi")
    expect(page.get_by_test_id("wave-state")).to_contain_text("boîte d'envoi")
