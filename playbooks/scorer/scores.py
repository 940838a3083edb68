"""A text's calibrated scores and the words behind them (`Scorer.score` makes them; the
`model` condition and its evidence read them)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np


class Scorer(Protocol):
    """What the evidence reads of `runtime.Scorer` (a protocol, so that this module needs no
    import of the runtime that makes its scores)."""

    labels: tuple[str, ...]
    width: int
    weights: np.ndarray
    word_rows: np.ndarray
    hidden_w: np.ndarray | None
    _counted: np.ndarray
    _rows: dict[str, int]

    def word_row(self, word: str) -> int | None: ...
    def word_vector(self, word: str) -> np.ndarray: ...
    def bigram_ids(self, words: list[str]) -> list[tuple[str, str, int]]: ...
    def direction(self, text: str, k: int) -> np.ndarray: ...


def _function_words() -> frozenset[str]:
    # Grammar words weigh in the score (a first person "je … me" matters for distress) but
    # tell a reviewer nothing: evidence shows the content words.
    words: set[str] = set()
    lexicons = Path(__file__).resolve().parents[1] / "lexicons"
    for path in (*lexicons.glob("*/function_words.txt"), *lexicons.glob("*/grammar_words.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(line.split())
    return frozenset(words)


_NOT_EVIDENCE = _function_words()


@dataclass(frozen=True, slots=True)
class Contribution:
    """A word that weighed towards a label: its weight and where it occurs (normalised text)."""

    word: str
    weight: float
    spans: tuple[tuple[int, int], ...]


def spans_of(text: str, word: str) -> tuple[tuple[int, int], ...]:
    """Where a whole word occurs in a normalised text (words between single spaces)."""
    spans: list[tuple[int, int]] = []
    needle = f" {word} "
    start = text.find(needle)
    while start >= 0:
        spans.append((start + 1, start + 1 + len(word)))
        start = text.find(needle, start + len(word) + 1)
    return tuple(spans)


class Scores:
    """Calibrated probabilities for one text, and the words behind each of them."""

    __slots__ = ("_basis", "_scorer", "_total", "_weighed", "_words", "probs", "text")

    def __init__(
        self, scorer: Scorer, text: str, words: list[str], total: int, probs: dict[str, float]
    ) -> None:
        self._scorer = scorer
        self.text = text
        self._words = words
        self._total = total
        self.probs = probs
        self._weighed: dict[str, dict[str, float]] = {}  # per label, on first ask
        self._basis: tuple[list[str], np.ndarray, list[Any], list[list[float]]] | None = None

    def __getitem__(self, label: str) -> float:
        return self.probs[label]

    @property
    def whole(self) -> Scores:
        """The whole message's scores (these; a sentence-sharpened result has its own)."""
        return self

    def grounded(self, label: str) -> bool:
        """Whether a content word pushed `label` up (not only grammar words, as the "t'es" of
        "t'es où ?" would: no evidence a reviewer could see, so no `model` condition holds)."""
        return any(v > 0 and w not in _NOT_EVIDENCE for w, v in self._weights(label).items())

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        """The words that pushed `label` up the most (their share of the linear score)."""
        weight = self._weights(label)
        ranked = sorted(
            ((w, v) for w, v in weight.items() if v > 0 and len(w) > 2 and w not in _NOT_EVIDENCE),
            key=lambda x: (-x[1], x[0]),
        )
        return [Contribution(w, round(v, 3), spans_of(self.text, w)) for w, v in ranked[:n]]

    def _weights(self, label: str) -> dict[str, float]:
        weight = self._weighed.get(label)
        if weight is None:  # `grounded` then `top_words` ask for the same label
            weight = self._weighed[label] = self._compute_weights(label)
        return weight

    def _compute_weights(self, label: str) -> dict[str, float]:
        if not self._words:
            return {}
        k = self._scorer.labels.index(label)
        if self._scorer.hidden_w is None:
            return self._linear_weights(k)
        return self._direction_weights(k)

    def _direction_weights(self, k: int) -> dict[str, float]:
        """Each word's dot product with label `k`'s direction (any model)."""
        s = self._scorer
        nl = s.width
        vectors: dict[str, np.ndarray] = {}
        for w in dict.fromkeys(self._words):
            row = s.word_row(w)
            vectors[w] = s.word_rows[row] if row is not None else s.word_vector(w)
        n_vec = sum(float(v[2 * nl + 1]) for v in vectors.values())
        norm = math.sqrt(self._total) if self._total else 1.0
        emb_norm = math.sqrt(n_vec) if n_vec else 1.0
        # Linear model: a word's share of the label's score. Hidden layer: its share of the
        # hidden units this text switches on, times their weight towards the label.
        direction = s.direction(self.text, k)
        weight = {
            w: float(v[:nl] @ direction) / norm
            + float(v[nl + 1 : 2 * nl + 1] @ direction) / emb_norm
            for w, v in vectors.items()
        }
        for a, b, i in s.bigram_ids(self._words):
            # a pair's weight is shared by its two words
            half = float(s.weights[i] @ direction) / 2 / norm
            weight[a] += half
            weight[b] += half
        return weight

    def _linear_weights(self, k: int) -> dict[str, float]:
        """`_weights` of the linear model: its direction is label `k`'s unit vector, so each
        dot product above is the row's k-th number (exactly: the other terms are zeros). The
        words' rows and the known pairs' are gathered once per text for every label."""
        if self._basis is None:
            self._basis = self._linear_basis()
        words, table, bigrams, pair_rows = self._basis
        nl = self._scorer.width
        own, shared, counted = table[:, [k, nl + 1 + k, 2 * nl + 1]].T.tolist()
        n_vec = sum(counted)
        norm = math.sqrt(self._total) if self._total else 1.0
        emb_norm = math.sqrt(n_vec) if n_vec else 1.0
        weight = {w: a / norm + b / emb_norm for w, a, b in zip(words, own, shared, strict=True)}
        for (a_word, b_word, _), row in zip(bigrams, pair_rows, strict=True):
            half = row[k] / 2 / norm  # a pair's weight shared by its two words
            weight[a_word] += half
            weight[b_word] += half
        return weight

    def _linear_basis(self) -> tuple[list[str], np.ndarray, list[Any], list[list[float]]]:
        """The text's distinct words, their rows (one `take` of the cached ones), its known
        pairs and their feature rows."""
        s = self._scorer
        words = list(dict.fromkeys(self._words))
        rows = list(map(s._rows.get, words))  # scoring the text cached them
        if None in rows:
            rows = [s.word_row(w) for w in words]
        if None in rows:  # words past the cache: their vectors computed
            pairs = zip(words, rows, strict=True)
            table = np.array(
                [s.word_rows[r] if r is not None else s.word_vector(w) for w, r in pairs]
            )
        else:
            table = s.word_rows.take(cast(list[int], rows), axis=0)
        bigrams = s.bigram_ids(self._words)
        # from the contiguous rows: `take` on the `weights` view copies the whole table first
        pair_rows = s._counted.take([i for _, _, i in bigrams], axis=0).tolist() if bigrams else []
        return words, table, bigrams, pair_rows
