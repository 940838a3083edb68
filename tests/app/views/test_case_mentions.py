"""A viral case shows its decisive mention and latest mentions, older ones on demand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import utcnow
from tests.conftest import login
from tests.factories import add_mention, make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
TOTAL = 300


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="mention[^"]*" id="mention-(\d+)"', html)]


def _older_url(html: str) -> str | None:
    found = re.search(r'hx-get="([^"]*/mentions\?[^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def viral(session):
    rail = make_brand(session, slug="rail", name="Rail Azur")
    case = make_case(session, rail, "Le train de 8 h 12 est supprimé, personne ne répond !")
    start = utcnow() - timedelta(hours=6)
    mentions = []
    for i in range(TOTAL - 1):
        mention = add_mention(session, case, f"Moi aussi, bloqué à la gare ({i})")
        mention.posted_at = start + timedelta(seconds=30 * i)
        mentions.append(mention)
    first = session.get(type(mentions[0]), case.decision_mention_id)
    first.posted_at = start - timedelta(minutes=1)  # the decisive one is the oldest
    case.mention_count = TOTAL
    session.commit()
    return rail, case, first, mentions


def test_viral_case_page_is_bounded_and_pages_through_every_mention(client, session, viral):
    rail, case, decisive, mentions = viral
    make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"{TOTAL} mentions" in html
    shown = _ids(html)
    # The decisive mention first, then the 50 latest in posting order.
    assert shown[0] == decisive.id
    assert shown[1:] == [m.id for m in mentions[-50:]]
    seen = set(shown)
    url = _older_url(html)
    pages = 0
    while url:
        fragment = client.get(url, headers=HX)
        assert fragment.status_code == 200
        body = fragment.get_data(as_text=True)
        page = _ids(body)
        assert page and not seen & set(page)  # no mention twice, decisive not repeated
        seen |= set(page)
        url, pages = _older_url(body), pages + 1
    assert seen == {decisive.id, *(m.id for m in mentions)}
    assert pages == 5  # 299 others - 50 shown = 249 older, 50 a page


def test_older_mentions_are_scoped_to_the_users_brands(client, session, viral):
    _rail, case, _decisive, _mentions = viral
    other = make_brand(session, slug="ciel", name="Ciel Air")
    make_user(session, other, role="community_manager", email="autre@example.test")
    login(client, "autre@example.test")
    before = "2026-01-01T00:00:00+00:00|999999"
    assert (
        client.get(f"/cases/{case.id}/mentions", query_string={"before": before}).status_code == 404
    )


def test_malformed_cursor_is_a_clear_400(client, session, viral):
    rail, case, _decisive, _mentions = viral
    make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    for bad in ("", "nope", "2026-01-01T00:00:00|1", "2026-01-01T00:00:00+00:00|x"):
        response = client.get(f"/cases/{case.id}/mentions", query_string={"before": bad})
        assert response.status_code == 400
