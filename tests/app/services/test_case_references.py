"""References on screen, the customer's tone and wait (issue 20, parts 3, 4 and 6).

A mention's order number reaches the case page, the person panel, the queue's search box, the
canned reply and `vigie mentions list --json`; a case waiting on the brand for longer than the
brand's delay is marked "relance due" and the case page proposes the holding update.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import null, update
from sqlmodel import select

from app.cli import main
from app.models import Brand, Case, Mention, Reply
from app.services import case_references, content, ingest, triage, users
from connectors import AuthorInfo, FetchedMention
from tests.conftest import login, post
from tests.factories import account_for, make_brand, make_canned, make_case, make_user

pytestmark = pytest.mark.db

PLAYBOOK = """
format: 1
brand: shop
references:
  - {kind: order, pattern: "CMD-?\\\\d{6}", label: Commande}
scenarios:
  - {id: colere, label: Client mécontent, when: {sentiment: negative}, severity: S2}
"""


@pytest.fixture
def shop(session):
    brand = make_brand(session, slug="shop", name="Cabasso")
    content.save_playbook(session=session, brand=brand, source=PLAYBOOK, actor=None, publish=True)
    session.commit()
    return brand


@pytest.fixture
def cm(client, session, shop):
    user = make_user(session, shop, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _ingest(session, brand, text: str, external_id: str = "m-1") -> Mention:
    account = account_for(session, brand.id, "mastodon")
    item = FetchedMention(
        external_id=external_id,
        text=text,
        author=AuthorInfo(external_id="a-1", handle="jeanne"),
        posted_at=datetime.now(UTC) - timedelta(minutes=3),
        url=None,
        lang="fr",
        channel="mastodon",
        thread_id=external_id,
    )
    ingest.store_mentions(session=session, account=account, items=[item])
    session.commit()
    triage.triage_pending(session=session)
    session.commit()
    return session.exec(select(Mention).where(Mention.external_id == external_id)).one()


TEXT = "Commande CMD-123456 jamais reçue, scandaleux ! Rappelez-moi au 06 12 34 56 78"


def test_triage_stores_references_and_tone(session, shop):
    mention = _ingest(session, shop, TEXT)
    assert mention.customer_refs == [{"kind": "order", "value": "CMD-123456"}]
    assert mention.sentiment == "negative"


def test_reference_on_case_page_person_panel_and_queue_search(client, session, shop, cm):
    mention = _ingest(session, shop, TEXT)
    case = session.get(Case, mention.case_id)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-testid="case-references"' in html and "CMD-123456" in html
    assert 'data-testid="person-references"' in html
    assert "0612345678" not in html.replace(" ", "").split("case-references")[1][:400]
    assert 'data-sentiment="negative"' in html
    # Typing the reference (or a part of it) in the search box finds the case.
    found = client.get("/queue?q=123456").get_data(as_text=True)
    assert f'id="case-row-{case.id}"' in found
    other = client.get("/queue?q=999999").get_data(as_text=True)
    assert f'id="case-row-{case.id}"' not in other


def test_canned_reply_gets_the_order_reference(client, session, shop, cm):
    mention = _ingest(session, shop, TEXT)
    canned = make_canned(
        session, shop, key="shop.suivi", body="Bonjour, votre commande {{ reference_commande }}."
    )
    html = client.get(f"/cases/{mention.case_id}/editor?canned={canned.id}").get_data(as_text=True)
    assert "votre commande CMD-123456." in html


def test_cli_lists_references(app, session, shop):
    _ingest(session, shop, TEXT)
    result = app.test_cli_runner().invoke(
        main, ["mentions", "list", "--brand", "shop", "--json"], catch_exceptions=False
    )
    record = json.loads(result.output.splitlines()[0])
    assert record["references"] == [{"kind": "order", "value": "CMD-123456"}]


def test_escalated_case_waiting_too_long_asks_for_a_holding_update(client, session, shop, cm):
    holding = make_canned(
        session,
        shop,
        key="shop.attente_retour_marque",
        title="Attente du retour de la marque",
        body="Bonjour {{ prenom }}, nous revenons vers vous dès que possible.",
    )
    waiting = make_case(session, shop, "Toujours rien", status="escalated")
    recent = make_case(session, shop, "Toujours rien non plus", status="escalated")
    for case, hours in ((waiting, 5), (recent, 1)):
        for m in session.exec(select(Mention).where(Mention.case_id == case.id)):
            m.posted_at = datetime.now(UTC) - timedelta(hours=hours)
            session.add(m)
    session.commit()
    queue_html = client.get("/queue?status=escalated").get_data(as_text=True)
    row = queue_html.split(f'id="case-row-{waiting.id}"')[1].split("</tr>")[0]
    assert 'data-testid="relance-due"' in row
    row = queue_html.split(f'id="case-row-{recent.id}"')[1].split("</tr>")[0]
    assert 'data-testid="relance-due"' not in row
    page = client.get(f"/cases/{waiting.id}").get_data(as_text=True)
    assert "Relance due" in page and f"canned={holding.id}" in page
    # The brand may wait longer before a holding update (brand settings).
    shop.settings = {**(shop.settings or {}), "portal": {"holding_update_minutes": 600}}
    session.add(shop)
    session.commit()
    page = client.get(f"/cases/{waiting.id}").get_data(as_text=True)
    assert "Relance due" not in page and 'data-testid="customer-waiting"' in page


def test_brand_owner_sets_the_holding_update_delay(client, session, shop):
    make_user(session, shop, role="brand_owner", email="owner@shop.test")
    login(client, "owner@shop.test")
    response = post(client, f"/portal/settings?brand={shop.id}", {"holding_update_minutes": "90"})
    assert response.status_code == 302
    session.expire_all()
    assert case_references.holding_delay(session.get(Brand, shop.id)) == 90
    bad = post(client, f"/portal/settings?brand={shop.id}", {"holding_update_minutes": "-3"})
    assert bad.status_code == 422


def test_queue_filter_relance_due_lists_only_customers_owed_news(client, session, shop, cm):
    other = make_brand(session, slug="other", name="Autre")
    users.grant(session=session, user=cm, brand=other, role="community_manager")
    other.settings = {**(other.settings or {}), "portal": {"holding_update_minutes": 600}}
    session.add(other)
    due = make_case(session, shop, "Toujours rien", status="escalated")
    approval = make_case(session, shop, "Et ma validation ?", status="pending_approval")
    fresh = make_case(session, shop, "Toujours rien non plus", status="escalated")
    answered = make_case(session, shop, "On m'a répondu", status="escalated")
    open_case = make_case(session, shop, "Pas escaladé", status="open")
    patient = make_case(session, other, "Marque patiente", status="escalated")  # 10 h delay
    for case, hours in ((due, 5), (approval, 6), (fresh, 1), (answered, 5), (open_case, 9)):
        for m in session.exec(select(Mention).where(Mention.case_id == case.id)):
            m.posted_at = datetime.now(UTC) - timedelta(hours=hours)
            session.add(m)
    for m in session.exec(select(Mention).where(Mention.case_id == patient.id)):
        m.posted_at = datetime.now(UTC) - timedelta(hours=5)
        session.add(m)
    session.commit()
    # A holding update already sent an hour ago: the customer has news.
    session.add(
        Reply(
            brand_id=shop.id,
            case_id=answered.id,
            text="Nous revenons vers vous.",
            outbox_state="sent",
            idempotency_key="holding-update-test",
            created_at=datetime.now(UTC) - timedelta(hours=1),
        )
    )
    session.commit()
    html = client.get("/queue?relance=due").get_data(as_text=True)
    cases = (due, approval, fresh, answered, open_case, patient)
    shown = {c.id for c in cases if f'id="case-row-{c.id}"' in html}
    assert shown == {due.id, approval.id}
    assert 'name="relance" value="due" checked' in html
    # The status filter still narrows; the count in the header agrees.
    html = client.get("/queue?relance=due&status=pending_approval").get_data(as_text=True)
    assert f'id="case-row-{approval.id}"' in html and f'id="case-row-{due.id}"' not in html


def test_older_mentions_get_their_references_by_backfill(app, session, shop):
    mention = _ingest(session, shop, TEXT)
    # As stored before extraction existed: nothing read yet.
    session.execute(
        update(Mention).where(Mention.id == mention.id).values(customer_refs=null(), sentiment=None)
    )
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["mentions", "extract-references", "--brand", "shop"])
    assert result.exit_code == 0, result.output
    assert "1 mentions read, 1 with a reference" in result.output
    session.expire_all()
    stored = session.get(Mention, mention.id)
    assert stored.customer_refs == [{"kind": "order", "value": "CMD-123456"}]
    assert stored.sentiment is not None
    # Nothing left to read; an unknown brand is a clear CLI error.
    again = runner.invoke(main, ["mentions", "extract-references", "--brand", "shop"])
    assert "0 mentions read" in again.output
    bad = runner.invoke(main, ["mentions", "extract-references", "--brand", "nope"])
    assert bad.exit_code != 0 and "unknown brand: nope" in bad.output
