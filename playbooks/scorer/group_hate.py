"""`hate_group`: hate decided among texts that name a group (wave-5 experiment, not shipped).

The `hate` label is trained on every row, so it learns "a group word is there" as much as
"this is said against the group": warm and neutral sentences about a group score high, and
tweets that name no group compete with those that do. `hate_group` is a sixth label trained
only on rows that name a group (a phrase of `lexicons/*/groups.txt`, determiner phrases such
as "les femmes" included), so its weights separate hateful from benign sentences *about a
group*; it means nothing on a text that names none, and the playbooks pair it with the
`groupes` lexicon.

It is a second stage over the committed scorer: the same features, the same vocabulary and
lexicon classes as the five labels (read from the weights file, so the run time computes it in
the same gather and the same normalisation), no word-vector share. Fitted with scipy
(class-balanced, weighted L2 logistic regression, L-BFGS; C as the other labels), calibrated
by Platt scaling on 5-fold out-of-fold scores of the group rows (folds grouped by HateCheck
template). Deterministic: fixed inputs and folds, a deterministic solver.

`python -m playbooks.scorer add-group-hate --out COPY.npz --oof OOF.json` appends the label
to a copy of the weights (replacing an earlier `hate_group` column); the five labels keep
their bytes. Measured in `playbooks/models/README.md` (wave 5): out-of-fold on the tune parts
it beat `hate` among group-naming texts, but on validation the playbook scenario it fed
flagged half of HateCheck's warm sentences about a group, so neither the label nor the
scenario ships; `make model` does not run this stage.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ..lexicons import LexiconSyntaxError, expand_entry
from ..normalize import normalize_term
from .crossval import out_of_fold

GROUP_LABEL = "hate_group"
C = 1.0
N_FOLDS = 5
SEED = 20261201


def group_phrases(lexicons_dir: Path) -> list[str]:
    """Normalised phrases of the groups lexicons (every expansion, determiners kept)."""
    out: set[str] = set()
    for lang in ("fr", "en"):
        path = lexicons_dir / lang / "groups.txt"
        if not path.is_file():
            continue
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line or line.startswith("!"):
                continue
            try:
                terms = expand_entry(line)
            except LexiconSyntaxError:
                continue
            for term in terms:
                norm = normalize_term(term.replace("*", "")).strip()
                if norm:
                    out.add(norm)
    return sorted(out)


def group_matcher(lexicons_dir: Path) -> re.Pattern[str]:
    """A pattern finding a group phrase between spaces in `f" {normalised text} "`."""
    phrases = group_phrases(lexicons_dir)
    return re.compile(r" (?:" + "|".join(re.escape(p) for p in phrases) + r") ")


def feature_matrix(norms: list[list[str]], vocab: dict[str, int], classes: dict[str, str]) -> Any:
    """Rows exactly as the run time computes them (`matrix.build_matrix` over the model's
    vocabulary and lexicon classes)."""
    from .matrix import build_matrix

    return build_matrix(norms, vocab, classes)


def folds_of(groups: list[str], y: np.ndarray) -> np.ndarray:
    """Fold of each row: units (HateCheck template, else the row with its perturbed copy)
    shuffled with a fixed seed and dealt in turn, units with a positive first."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    keys = sorted(by_group)
    random.Random(SEED).shuffle(keys)
    keys.sort(key=lambda g: -max(int(y[i]) for i in by_group[g]))  # stable sort
    fold = np.zeros(len(groups), dtype=np.int64)
    for k, g in enumerate(keys):
        fold[by_group[g]] = k % N_FOLDS
    return fold


