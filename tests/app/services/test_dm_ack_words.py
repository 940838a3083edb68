"""The acknowledgement's "when we answer" words, on fixed clocks: the same day says the hour,
the next day says "demain", later days name the weekday — all in the brand's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.models import Brand
from app.services import dm_ack


def _brand() -> Brand:
    return Brand(
        slug="acme",
        name="Acme",
        timezone="Europe/Paris",
        business_hours={"mon": ["08:00", "18:00"], "wed": ["09:30", "18:00"]},
    )


@pytest.mark.parametrize(
    ("now", "words"),
    [
        # Monday 05:00 Paris (04:00 UTC): opens today.
        (datetime(2026, 12, 7, 4, 0, tzinfo=UTC), "8 h"),
        # Sunday 00:08 Paris (Saturday 23:08 UTC): opens tomorrow — a UTC date is not the
        # brand's date (the CI run whose hard-coded "lundi" this replaced).
        (datetime(2026, 12, 5, 23, 8, tzinfo=UTC), "demain 8 h"),
        # Saturday 10:00 Paris: opens on Monday.
        (datetime(2026, 12, 5, 9, 0, tzinfo=UTC), "lundi 8 h"),
        # Monday 19:00 Paris: Tuesday is closed, so Wednesday's half hour.
        (datetime(2026, 12, 7, 18, 0, tzinfo=UTC), "mercredi 9 h 30"),
    ],
)
def test_when_words_follow_the_brand_clock(now: datetime, words: str) -> None:
    brand = _brand()
    opening = dm_ack.next_opening(brand, now)
    assert opening is not None
    assert dm_ack.when_words(brand, now, opening) == words


def test_no_acknowledgement_while_open() -> None:
    assert dm_ack.render(_brand(), datetime(2026, 12, 7, 10, 0, tzinfo=UTC)) is None
