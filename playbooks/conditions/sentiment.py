"""The `sentiment` condition: the mention's estimated tone (playbooks.sentiment)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from ..sentiment import LABELS, label_of
from .base import Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts


def sentiment_of(facts: Facts) -> str:
    """The mention's sentiment, computed once (lexicon and the scorer's toxicity)."""
    if facts.sentiment is None:
        # The same estimate as the one triage stores and the case shows.
        facts.sentiment = label_of(facts.mention.text)
    return facts.sentiment


@register
class SentimentIs(Condition):
    """The estimated tone is this one (`negative`, `neutral`, `positive`) or one of a list."""

    kind = "sentiment"
    cost = 3  # a lexicon pass and the scorer (once per mention)
    value_type = (
        Literal["negative", "neutral", "positive"]
        | list[Literal["negative", "neutral", "positive"]]
    )

    def test(self, facts: Facts) -> bool:
        wanted = self.value if isinstance(self.value, list) else [self.value]
        return sentiment_of(facts) in wanted

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield Finding("sentiment", f"Ton estimé : {LABELS[sentiment_of(facts)]}")
