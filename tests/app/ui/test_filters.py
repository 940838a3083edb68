"""Dates, countdowns and handles as each UI language shows them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.ui.filters import at_handle, datetime_short

MOMENT = datetime(2026, 11, 23, 20, 5, tzinfo=UTC)  # 21:05 in Paris


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "23 nov. 2026, 21:05"), ("en", "Nov 23, 2026, 9:05 PM")],
)
def test_short_dates_follow_the_ui_language(app, lang, expected):
    with app.test_request_context():
        from flask import session

        session["lang"] = lang
        assert datetime_short(MOMENT) == expected


def test_short_dates_are_kept_per_language_and_timezone(app):
    # Kept texts (the case page shows the same dates to every CM): each language still gets
    # its own, in either order.
    for lang, expected in [("en", "Nov 23, 2026, 9:05 PM"), ("fr", "23 nov. 2026, 21:05")] * 2:
        with app.test_request_context():
            from flask import session

            session["lang"] = lang
            assert datetime_short(MOMENT) == expected


@pytest.mark.parametrize(
    ("handle", "shown"),
    [
        ("alice", "@alice"),
        ("@alice", "@alice"),
        ("alice@m.social", "@alice@m.social"),
        ("Marie Dupont", "Marie Dupont"),  # Facebook: a name, no handle
    ],
)
def test_handles_keep_their_instance(handle, shown):
    assert at_handle(handle) == shown


@pytest.mark.db
def test_scenarios_show_the_playbooks_label(app, session):
    from app.services import content
    from app.ui.filters import scenario_label
    from playbooks import shipped_playbook_path
    from tests.factories import make_brand

    brand = make_brand(session, slug="rail-labels")
    source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
    content.save_playbook(session=session, brand=brand, source=source, actor=None, publish=True)
    session.commit()
    with app.test_request_context():
        from flask import g

        from app.security.access import BrandScope

        g.scope = BrandScope(1, {brand.id: frozenset({"community_manager"})})
        assert scenario_label(brand.id, "menace") == "Menace de violence ou de mort"
        assert scenario_label(brand.id, "inconnu") == "inconnu"
        assert scenario_label(brand.id, None) == "—"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_countdowns_read_as_babel_writes_them(app, lang, monkeypatch):
    """The countdowns are kept by unit and count: each reads as Babel writes it, on both sides
    of every rounding edge, in the past and in the future."""
    from datetime import timedelta

    from flask_babel import format_timedelta

    from app.ui import filters

    seconds = [0, 0.4, 1, 29, 30, 44.6, 59.5, 89, 90, 3599, 5399, 5400, 86399, 129600]
    seconds += [604799, 2591999, 2592000, 31535999, 47304000, 10**9]
    with app.test_request_context():
        from flask import session

        session["lang"] = lang
        for s in seconds:
            for sign in (1, -1):
                delta = timedelta(seconds=sign * s)
                monkeypatch.setattr(filters, "utcnow", lambda: MOMENT)
                expected = format_timedelta(delta, add_direction=True, threshold=1.0)
                assert filters.relative(MOMENT + delta) == expected, (s, sign)
