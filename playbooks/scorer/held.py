"""The shipped scorer with some probabilities held fixed, for tests and experiments.

A `model` condition on an insult, hate or toxicity also needs a content word behind the score
(`Scores.grounded`), so the held scorer keeps the real one's words and weights and replaces
only the probabilities: what a playbook decides then depends on its rules and bounds alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from .runtime import Scorer, Scores


class HeldScorer:
    """`real` with the labels of `held` at their given probability and every other label at
    `rest` (None: the real probability). Install it as `runtime._SCORER`."""

    def __init__(
        self, real: Scorer, held: Mapping[str, float] | None = None, rest: float | None = None
    ) -> None:
        self.real = real
        self.labels = real.labels
        self.held = dict(held or {})
        self.rest = rest

    def bigram_ids(self, words: list[str]) -> list[tuple[str, str, int]]:
        return self.real.bigram_ids(words)

    def score(self, text: str) -> Scores:
        scores = self.real.score(text)
        real = scores.probs
        rest = self.rest
        probs = {k: real.get(k, 0.0) if rest is None else rest for k in self.labels}
        scores.probs = probs | {k: p for k, p in self.held.items() if k in probs}
        return scores
