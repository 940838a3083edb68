"""People across channels: a CM sees "same person?" on the person panel and confirms it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from app.models import AuditEvent, Author, Case, Mention, Person, PersonLink
from app.services import ingest, triage
from tests.app.cluster_samples import fetched, publish_playbook
from tests.conftest import login, post
from tests.factories import account_for, make_brand, make_user

pytestmark = pytest.mark.db
TEXT = "Mon vélo a été abîmé dans le TER 8h12, voici la photo https://photos.example/velo-42"


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="rail", name="Rail Azur")
    publish_playbook(session, brand)
    return brand


def _post(session, brand, platform, handle, text, name):
    account = account_for(session, brand.id, platform)
    item = fetched(text, author=handle)
    item = replace(item, author=replace(item.author, handle=handle, name=name), channel=platform)
    ingest.store_mentions(session=session, account=account, items=[item])
    session.commit()
    triage.triage_pending(session=session, account_id=account.id)
    session.commit()
    mention = session.exec(select(Mention).order_by(Mention.id.desc())).first()
    return mention


def test_same_text_and_link_on_two_channels_is_suggested_and_confirmed(client, session, rail):
    make_user(session, rail, email="cm@example.test")
    a = _post(session, rail, "mastodon", "jmartin", TEXT, "Jeanne Martin")
    b = _post(session, rail, "bluesky", "jeanne-m.bsky.social", f"{TEXT} !", "J. M.")
    person_a = session.get(Author, a.author_id).person_id
    person_b = session.get(Author, b.author_id).person_id
    assert person_a != person_b
    login(client, "cm@example.test")
    panel = client.get(f"/people/{person_a}/links?case={a.case_id}").get_data(as_text=True)
    assert panel.count('data-testid="person-suggestion"') == 1
    assert "même texte à quelques minutes" in panel and "même lien partagé" in panel
    # The case page loads the panel (the link works without JavaScript too).
    assert f"/people/{person_a}/links" in client.get(f"/cases/{a.case_id}").get_data(as_text=True)
    response = post(
        client,
        f"/people/{person_a}/links/{person_b}/confirm",
        {"case": str(a.case_id), "reason": ["text", "link"]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    # The panel shows at once what joined: the other identity and its cases.
    joined = response.get_data(as_text=True).split('data-testid="person-joined"')[1]
    assert "J. M." in joined and "jeanne-m.bsky.social" in joined
    assert f'href="/cases/{b.case_id}"' in joined
    session.expire_all()
    assert session.get(Author, b.author_id).person_id == person_a
    assert session.get(Case, b.case_id).person_id == person_a
    assert session.exec(select(PersonLink)).one().state == "confirmed"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "person.linked")).one()
    # The joined history shows on the case page; nothing left to suggest.
    page = client.get(f"/cases/{a.case_id}").get_data(as_text=True)
    assert "jeanne-m.bsky.social" in page
    history = page.split("Cas précédents avec cette marque")[1].split("</ul>")[0]
    assert f'href="/cases/{b.case_id}"' in history  # the other identity's case
    other_side = client.get(f"/cases/{b.case_id}").get_data(as_text=True)
    assert f'href="/cases/{a.case_id}"' in other_side.split("Cas précédents avec cette marque")[1]
    again = client.get(f"/people/{person_a}/links").get_data(as_text=True)
    assert 'data-testid="person-suggestion"' not in again


def test_similar_handles_are_suggested_and_a_dismissal_is_remembered(client, session, rail):
    make_user(session, rail, email="cm@example.test")
    a = _post(session, rail, "mastodon", "jeanne_martin75", "Bonjour, horaires du 9h ?", "Jeanne")
    _post(session, rail, "bluesky", "jeanne.martin1975", "Une question sur mon abonnement", "JM")
    person_a = session.get(Author, a.author_id).person_id
    login(client, "cm@example.test")
    panel = client.get(f"/people/{person_a}/links").get_data(as_text=True)
    assert "nom ou pseudo semblable" in panel
    other = session.exec(select(Person.id).where(Person.id != person_a)).one()
    assert post(client, f"/people/{person_a}/links/{other}/dismiss").status_code == 303
    assert 'data-testid="person-suggestion"' not in client.get(
        f"/people/{person_a}/links"
    ).get_data(as_text=True)


def test_another_brand_cannot_see_or_link_people(client, session, rail):
    a = _post(session, rail, "mastodon", "jmartin", TEXT, "Jeanne Martin")
    b = _post(session, rail, "bluesky", "jm2", TEXT, "Jeanne Martin")
    other = make_brand(session, slug="autre")
    make_user(session, other, email="other@example.test")
    login(client, "other@example.test")
    pa = session.get(Author, a.author_id).person_id
    pb = session.get(Author, b.author_id).person_id
    assert client.get(f"/people/{pa}/links").status_code == 404
    assert post(client, f"/people/{pa}/links/{pb}/confirm").status_code == 404
