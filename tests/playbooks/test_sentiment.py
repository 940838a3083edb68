"""The per-mention sentiment estimate, and the `sentiment` condition and priority boost."""

from __future__ import annotations

import pytest

from playbooks import MentionInput
from playbooks.sentiment import estimate

from .conftest import MONDAY_MORNING, make


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Très déçu, c'est inadmissible !", "negative"),
        ("Toujours pas de réponse 😡", "negative"),
        ("Commande jamais reçue, scandaleux !", "negative"),
        ("Je ne suis pas content du tout", "negative"),
        ("Merci beaucoup, super rapide 👍", "positive"),
        ("pas mal du tout", "positive"),
        ("Bonjour, ma commande 123456 arrive quand ?", "neutral"),
        ("Merci de me rappeler", "neutral"),
        ("pas de souci", "neutral"),
        ("", "neutral"),
    ],
)
def test_estimate(text: str, label: str) -> None:
    assert estimate(text).label == label


def test_toxicity_pulls_towards_negative() -> None:
    assert estimate("Bonjour", toxicity=0.9).label == "negative"
    assert estimate("Bonjour", toxicity=0.1).label == "neutral"


PLAYBOOK = """
format: 1
scenarios:
  - id: mecontent
    label: Client mécontent
    severity: S2
    when: {sentiment: negative}
priority:
  boosts:
    - {id: ton_negatif, when: {sentiment: [negative]}, add: 100}
"""


def test_condition_and_boost() -> None:
    pb = make(PLAYBOOK)
    angry_text = "Service lamentable, je suis furieux"
    angry = pb.decide(MentionInput(text=angry_text), None, MONDAY_MORNING)
    calm = pb.decide(MentionInput(text="Bonjour, une question"), None, MONDAY_MORNING)
    assert angry.scenarios == ["mecontent"]
    assert calm.scenarios == []
    assert any(e.rule == "ton_negatif" for e in angry.evidence) or angry.priority > calm.priority


def test_unknown_sentiment_is_a_playbook_error() -> None:
    from playbooks import PlaybookError

    with pytest.raises(PlaybookError):
        make(PLAYBOOK.replace("sentiment: negative}", "sentiment: furious}"))
