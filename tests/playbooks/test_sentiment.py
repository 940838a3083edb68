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


def _varied_texts() -> list[str]:
    """Texts of every tone: the demo stream's, shouted and toxic ones, and (when present
    beside the project) the French evaluation texts."""
    import json

    from connectors.demo import load_stream
    from playbooks.scorer.data import EVAL_DATA

    texts = [str(line["text"]) for name in ("demo-rail",) for line in load_stream(name)]
    texts += [
        "Je vais vous tuer",
        "Bande de connards, vous allez voir",
        "VOUS ÊTES DES INCAPABLES ET DES VOLEURS",
        "Bonjour, une question sur mon billet",
        "Merci pour rien !!!",
        "pas mal, mais toujours pas remboursé",
        "😡😡😡",
        "",
    ]
    shared = EVAL_DATA / "mhc-fr"
    if (shared / "dev.jsonl").is_file():
        with (shared / "dev.jsonl").open(encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n >= 1500:
                    break
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    texts.append(text)
    return texts


def test_label_of_is_the_stored_estimate() -> None:
    """Ingest stores `label_of` (the scorer only when it can change the label): the same
    sentiment as the full estimate with the scorer's toxicity, for texts of every tone."""
    from playbooks.scorer import MODEL_PATH
    from playbooks.sentiment import label_of, of_text

    if not MODEL_PATH.is_file():
        pytest.skip("the scorer's weights are missing")
    texts = _varied_texts()
    labels = [of_text(t).label for t in texts]
    assert [label_of(t) for t in texts] == labels
    # The scorer is what turned some of them negative: the shortcut is tested where it matters.
    assert sum(of_text(t).label != estimate(t).label for t in texts) > 0
    assert {"negative", "neutral", "positive"} <= set(labels)
