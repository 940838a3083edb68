"""Train the scorer: `python -m playbooks.scorer train` (or `make model`).

One class-balanced logistic regression per label over the features of `matrix.py`, calibrated
by Platt scaling on out-of-fold scores (`crossval.py`); rows from `sources.py`, perturbed
copies from `preprocess.py`. Deterministic: inputs are read in a fixed order, augmentation and
folds use fixed seeds, the solver (liblinear) is deterministic for a given input. Needs
scikit-learn (the `train` extra); running the committed model needs numpy only.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .crossval import out_of_fold, platt
from .features import FEATURE_VERSION
from .matrix import (
    MIN_DF,
    VECTORS_USED,
    build_matrix,
    embedding_matrix,
    feature_names,
    word_vectors,
)
from .preprocess import augment, prepare
from .runtime import MODEL_PATH
from .sources import LABELS, SEED, SOURCE_WEIGHT, Example, lexicon_classes, training_examples
from .weights_file import text_array, write_npz

# Regularisation (inverse strength) per label: 1 rather than 4, the stronger setting, because
# the first model (C=4) recalled 99.9% of HateCheck's tune templates but fitted their wording
# (see models/README.md); `train --C` compares settings on out-of-fold figures.
C = {"toxicity": 1.0, "insult": 1.0, "hate": 1.0, "threat": 1.0, "self_harm": 1.0}


def logistic(c: float) -> Any:
    """One label's model: class-balanced logistic regression, deterministic solver."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, solver="liblinear", class_weight="balanced", max_iter=2000, random_state=SEED
    )


def fit_label(
    X: Any, y: np.ndarray, w: np.ndarray, groups: list[str], c: float
) -> tuple[np.ndarray, float, float, float, np.ndarray]:
    """Weights, bias, Platt calibration (a, b) and calibrated out-of-fold probabilities."""
    from scipy.special import expit
    from sklearn.model_selection import StratifiedGroupKFold

    def fit(rows: np.ndarray) -> Any:
        return logistic(c).fit(X[rows], y[rows], sample_weight=w[rows])

    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    oof = out_of_fold(
        folds.split(np.zeros(len(y)), y, groups),
        fit,
        lambda m, rows: m.decision_function(X[rows]),
        (len(y),),
    )
    a, b = platt(oof, y, w)
    final = fit(np.arange(len(y)))
    return (
        final.coef_[0].astype(np.float64),
        float(final.intercept_[0]),
        a,
        b,
        expit(a * oof + b),  # what the run time gives that score
    )


def _oof_report(
    examples: list[Example], rows: list[int], y: np.ndarray, oof: np.ndarray, log: Any
) -> dict[str, Any]:
    """Out-of-fold rates at 0.5 per source: recall on positives, false alarms on negatives."""
    report: dict[str, Any] = {}
    by_source: dict[str, list[int]] = {}
    for j, i in enumerate(rows):
        if not examples[i].source_id.endswith("#aug"):
            by_source.setdefault(examples[i].source, []).append(j)
    parts = []
    for source, js in sorted(by_source.items()):
        pos = [j for j in js if y[j] == 1]
        neg = [j for j in js if y[j] == 0]
        rec = float(np.mean(oof[pos] >= 0.5)) if pos else None
        fa = float(np.mean(oof[neg] >= 0.5)) if neg else None
        report[source] = {"recall": rec, "false_alarm": fa, "pos": len(pos), "neg": len(neg)}
        parts.append(
            f"{source} "
            + (f"R {rec:.0%}/{len(pos)}" if rec is not None else "R -")
            + (f" FA {fa:.0%}/{len(neg)}" if fa is not None else " FA -")
        )
    log("      out-of-fold: " + "; ".join(parts))
    return report


