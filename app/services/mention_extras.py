"""What triage stores on each mention row beside its decision: customer references and tone.

Computed for a whole batch at once: the learned scorer, which the sentiment label needs only
when the lexicon does not already find a text negative, scores those texts together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playbooks import references, sentiment


def extras_of(mentions: Sequence[Any], patterns: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Each mention's id, customer references and sentiment label, as stored on its row.
    `patterns`: the brand playbook's reference patterns (none: the built-in kinds)."""
    texts = [mention.text or "" for mention in mentions]
    return [
        {
            "id": mention.id,
            "customer_refs": references.as_dicts(references.extract(text, patterns)),
            "sentiment": label,
        }
        for mention, text, label in zip(mentions, texts, sentiment_labels(texts), strict=True)
    ]


def sentiment_labels(texts: Sequence[str]) -> list[str]:
    """``sentiment.label_of`` of each text (the same labels), the learned scorer run once over
    the texts whose label it can change (``score_many``: the same numbers as ``score``).

    As in label_of: a toxicity at or above ``sentiment.TOXIC`` makes any text negative; under
    it the scorer changes nothing, so a text the lexicon finds negative is not scored."""
    labels = [sentiment.estimate(text).label for text in texts]
    unsure = [i for i, label in enumerate(labels) if label != "negative"]
    if not unsure:
        return labels
    from playbooks.scorer import MODEL_PATH, get_scorer  # loads the model: only when needed

    if not MODEL_PATH.is_file():
        return labels
    scores = get_scorer().score_many([texts[i] for i in unsure])
    for i, score in zip(unsure, scores, strict=True):
        if score.probs.get("toxicity", 0.0) >= sentiment.TOXIC:
            labels[i] = "negative"
    return labels
