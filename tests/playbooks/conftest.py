"""Shared fixtures: shipped playbooks load once per session (they index ~30,000 terms)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbooks import (
    MentionInput,
    Playbook,
    load_playbook,
    load_playbook_file,
    shipped_playbook_path,
)
from playbooks.scorer import runtime
from playbooks.scorer.held import HeldScorer

# A Monday, 11:00 in Paris: inside every shipped playbook's business hours.
MONDAY_MORNING = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
SHIPPED_SLUGS = ("demo-rail", "demo-shop", "sector-bank", "sector-public", "sector-telecom")
# The scenarios behind the structural gate (wave 31): the scorer's insult and hate.
GATED = ("haine_modele", "insulte_modele")


def severity(pb: Playbook, text: str) -> str:
    """A French mention's severity, decided on a Monday morning."""
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


@pytest.fixture
def high_hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped scorer with insult and hate held at 0.99, the other labels at 0: what the
    structural gate alone lets through."""
    held = HeldScorer(runtime.get_scorer(), {"insult": 0.99, "hate": 0.99}, rest=0.0)
    monkeypatch.setattr(runtime, "_SCORER", held)
    yield


@pytest.fixture
def held_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldScorer]:
    """The shipped scorer with every label at 0 but those a test sets on `.held`."""
    held = HeldScorer(runtime.get_scorer(), {}, rest=0.0)
    monkeypatch.setattr(runtime, "_SCORER", held)
    yield held


@pytest.fixture(scope="session", params=SHIPPED_SLUGS)
def shipped(request: pytest.FixtureRequest) -> Playbook:
    """Each shipped playbook in turn, loaded once per session."""
    return load_playbook_file(shipped_playbook_path(request.param))


@pytest.fixture(scope="session")
def rail() -> Playbook:
    return load_playbook_file(shipped_playbook_path("demo-rail"))


@pytest.fixture(scope="session")
def shop() -> Playbook:
    return load_playbook_file(shipped_playbook_path("demo-shop"))


def make(yaml_text: str, base_dir: Path | None = None, **kwargs: object) -> Playbook:
    """Load a small playbook written inline in a test."""
    return load_playbook(yaml_text, "test.yaml", base_dir, **kwargs)  # type: ignore[arg-type]
