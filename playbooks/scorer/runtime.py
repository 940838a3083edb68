"""The learned scorer at run time: load the committed weights once, score normalised text.

The weights file is a numpy `.npz` (no pickle: `allow_pickle=False`) holding the feature
vocabulary, one column of weights per label, the bias and the calibration of each label.
One `Scorer` per process is shared by every playbook and brand (`get_scorer`).
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .features import ABSTRACT_CLASSES, word_feature_names

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "scorer.npz"

# French names used in evidence (the case view is French first).
LABEL_NAMES = {
    "toxicity": "toxicité",
    "insult": "insulte",
    "hate": "haine envers un groupe",
    "threat": "menace",
    "self_harm": "détresse",
}

_WORD_CACHE_MAX = 200_000


def _text(arr: np.ndarray) -> str:
    return bytes(arr.tobytes()).decode("utf-8")


@dataclass(frozen=True, slots=True)
class Contribution:
    """A word that weighed towards a label: its weight and where it occurs (normalised text)."""

    word: str
    weight: float
    spans: tuple[tuple[int, int], ...]


class Scores:
    """Calibrated probabilities for one text, and the words behind each of them."""

    __slots__ = ("_ids", "_norm", "_scorer", "_words", "probs", "text")

    def __init__(
        self, scorer: Scorer, text: str, words: list[str], ids: set[int], probs: dict[str, float]
    ) -> None:
        self._scorer = scorer
        self.text = text
        self._words = words
        self._ids = ids
        self._norm = math.sqrt(len(ids)) if ids else 1.0
        self.probs = probs

    def __getitem__(self, label: str) -> float:
        return self.probs[label]

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        """The words that pushed `label` up the most (their share of the linear score)."""
        s = self._scorer
        k = s.labels.index(label)
        column = s.weights[:, k]
        weight: dict[str, float] = {}
        # A feature shared by several words (a common n-gram) counts once in the score:
        # split its weight between them so the shares add up to the score.
        owners: dict[int, list[str]] = {}
        for w in dict.fromkeys(self._words):
            for i in s.word_ids(w):
                owners.setdefault(i, []).append(w)
        for i, ws in owners.items():
            share = float(column[i]) / len(ws)
            for w in ws:
                weight[w] = weight.get(w, 0.0) + share
        for a, b, i in s.bigram_ids(self._words):
            half = float(column[i]) / 2
            weight[a] = weight.get(a, 0.0) + half
            weight[b] = weight.get(b, 0.0) + half
        ranked = sorted(
            ((w, v / self._norm) for w, v in weight.items() if v > 0), key=lambda x: (-x[1], x[0])
        )
        out: list[Contribution] = []
        for w, v in ranked[:n]:
            spans: list[tuple[int, int]] = []
            needle = f" {w} "
            start = self.text.find(needle)
            while start >= 0:
                spans.append((start + 1, start + 1 + len(w)))
                start = self.text.find(needle, start + len(w) + 1)
            out.append(Contribution(w, round(v, 3), tuple(spans)))
        return out


class Scorer:
    """Multi-label linear scorer over word, character and lexicon-class features."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path, allow_pickle=False) as data:
            self.labels: tuple[str, ...] = tuple(_text(data["labels"]).split("\n"))
            vocab = _text(data["vocab"]).split("\n")
            self.weights = np.ascontiguousarray(data["weights"], dtype=np.float32)
            self.bias = data["bias"].astype(np.float64)
            self.calib_a = data["calib_a"].astype(np.float64)
            self.calib_b = data["calib_b"].astype(np.float64)
            classes = _text(data["classes"])
            self.meta: dict[str, Any] = json.loads(_text(data["meta"]))
        self.vocab: dict[str, int] = {name: i for i, name in enumerate(vocab)}
        self.classes: dict[str, str] = dict(
            line.split("\t", 1) for line in classes.split("\n") if line
        )
        # Words that bigrams replace by their class (insults, groups).
        self.abstract = {w: c for w, c in self.classes.items() if c in ABSTRACT_CLASSES}
        self._cache: dict[str, tuple[int, ...]] = {}
        self.path = path

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Vocabulary rows of one word's features (cached)."""
        ids = self._cache.get(word)
        if ids is None:
            vocab = self.vocab
            found = (vocab.get(f) for f in word_feature_names(word, self.classes.get(word)))
            ids = tuple(sorted({i for i in found if i is not None}))
            if len(self._cache) >= _WORD_CACHE_MAX:
                self._cache.clear()  # rare: a flood of unseen words; a cold cache is correct
            self._cache[word] = ids
        return ids

    def bigram_ids(self, words: list[str]) -> list[tuple[str, str, int]]:
        """Adjacent word pairs known to the model (lexicon words replaced by their class)."""
        abstract_of, vocab = self.abstract, self.vocab
        abstract = [abstract_of.get(w, w) for w in words]
        out = []
        for j in range(len(words) - 1):
            i = vocab.get(f"b:{abstract[j]} {abstract[j + 1]}")
            if i is not None:
                out.append((words[j], words[j + 1], i))
        return out

    def raw(self, text: str) -> tuple[list[str], set[int], np.ndarray]:
        """Words, active feature rows and the linear score (before calibration) of a text."""
        words = text.split()
        ids: set[int] = set()
        cache = self._cache
        for w in set(words):
            t = cache.get(w)
            ids.update(t if t is not None else self.word_ids(w))
        if len(words) > 1:
            abstract_of, vocab = self.abstract, self.vocab
            abstract = [abstract_of.get(w, w) for w in words]
            for a, b in zip(abstract, abstract[1:], strict=False):
                i = vocab.get(f"b:{a} {b}")
                if i is not None:
                    ids.add(i)
        if ids:
            rows = np.fromiter(ids, dtype=np.intp, count=len(ids))
            z = self.weights[rows].sum(axis=0, dtype=np.float64) / math.sqrt(len(ids)) + self.bias
        else:
            z = self.bias.copy()
        return words, ids, z

    def score(self, text: str) -> Scores:
        """Calibrated probability per label for a normalised text (`NormalizedText.text`)."""
        words, ids, z = self.raw(text)
        p = 1.0 / (1.0 + np.exp(-(self.calib_a * z + self.calib_b)))
        probs = dict(zip(self.labels, (round(float(v), 4) for v in p), strict=True))
        return Scores(self, text, words, ids, probs)


_LOCK = threading.Lock()
_SCORER: Scorer | None = None


def get_scorer() -> Scorer:
    """The process-wide scorer, loaded on first use and shared by every playbook."""
    global _SCORER
    if _SCORER is None:
        with _LOCK:
            if _SCORER is None:
                _SCORER = Scorer()
    return _SCORER


def model_available() -> bool:
    """Whether the committed weights are present."""
    return MODEL_PATH.is_file()
