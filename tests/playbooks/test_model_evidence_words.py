"""A `model` condition on an insult, hate or toxicity holds only when a content word raised it."""

from __future__ import annotations

import pytest

from playbooks import Playbook
from playbooks.scorer import MODEL_PATH, get_scorer

from .conftest import severity

pytestmark = pytest.mark.skipif(not MODEL_PATH.is_file(), reason="scorer weights missing")


@pytest.mark.parametrize("text", ["t'es où ?", "t es ou", "t'es qui toi ?"])
def test_questions_made_of_grammar_words_are_not_insults(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in {"S1", "S2"}


@pytest.mark.parametrize("text", ["t'es con", "tg", "sale pd", "t'es moche"])
def test_short_insults_still_reach_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S3"


def test_distress_said_in_grammar_words_still_reaches_s4(rail: Playbook) -> None:
    # "je ne serai plus là": no content word, and the guard must not apply to distress
    text = "bientôt vous n'aurez plus à me répondre, je serai plus là"
    assert severity(rail, text) == "S4"


def test_grounded_reads_content_words_only() -> None:
    assert not get_scorer().score("t es ou").grounded("insult")
    assert get_scorer().score("t es con").grounded("insult")