def fit(X: Any, y: np.ndarray, w: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    """Weights and bias of a class-balanced, weighted L2 logistic regression (bias free)."""
    from scipy.optimize import minimize

    pos, neg = float(w[y == 1].sum()), float(w[y == 0].sum())
    s = w * np.where(y == 1, (pos + neg) / (2 * pos), (pos + neg) / (2 * neg)) * c
    sign = np.where(y == 1, 1.0, -1.0)
    Xt = X.T.tocsr()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, b = theta[:-1], theta[-1]
        z = sign * (X @ coef + b)
        g = -s * sign / (1.0 + np.exp(z))
        grad = np.concatenate([Xt @ g + coef, [g.sum()]])
        return float(0.5 * coef @ coef + (s * np.logaddexp(0.0, -z)).sum()), grad

    res = minimize(
        loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    return res.x[:-1], float(res.x[-1])


def platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling (a, b): p = 1 / (1 + exp(-(a z + b))), weighted log-loss."""
    from scipy.optimize import minimize

    sign = np.where(y == 1, 1.0, -1.0)

    def loss(t: np.ndarray) -> tuple[float, np.ndarray]:
        m = sign * (t[0] * z + t[1])
        g = -w * sign / (1.0 + np.exp(m))
        return float((w * np.logaddexp(0.0, -m)).sum()), np.array([(g * z).sum(), g.sum()])

    res = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(res.x[0]), float(res.x[1])


def training_rows(
    vocab: dict[str, int], classes: dict[str, str], *, log: Any = print
) -> tuple[Any, np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
    """Feature rows, labels, weights, CV units, ids and "is an original" of the group rows."""
    from .preprocess import augment, prepare
    from .sources import LEXICONS_DIR, training_examples

    examples = augment(training_examples())
    matcher = group_matcher(LEXICONS_DIR)
    chosen = []
    for e in examples:
        if e.labels.get("hate") is None:
            continue
        norm = prepare(e.text, e.lang)
        if matcher.search(f" {norm} "):
            chosen.append((e, norm.split()))
    per_source = dict(sorted(Counter(e.source for e, _ in chosen).items()))
    log(f"{GROUP_LABEL}: {len(chosen)} training rows name a group: {per_source}")
    X = feature_matrix([words for _, words in chosen], vocab, classes)
    y = np.array([e.labels["hate"] for e, _ in chosen], dtype=np.int64)
    w = np.array([e.weight for e, _ in chosen])
    groups = [e.group for e, _ in chosen]
    ids = [e.source_id for e, _ in chosen]
    orig = np.array([not i.endswith("#aug") for i in ids])
    return X, y, w, groups, ids, orig


def train_group_hate(
    vocab: dict[str, int], classes: dict[str, str], *, c: float = C, log: Any = print
) -> tuple[np.ndarray, float, float, float, dict[str, float], dict[str, Any]]:
    """Weights over `vocab`, bias, Platt (a, b), out-of-fold probabilities by source id, and
    an out-of-fold report."""
    X, y, w, groups, ids, orig = training_rows(vocab, classes, log=log)
    fold = folds_of(groups, y)
    oof = out_of_fold(
        ((np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(N_FOLDS)),
        lambda rows: fit(X[rows], y[rows], w[rows], c),
        lambda model, rows: X[rows] @ model[0] + model[1],
        (len(y),),
    )
    a_cal, b_cal = platt(oof, y, w)
    coef, b = fit(X, y, w, c)
    prob = 1.0 / (1.0 + np.exp(-(a_cal * oof + b_cal)))
    pos, neg = orig & (y == 1), orig & (y == 0)
    report = {
        "rows": int(orig.sum()),
        "positive": int(pos.sum()),
        "negative": int(neg.sum()),
        "recall@0.5": round(float(np.mean(prob[pos] >= 0.5)), 4),
        "false_alarm@0.5": round(float(np.mean(prob[neg] >= 0.5)), 4),
        "C": c,
    }
    log(f"{GROUP_LABEL}: out-of-fold {report}")
    oof_probs = {i: round(float(p), 4) for i, p, o in zip(ids, prob, orig, strict=True) if o}
    return coef, b, a_cal, b_cal, oof_probs, report


def add_group_hate(
    path: Path, *, c: float = C, oof_out: Path | None = None, log: Any = print
) -> None:
    """Append (or replace) the `hate_group` column of the weights file at `path`; its
    out-of-fold probabilities go into `oof_out` (merged with what is there)."""
    from .runtime import _text
    from .train import save

    with np.load(path, allow_pickle=False) as data:
        labels = _text(data["labels"]).split("\n")
        vocab_list = _text(data["vocab"]).split("\n")
        weights = data["weights"].astype(np.float64)
        bias = data["bias"].astype(np.float64)
        calib = np.vstack([data["calib_a"], data["calib_b"]]).astype(np.float64)
        classes_text = _text(data["classes"])
        meta = json.loads(_text(data["meta"]))
        emb_words = data["emb_words"]
        emb_proj = data["emb_proj"].astype(np.float64)
    if GROUP_LABEL in labels:  # retraining the second stage: drop the old column
        k = labels.index(GROUP_LABEL)
        labels.pop(k)
        weights = np.delete(weights, k, axis=1)
        bias = np.delete(bias, k)
        calib = np.delete(calib, k, axis=1)
        emb_proj = np.delete(emb_proj, k, axis=1)
    classes = dict(line.split("\t", 1) for line in classes_text.split("\n") if line)
    vocab = {n: i for i, n in enumerate(vocab_list)}
    coef, b, a_cal, b_cal, oof_probs, report = train_group_hate(vocab, classes, c=c, log=log)
    labels.append(GROUP_LABEL)
    weights = np.hstack([weights, coef.reshape(-1, 1)])
    bias = np.append(bias, b)
    calib = np.hstack([calib, np.array([[a_cal], [b_cal]])])
    emb_proj = np.hstack([emb_proj, np.zeros((len(emb_proj), 1))])
    meta["group_hate"] = report
    meta["labels"] = labels
    save(
        path,
        vocab_list,
        weights,
        bias,
        calib,
        classes,
        meta,
        [bytes(x).decode("ascii") for x in emb_words],
        emb_proj,
        labels=tuple(labels),
    )
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, labels {labels})")
    if oof_out is not None:  # merged into the five labels' file when `train` wrote one
        merged: dict[str, dict[str, float]] = (
            json.loads(oof_out.read_text(encoding="utf-8")) if oof_out.is_file() else {}
        )
        for source_id, p in oof_probs.items():
            merged.setdefault(source_id, {})[GROUP_LABEL] = p
        oof_out.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")
