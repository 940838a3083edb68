"""Google Business Profile reviews against the fake API: stars, paging, reply, tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import respx

from connectors import AuthError, OutgoingReply, UnsupportedAction
from connectors.google_business import GoogleBusinessConnector
from tests.connectors.fake_google_business import FakeGoogleBusiness


@pytest.fixture
def fake() -> Iterator[FakeGoogleBusiness]:
    fake = FakeGoogleBusiness()
    with respx.mock(assert_all_called=False) as router:
        fake.install_respx(router)
        yield fake


def make(fake: FakeGoogleBusiness) -> GoogleBusinessConnector:
    return GoogleBusinessConnector(credentials=fake.credentials(), base_url=fake.base_url)


def test_reviews_carry_their_stars_even_without_text(fake: FakeGoogleBusiness) -> None:
    fake.add_review(None, stars=1, name="Paul")
    fake.add_review("Super accueil", stars=5)
    with make(fake) as gbp:
        mentions = gbp.fetch(None).mentions
    by_text = {m.text: m for m in mentions}
    assert by_text[""].rating == 1 and by_text[""].raw["star_rating"] == 1
    assert by_text["Super accueil"].rating == 5
    assert all(m.channel == "google_business" for m in mentions)


def test_paging_and_cursor(fake: FakeGoogleBusiness) -> None:
    fake.page_size = 2
    for n in range(3):
        fake.add_review(f"avis {n}")
    with make(fake) as gbp:
        first = gbp.fetch(None)
        assert len(first.mentions) == 2  # first poll: newest page only
        for n in range(3):
            fake.add_review(f"nouveau {n}")
        second = gbp.fetch(first.cursor)
    assert {"nouveau 0", "nouveau 1", "nouveau 2"} <= {m.text for m in second.mentions}


def test_reply_is_put_once_and_found(fake: FakeGoogleBusiness) -> None:
    fake.add_review("Livraison en retard", stars=2)
    with make(fake) as gbp:
        mention = gbp.fetch(None).mentions[0]
        reply = OutgoingReply(
            text="Nous sommes désolés, écrivez-nous.",
            in_reply_to_external_id=mention.external_id,
            in_reply_to_raw=mention.raw,
            author_handle=mention.author.handle,
            idempotency_key="k",
        )
        posted = gbp.post_reply(reply)
        found = gbp.find_reply(reply, posted_after=datetime.now(UTC) - timedelta(minutes=1))
        with pytest.raises(UnsupportedAction):
            gbp.hide(mention.raw)
    assert found is not None and found.external_id == posted.external_id
    assert fake.reviews[mention.external_id]["reviewReply"]["comment"].startswith("Nous sommes")


def test_expired_token_refreshed_and_revoked_consent_flags(fake: FakeGoogleBusiness) -> None:
    fake.add_review("ok")
    with make(fake) as gbp:
        gbp.fetch(None)
        fake.expire_token()
        assert gbp.fetch(None).mentions
        assert gbp.updated_credentials and gbp.updated_credentials["access_token"]
        fake.revoke()
        with pytest.raises(AuthError):
            gbp.fetch(None)


def test_a_location_we_do_not_manage_is_refused(fake: FakeGoogleBusiness) -> None:
    creds = {**fake.credentials(), "location_id": "123"}
    gbp = GoogleBusinessConnector(credentials=creds, base_url=fake.base_url)
    with gbp, pytest.raises(AuthError, match=r"business\.manage"):
        gbp.verify()
