"""Backtesting a draft on stored history: counts, changes, agreement with overrides.

Its speed is measured by benchmarks/bench_backtest.py (no timing assert in the suite).
"""

from __future__ import annotations

import pytest

from app.services import compiled_playbooks
from app.services.backtest import run_backtest
from tests.app.playbook_samples import (
    SMALL_PLAYBOOK,
    STRICTER_PLAYBOOK,
    add_history,
    add_override,
)
from tests.factories import make_brand

pytestmark = pytest.mark.db

HISTORY = [
    ("Mon train est en retard", "S2", "reply"),
    ("Encore un retard, bravo", "S2", "reply"),
    ("Quel connard ce contrôleur", "S3", "reply_with_approval"),
    ("Merci pour le voyage", "S1", "reply"),
]


def test_same_playbook_changes_nothing_a_stricter_one_lists_the_moved_mentions(session):
    brand = make_brand(session)
    add_history(session, brand, HISTORY)
    same = run_backtest(
        session=session, brand=brand, engine=compiled_playbooks.compile_playbook(SMALL_PLAYBOOK)
    )
    assert same.total == 4
    assert same.before["S2"] == 2
    # "Merci" matches no scenario in the small playbook: its default differs from S1.
    assert {c.text for c in same.changes} <= {"Merci pour le voyage"}

    strict = run_backtest(
        session=session, brand=brand, engine=compiled_playbooks.compile_playbook(STRICTER_PLAYBOOK)
    )
    moved = {c.text: (c.before_severity, c.after_severity) for c in strict.changes}
    assert moved["Mon train est en retard"] == ("S2", "S3")
    assert moved["Encore un retard, bravo"] == ("S2", "S3")
    assert "Quel connard ce contrôleur" not in moved
    assert strict.after["S3"] == 3 and strict.before["S3"] == 1
    assert all(c.case_id is None for c in strict.changes)  # history rows here have no case


def test_overrides_are_the_ground_truth_and_measure_agreement(session):
    brand = make_brand(session)
    mentions = add_history(session, brand, HISTORY)
    add_override(session, mentions[0], "S3", "Client Platine très remonté")
    add_override(session, mentions[1], "S3", "Ton menaçant")

    published = run_backtest(
        session=session, brand=brand, engine=compiled_playbooks.compile_playbook(SMALL_PLAYBOOK)
    )
    assert published.overrides == 2
    assert published.draft_agrees == 0 and published.baseline_engine_agrees == 0
    # The overridden mentions now count as S3 "before", and the draft would move them back.
    assert published.before["S3"] == 3
    reasons = {c.text: c.override_reason for c in published.changes}
    assert reasons["Mon train est en retard"] == "Client Platine très remonté"

    stricter = run_backtest(
        session=session, brand=brand, engine=compiled_playbooks.compile_playbook(STRICTER_PLAYBOOK)
    )
    assert stricter.draft_agrees == 2 and stricter.draft_agreement == 1.0


def test_only_the_period_is_replayed(session):
    brand = make_brand(session)
    add_history(session, brand, HISTORY[:1], days_ago=40)
    add_history(session, brand, HISTORY[1:2], days_ago=2)
    result = run_backtest(
        session=session,
        brand=brand,
        engine=compiled_playbooks.compile_playbook(SMALL_PLAYBOOK),
        days=30,
    )
    assert result.total == 1


def test_other_brands_history_is_never_replayed(session):
    mine, other = make_brand(session), make_brand(session)
    add_history(session, other, HISTORY)
    result = run_backtest(
        session=session, brand=mine, engine=compiled_playbooks.compile_playbook(SMALL_PLAYBOOK)
    )
    assert result.total == 0 and not result.changes


def test_five_thousand_mentions_replay_with_the_listed_changes_capped(session):
    """Its speed (under 5 s) is measured by benchmarks/bench_backtest.py, not asserted here."""
    brand = make_brand(session)
    texts = [(f"Mon train {i} est en retard, quel connard", "S2", "reply") for i in range(5200)]
    add_history(session, brand, texts)
    engine = compiled_playbooks.compile_playbook(STRICTER_PLAYBOOK)
    result = run_backtest(session=session, brand=brand, engine=engine)
    assert result.total == 5000 and result.truncated
    assert result.changed_count == 5000 and len(result.changes) == 500  # listed rows are capped
