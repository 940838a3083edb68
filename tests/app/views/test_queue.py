"""The queue page: order, filters in the URL, keyset pages, live refresh fragment, brand scope."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Case
from tests.conftest import login, post
from tests.factories import make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Rail Azur")


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _order(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="case-row-(\d+)"', html)]


def test_queue_orders_pinned_then_priority_then_deadline(client, session, rail, cm):
    late = make_case(session, rail, "échéance lointaine", priority=10, due_in=timedelta(hours=3))
    soon = make_case(session, rail, "échéance proche", priority=10, due_in=timedelta(minutes=5))
    high = make_case(session, rail, "très prioritaire", priority=50)
    pinned = make_case(session, rail, "épinglé", priority=1, pinned=True)
    html = client.get("/queue").get_data(as_text=True)
    assert _order(html) == [pinned.id, high.id, soon.id, late.id]
    assert "(4) File d&#39;attente" in html or "(4) File d'attente" in html


def test_rows_show_badges_severity_and_breached_sla(client, session, rail, cm):
    make_case(
        session,
        rail,
        "Je suis furieux",
        severity="S3",
        tier="platine",
        vip=True,
        followers=50_000,
        due_in=timedelta(minutes=-5),
        handle="jeanne",
    )
    html = client.get("/queue").get_data(as_text=True)
    assert "platine" in html and "VIP" in html and "influence" in html
    assert "sev-S3" in html and "sla-bad" in html and "jeanne" in html


def test_filters_are_applied_and_kept_in_the_url(client, session, rail, cm):
    make_case(session, rail, "retard du train", severity="S2", scenario="retard")
    insult = make_case(session, rail, "bande de nuls", severity="S3", scenario="insulte")
    html = client.get("/queue?severity=S3&q=nuls").get_data(as_text=True)
    assert _order(html) == [insult.id]
    assert 'value="nuls"' in html
    html = client.get("/queue?scenario=retard&channel=x").get_data(as_text=True)
    assert "Aucun cas ne correspond à ces filtres" in html


def test_assignee_filter_counts_expired_claims_as_free(client, session, rail, cm):
    mine = make_case(session, rail, "à moi")
    expired = make_case(session, rail, "claim expiré")
    post(client, f"/cases/{mine.id}/claim")
    other = make_user(session, rail, email="other@example.test")
    expired.assignee_id = other.id
    expired.claim_expires_at = expired.opened_at - timedelta(minutes=1)
    session.add(expired)
    session.commit()
    assert _order(client.get("/queue?assignee=me").get_data(as_text=True)) == [mine.id]
    assert _order(client.get("/queue?assignee=nobody").get_data(as_text=True)) == [expired.id]


def test_keyset_pages_cover_every_case_once(client, session, rail, cm):
    ids = {
        make_case(
            session,
            rail,
            f"cas {i}",
            priority=i % 3,
            due_in=None if i % 4 == 0 else timedelta(minutes=i),
        ).id
        for i in range(57)
    }
    html = client.get("/queue").get_data(as_text=True)
    first = _order(html)
    assert len(first) == 50
    more = re.search(r'hx-get="(/queue\?after=[^"]+)"', html).group(1).replace("&amp;", "&")
    rest = _order(client.get(more, headers=HX).get_data(as_text=True))
    assert len(rest) == 7 and set(first) | set(rest) == ids


def test_htmx_poll_returns_rows_and_out_of_band_count(client, session, rail, cm):
    make_case(session, rail, "nouveau cas")
    response = client.get("/queue", headers=HX)
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<tbody id="queue-rows"')
    assert 'hx-trigger="every 10s"' in body and 'hx-sync="this:drop"' in body
    assert 'id="queue-count"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body and "HX-Request" in response.headers.get("Vary", "")


def test_queue_only_shows_the_users_brands(client, session, rail, cm):
    other = make_brand(session, slug="shop", name="Boutique")
    make_case(session, other, "message SECRET d'une autre marque")
    mine = make_case(session, rail, "le mien")
    html = client.get(f"/queue?brand={other.id}").get_data(as_text=True)
    assert "SECRET" not in html
    assert _order(client.get("/queue").get_data(as_text=True)) == [mine.id]


def test_platform_text_is_escaped_in_the_queue(client, session, rail, cm):
    make_case(session, rail, "<script>alert(1)</script> retard")
    html = client.get("/queue").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_claim_from_the_queue_returns_the_row(client, session, rail, cm):
    case = make_case(session, rail, "à prendre")
    response = post(client, f"/cases/{case.id}/claim", {"from": "queue"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<tr id="case-row-{case.id}"')
    assert '<td class="assignee" data-label="Pris par">cm</td>' in body
    session.refresh(case)
    assert case.assignee_id == cm.id


def test_brand_owner_has_no_queue_and_empty_queue_says_what_to_do(client, session, rail):
    make_user(session, rail, role="brand_owner", email="owner@example.test")
    login(client, "owner@example.test")
    assert client.get("/queue").status_code == 403


def test_empty_queue_explains(client, session, rail, cm):
    assert session.exec(select(Case)).all() == []
    assert "Rien à traiter pour l" in client.get("/queue").get_data(as_text=True)
