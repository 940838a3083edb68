"""A `model` condition on an insult, hate or toxicity holds only when a content word raised it."""

from __future__ import annotations

import pytest

from playbooks import load_playbook_file, shipped_playbook_path
from playbooks.scorer import MODEL_PATH, get_scorer

pytestmark = pytest.mark.skipif(not MODEL_PATH.is_file(), reason="scorer weights missing")


@pytest.fixture(scope="module")
def rail():  # type: ignore[no-untyped-def]
    return load_playbook_file(shipped_playbook_path("demo-rail"))


def _severity(playbook, text: str) -> str:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from playbooks.model import MentionInput

    mention = MentionInput(text=text, channel="x", lang="fr")
    return playbook.decide(mention, None, datetime(2026, 1, 5, 10, tzinfo=UTC)).severity


@pytest.mark.parametrize("text", ["t'es où ?", "t es ou", "t'es qui toi ?"])
def test_questions_made_of_grammar_words_are_not_insults(rail, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _severity(rail, text) in {"S1", "S2"}


@pytest.mark.parametrize("text", ["t'es con", "tg", "sale pd", "t'es moche"])
def test_short_insults_still_reach_s3(rail, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _severity(rail, text) == "S3"


def test_distress_said_in_grammar_words_still_reaches_s4(rail) -> None:  # type: ignore[no-untyped-def]
    # "je ne serai plus là": no content word, and the guard must not apply to distress
    assert _severity(rail, "bientôt vous n'aurez plus à me répondre, je serai plus là") == "S4"


def test_grounded_reads_content_words_only() -> None:
    scores = get_scorer().score("t es ou")
    assert not scores.grounded("insult")
    assert get_scorer().score("t es con").grounded("insult")
