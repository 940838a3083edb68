"""The learned scorer at run time: load the committed weights once, score normalised text.

The weights file is a numpy `.npz` (no pickle: `allow_pickle=False`) holding the feature
vocabulary, one column of weights per label, the bias and the calibration of each label.
One `Scorer` per process is shared by every playbook and brand (`get_scorer`).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

import numpy as np

from .features import (
    ABSTRACT_CLASSES,
    TARGET_TAGS,
    structure_features,
    word_feature_names,
    word_tags,
)
from .pair_search import PairSearch
from .scores import Scores

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "scorer.npz"

# French names used in evidence (the case view is French first).
LABEL_NAMES = {
    "toxicity": "toxicité",
    "insult": "insulte",
    "hate": "haine envers un groupe",
    "threat": "menace",
    "self_harm": "détresse",
    "hate_group": "haine envers un groupe nommé",
}

_WORD_CACHE_MAX = 200_000


def _text(arr: np.ndarray) -> str:
    return bytes(arr.tobytes()).decode("utf-8")


class Scorer:
    """Multi-label scorer over word, character and lexicon-class features: linear, or (wave 6)
    the same per-feature rows summed into a hidden ReLU layer with one output per label."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        # Part of the version of every playbook that uses the scorer: decisions stay traceable.
        self.digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        with np.load(path, allow_pickle=False) as data:
            self.labels: tuple[str, ...] = tuple(_text(data["labels"]).split("\n"))
            vocab = _text(data["vocab"]).split("\n")
            # Feature rows and a column of ones (one gather sums weights and counts features);
            # a hidden layer's stay float32 (wave 6's, as float64 and padded, took 209 MiB).
            stored = data["weights"]
            nl = self.width = stored.shape[1]
            dtype = np.float32 if "hidden_w" in data else np.float64
            self._counted = np.empty((len(stored), nl + 1), dtype)
            self._counted[:, :nl] = stored
            self._counted[:, nl] = 1.0
            del stored
            self.weights = self._counted[:, :nl]
            self.bias = data["bias"].astype(np.float64)
            self.calib_a = data["calib_a"].astype(np.float64)
            self.calib_b = data["calib_b"].astype(np.float64)
            classes = _text(data["classes"])
            self.meta: dict[str, Any] = json.loads(_text(data["meta"]))
            # Word vectors, as each word's share of each label (sorted words: binary search).
            self.emb_words = data["emb_words"] if "emb_words" in data else np.zeros(0, "S24")
            # Each word vector's share of each label (float16 as stored: ≈ 3 MB for 300k words).
            self.emb_proj = data["emb_proj"] if "emb_proj" in data else np.zeros((0, 0))
            # Hidden-layer head: the word vector of each word is one of fewer distinct vectors.
            self.emb_index = data.get("emb_index")
            self.hidden_w = data["hidden_w"].astype(np.float64) if "hidden_w" in data else None
            self.hidden_b = data["hidden_b"].astype(np.float64) if "hidden_b" in data else None
        self.vocab: dict[str, int] = {name: i for i, name in enumerate(vocab)}
        self.classes: dict[str, str] = dict(
            line.split("\t", 1) for line in classes.split("\n") if line
        )
        # Words that bigrams replace by their class (insults, groups).
        self.abstract = {w: c for w, c in self.classes.items() if c in ABSTRACT_CLASSES}
        # Bigrams keyed by word pair: a tuple lookup is cheaper than building a string.
        self.pairs: dict[tuple[str, str], int] = {
            tuple(name[2:].split(" ", 1)): i  # type: ignore[misc]
            for name, i in self.vocab.items()
            if name.startswith("b:")
        }
        self._pair_keys = frozenset(self.pairs)
        self._pair_search = PairSearch(self.pairs, self.abstract)  # a batch's, at once
        self._tags: dict[str, frozenset[str]] = {}
        self._target_words: set[str] = set()
        # One row per word seen: the sums of its features' weights, how many it has, then its
        # word vector's share of each label (or hidden unit) and whether it has one.
        self._rows: dict[str, int] = {}
        self.word_rows = np.zeros((4096, 2 * nl + 2), dtype)
        self._lock = threading.Lock()
        self.path = path
        # Per label: name, bias and calibration (a, b), as plain floats for `score`.
        bias = self.hidden_b if self.hidden_b is not None else self.bias
        calib = (self.calib_a.tolist(), self.calib_b.tolist())
        self._calibration = list(zip(self.labels, bias.tolist(), *calib, strict=True))

    def word_vector(self, word: str) -> np.ndarray:
        """A word's summed feature weights and, last, its number of known features."""
        vocab = self.vocab
        names = dict.fromkeys(word_feature_names(word, self.classes.get(word)))
        ids = [i for i in map(vocab.get, names) if i is not None]
        nl = self.width
        out = np.zeros(2 * nl + 2, self.word_rows.dtype)
        if ids:
            out[: nl + 1] = self._counted[ids].sum(axis=0)
        e = self.emb_row(word)
        if e is not None:
            if self.emb_index is not None:
                e = int(self.emb_index[e])
            out[nl + 1 : 2 * nl + 1] += self.emb_proj[e]
            out[2 * nl + 1] += 1.0
        return out

    def emb_row(self, word: str) -> int | None:
        """Row of the word's vector share, if the word has a vector."""
        if not len(self.emb_words) or not word.isascii() or len(word) > 24:
            return None
        key = word.encode("ascii")
        i = int(np.searchsorted(self.emb_words, key))
        return i if i < len(self.emb_words) and self.emb_words[i] == key else None

    def tags(self, word: str) -> frozenset[str]:
        """Structure tags of a word (cached; words that can anchor a structure feature are
        also kept in a set, so most texts skip the structure pass with one C-level test)."""
        t = self._tags.get(word)
        if t is None:
            t = word_tags(word, self.classes.get(word))
            if len(self._tags) < _WORD_CACHE_MAX:
                self._tags[word] = t
                if not t.isdisjoint(TARGET_TAGS):
                    self._target_words.add(word)
        return t

    def word_row(self, word: str) -> int | None:
        """Row of `word_rows` caching this word's vector (None once the cache is full)."""
        row = self._rows.get(word)
        if row is not None:
            return row
        vector = self.word_vector(word)
        self.tags(word)
        with self._lock:  # workers may share the scorer across threads
            row = self._rows.get(word)
            if row is not None:
                return row
            row = len(self._rows)
            if row >= _WORD_CACHE_MAX:
                return None  # a flood of unseen words: computed each time, never evicted
            if row >= len(self.word_rows):
                grown = np.zeros((2 * len(self.word_rows), self.word_rows.shape[1]), vector.dtype)
                grown[:row] = self.word_rows[:row]
                self.word_rows = grown
            self.word_rows[row] = vector
            self._rows[word] = row
        return row

    def bigram_ids(self, words: list[str]) -> list[tuple[str, str, int]]:
        """Adjacent word pairs known to the model (insults and groups replaced by their class)."""
        abstract = list(map(self.abstract.get, words, words))
        out = []
        for j, i in enumerate(map(self.pairs.get, pairwise(abstract))):
            if i is not None:
                out.append((words[j], words[j + 1], i))
        return out

    def raw(self, text: str) -> tuple[list[str], int, np.ndarray]:
        """Words, number of features counted and the linear score (before calibration)."""
        words, v = self._sums(text)
        nl = self.width
        total = int(v[nl])
        z = v[:nl] / math.sqrt(total) if total else v[:nl]
        n_vec = v[2 * nl + 1]
        if n_vec:
            z = z + v[nl + 1 : 2 * nl + 1] / math.sqrt(n_vec)
        z = z + self.bias
        if self.hidden_w is not None:
            z = np.maximum(z, 0.0) @ self.hidden_w + self.hidden_b
        return words, total, z

    def direction(self, text: str, k: int) -> np.ndarray:
        """How a feature row's numbers weigh towards label `k` in this text: the label's unit
        vector for the linear model; for the hidden layer, the output weights of the hidden
        units the text switches on (the model is linear within that pattern)."""
        if self.hidden_w is None:
            out = np.zeros(self.width)
            out[k] = 1.0
            return out
        _, v = self._sums(text)
        nl = self.width
        total = int(v[nl])
        h = v[:nl] / math.sqrt(total) if total else v[:nl]
        if v[2 * nl + 1]:
            h = h + v[nl + 1 : 2 * nl + 1] / math.sqrt(v[2 * nl + 1])
        return np.where(h + self.bias > 0, self.hidden_w[:, k], 0.0)

    def _features(
        self, text: str, words: list[str] | None = None, *, pairs: bool = True
    ) -> tuple[list[str], list[int], list[int], list[int], np.ndarray | None]:
        """A text's words (`text.split()`, unless given), then the rows to sum: its distinct
        words' (`word_rows`), its known pairs' (unless `pairs` is false: `score_many` finds
        them for the batch) and structure features' (`_counted`), and the vectors of words
        past the cache."""
        if words is None:
            words = text.split()
        distinct = dict.fromkeys(words)
        rows = list(map(self._rows.get, distinct))
        extra = None
        if None in rows:
            rows = [self.word_row(w) for w in distinct]
            if None in rows:
                missing = [w for w, r in zip(distinct, rows, strict=True) if r is None]
                extra = cast(np.ndarray, sum(self.word_vector(w) for w in missing))
                rows = [r for r in rows if r is not None]
        pair_ids: list[int] = []
        if pairs and len(words) > 1:  # else the caller's batch search (`PairSearch`)
            abstract = list(map(self.abstract.get, words, words))
            # Most pairs are unknown: a set intersection (in C) finds the few known ones.
            found = self._pair_keys.intersection(pairwise(abstract))
            if found:  # summed in row order: a set's order follows PYTHONHASHSEED
                known = self.pairs
                pair_ids = sorted([known[k] for k in found])
        if extra is not None:  # words past the cache: their tags are computed here
            for w in distinct:
                self.tags(w)
        structure: list[int] = []
        if not self._target_words.isdisjoint(distinct) or (
            extra is not None
            and any(word_tags(w, self.classes.get(w)) & TARGET_TAGS for w in distinct)
        ):
            tags = self._tags
            tagged = [tags[w] if w in tags else self.tags(w) for w in words]
            vocab = self.vocab
            structure = [i for i in map(vocab.get, structure_features(tagged)) if i is not None]
        return words, cast(list[int], rows), pair_ids, structure, extra  # no None left

    def _sums(self, text: str) -> tuple[list[str], np.ndarray]:
        """Words and the summed rows of their features (weights, count, word-vector shares)."""
        words, rows, pair_ids, structure, extra = self._features(text)
        v = self.word_rows.take(rows, axis=0).sum(axis=0)
        if extra is not None:
            v = v + extra
        n = self.width + 1  # the feature rows have no word-vector columns
        for ids in (pair_ids, structure):
            if ids:
                v[:n] += self._counted[ids].sum(axis=0)
        return words, v

    def score(self, text: str) -> Scores:
        """Calibrated probability per label for a normalised text (`NormalizedText.text`)."""
        words, v = self._sums(text)
        if self.hidden_w is not None:
            return self._score_hidden(text, words, v)
        return self._scores(text, words, v.tolist())

    def score_many(self, texts: list[str], words: list[list[str]] | None = None) -> list[Scores]:
        """`score` of each text, the same numbers: the rows of every text gathered and summed
        in one numpy call per kind (words, pairs, structure) instead of several per text.
        `words`: each text's `split()` when the caller has it (`NormalizedText.words`)."""
        if words is None:
            plans = [self._features(t, pairs=False) for t in texts]
        else:
            plans = [self._features(t, w, pairs=False) for t, w in zip(texts, words, strict=True)]
        pair_rows = self._pair_search.rows([plan[0] for plan in plans])
        out = np.zeros((len(texts), self.word_rows.shape[1]), self.word_rows.dtype)
        # Each kind's rows summed per text in the order `_sums` adds them: words, pairs, then
        # structure, so every float is the one `score` computes.
        kinds = (
            (self.word_rows, [plan[1] for plan in plans]),
            (self._counted, pair_rows),
            (self._counted, [plan[3] for plan in plans]),
        )
        for table, rows in kinds:
            have = [i for i, r in enumerate(rows) if r]
            if not have:
                continue
            flat: list[int] = []
            starts: list[int] = []
            for i in have:
                starts.append(len(flat))
                flat.extend(rows[i])
            sums = np.add.reduceat(table.take(flat, axis=0), starts, axis=0)
            if table is self.word_rows:
                out[have] = sums
            else:  # the feature rows have no word-vector columns
                out[have, : sums.shape[1]] += sums
        scores: list[Scores] = []
        if self.hidden_w is None:  # plain floats for `_scores`, converted in one call
            for text, plan, row in zip(texts, plans, out.tolist(), strict=True):
                if plan[4] is not None:  # words past the cache: rare, scored alone
                    scores.append(self.score(text))
                else:
                    scores.append(self._scores(text, plan[0], row))
            return scores
        for text, plan, v in zip(texts, plans, out, strict=True):
            if plan[4] is not None:
                scores.append(self.score(text))
            else:
                scores.append(self._score_hidden(text, plan[0], v))
        return scores

    def _scores(self, text: str, words: list[str], sums: list[float]) -> Scores:
        # Five labels: plain floats beat numpy's per-call cost on vectors this small, and give
        # the same numbers as `raw` (the same IEEE operations in the same order).
        nl = len(self.labels)
        total = int(sums[nl])
        root = math.sqrt(total) if total else 0.0
        n_vec = sums[2 * nl + 1]
        root_vec = math.sqrt(n_vec) if n_vec else 0.0
        probs = {}
        for k, (label, bias, a, b) in enumerate(self._calibration):
            z = sums[k] / root if total else sums[k]
            if n_vec:
                z = z + sums[nl + 1 + k] / root_vec
            z = z + bias
            probs[label] = round(1.0 / (1.0 + math.exp(-(a * z + b))), 4)
        return Scores(self, text, words, total, probs)

    def _score_hidden(self, text: str, words: list[str], v: np.ndarray) -> Scores:
        nl = self.width
        total = int(v[nl])
        h = v[:nl] / math.sqrt(total) if total else v[:nl]
        n_vec = v[2 * nl + 1]
        if n_vec:
            h = h + v[nl + 1 : 2 * nl + 1] / math.sqrt(n_vec)
        h = h + self.bias
        z = (np.maximum(h, 0.0) @ self.hidden_w + self.hidden_b).tolist()
        probs = {}
        for k, (label, _bias, a, b) in enumerate(self._calibration):
            probs[label] = round(1.0 / (1.0 + math.exp(-(a * z[k] + b))), 4)
        return Scores(self, text, words, total, probs)


_LOCK = threading.Lock()
_SCORER: Scorer | None = None


def get_scorer() -> Scorer:
    """The process-wide scorer, loaded on first use and shared by every playbook."""
    global _SCORER
    if _SCORER is None:
        with _LOCK:
            if _SCORER is None:
                _SCORER = Scorer(MODEL_PATH)  # read now: a benchmark may point it elsewhere
    return _SCORER


def use_weights(path: str | Path) -> None:
    """This process decides with these weights from now on (a benchmark's `--model`)."""
    global _SCORER
    _SCORER = Scorer(Path(path))