def train(
    out: Path = MODEL_PATH,
    *,
    log: Any = print,
    c: dict[str, float] | None = None,
    oof_out: Path | None = None,
) -> dict[str, Any]:
    """Train every label on the training examples and write the weights file.

    `oof_out` receives the out-of-fold probabilities of every (unperturbed) training row, by
    `source_id`: what thresholds are chosen on (`benchmarks/tune_thresholds.py`).
    """
    c_of = {**C, **(c or {})}
    oof_report: dict[str, Any] = {}
    oof_probs: dict[str, dict[str, float]] = {}
    examples = augment(training_examples())
    per_source = dict(sorted(Counter(e.source for e in examples).items()))
    log(f"{len(examples)} training rows: {per_source}")
    classes = lexicon_classes()
    norms = [prepare(e.text, e.lang).split() for e in examples]
    names = feature_names(norms, classes)
    vocab = {n: i for i, n in enumerate(names)}
    log(f"{len(vocab)} features (document frequency >= {MIN_DF})")
    X = build_matrix(norms, vocab, classes)
    emb_rows, table = word_vectors(log)
    if emb_rows:
        from scipy.sparse import csr_matrix, hstack

        E = embedding_matrix(norms, emb_rows, table)
        X = hstack([X, csr_matrix(E)], format="csr")
    n_sparse = len(vocab)
    weights = np.zeros((X.shape[1], len(LABELS)))
    bias = np.zeros(len(LABELS))
    calib = np.zeros((2, len(LABELS)))
    counts: dict[str, dict[str, int]] = {}
    for k, label in enumerate(LABELS):
        rows = [i for i, e in enumerate(examples) if e.labels.get(label) is not None]
        y = np.array([examples[i].labels[label] for i in rows], dtype=np.int64)
        w = np.array([examples[i].weight for i in rows])
        groups = [examples[i].group for i in rows]
        coef, b, a_cal, b_cal, oof = fit_label(X[rows], y, w, groups, c_of[label])
        weights[:, k], bias[k], calib[0, k], calib[1, k] = coef, b, a_cal, b_cal
        counts[label] = {"positive": int(y.sum()), "negative": int(len(y) - y.sum())}
        log(f"  {label:10} {counts[label]}")
        oof_report[label] = _oof_report(examples, rows, y, oof, log)
        for j, i in enumerate(rows):
            if not examples[i].source_id.endswith("#aug"):
                oof_probs.setdefault(examples[i].source_id, {})[label] = round(float(oof[j]), 4)
    # Word vectors ship as each word's share of each label's score (words × labels), not
    # as vectors: the run time needs neither the table nor a matrix product.
    emb_words = sorted(emb_rows)
    emb_proj = (
        table[[emb_rows[w] for w in emb_words]] @ weights[n_sparse:]
        if emb_rows
        else np.zeros((0, len(LABELS)))
    )
    weights = weights[:n_sparse]
    # Features no label uses are dropped: a smaller file and vocabulary.
    keep = np.abs(weights).max(axis=1) >= 1e-4
    kept = [n for n, k in zip(names, keep, strict=True) if k]
    weights = weights[keep]
    meta = {
        "feature_version": FEATURE_VERSION,
        "labels": list(LABELS),
        "seed": SEED,
        "C": c_of,
        "out_of_fold": oof_report,
        "min_df": MIN_DF,
        "source_weight": SOURCE_WEIGHT,
        "training_rows": dict(sorted(Counter(e.source for e in examples).items())),
        "label_counts": counts,
        "features": len(kept),
        "vector_words": len(emb_words),
        **VECTORS_USED,
    }
    save(out, kept, weights, bias, calib, dict(sorted(classes.items())), meta, emb_words, emb_proj)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(kept)} features)")
    if oof_out is not None:
        oof_out.write_text(json.dumps(oof_probs, sort_keys=True), encoding="utf-8")
    return meta


def save(
    out: Path,
    vocab: list[str],
    weights: np.ndarray,
    bias: np.ndarray,
    calib: np.ndarray,
    classes: dict[str, str],
    meta: dict[str, Any],
    emb_words: list[str],
    emb_proj: np.ndarray,
    labels: tuple[str, ...] = LABELS,
) -> None:
    """Write the `.npz` weights file reproducibly (fixed member order and timestamps)."""
    arrays = {
        "labels": text_array("\n".join(labels)),
        "vocab": text_array("\n".join(vocab)),
        "weights": weights.astype(np.float32),
        "bias": bias.astype(np.float32),
        "calib_a": calib[0].astype(np.float32),
        "calib_b": calib[1].astype(np.float32),
        "classes": text_array("".join(f"{w}\t{c}\n" for w, c in classes.items())),
        "meta": text_array(json.dumps(meta, sort_keys=True)),
        # Sorted, so the run time finds a word by binary search (no 300k-entry dict).
        "emb_words": np.array([w.encode("ascii") for w in emb_words], dtype="S24"),
        "emb_proj": emb_proj.astype(np.float16),
    }
    write_npz(out, arrays)


def iter_scores(examples: list[Example]) -> Iterator[tuple[Example, dict[str, float]]]:
    """Each example with the committed scorer's probabilities."""
    from .runtime import get_scorer

    scorer = get_scorer()
    for ex in examples:
        yield ex, scorer.score(prepare(ex.text, ex.lang)).probs
