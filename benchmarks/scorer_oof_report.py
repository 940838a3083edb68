"""Compare candidate scorers on the tune parts, out of fold: separation, calibration, rates.

Run: .venv/bin/python -m playbooks.scorer train --out /tmp/x.npz --oof /tmp/x.json
     .venv/bin/python benchmarks/scorer_oof_report.py /tmp/base.json /tmp/x.json

For each out-of-fold file (every tune row scored by a model that never saw it, nor any case of
its HateCheck template): the scorer-alone rule of `eval_playbook.py` applied per dev set and
HateCheck functionality; then per label the AUC per source (threshold-free: what decides
whether any bound can add recall without false alarms), the Brier score, the expected
calibration error and the reliability table (share of positives per tenth of probability)
over the original rows of every source but written frames. Validation rows are never read.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from playbooks.scorer.data import dev_rows, load_split
from playbooks.scorer.sources import LABELS, training_examples

SCORER_ALONE = {"insult": 0.5, "hate": 0.5, "threat": 0.5, "self_harm": 0.5, "toxicity": 0.9}
DEV_SETS = ("mhc-fr", "mlma-fr", "davidson-en")


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    from scipy.stats import rankdata

    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    ranks = rankdata(np.concatenate([pos, neg]))
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def alone_rates(oof: dict[str, dict[str, float]]) -> dict[tuple[str, str], tuple[int, int]]:
    """(flagged, n) per dev set and label or functionality, scorer alone, tune rows."""
    split = load_split()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for name in DEV_SETS:
        for row in dev_rows(name):
            p = oof.get(row["source_id"])
            if row["source_id"] in split.get(name, set()) or p is None:
                continue
            s4 = p.get("threat", 0) >= 0.5 or p.get("self_harm", 0) >= 0.5
            s3 = s4 or any(p.get(k, 0) >= v for k, v in SCORER_ALONE.items())
            labels = list(row["labels"])
            if name == "mlma-fr" and "normal" not in labels:
                labels.append("(hostile)")
            for label in labels:
                c = counts[(name, label)]
                c[0] += s4 if label.startswith("func:threat") else s3
                c[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


def calibration(p: np.ndarray, y: np.ndarray) -> tuple[float, float, str]:
    """Brier score, expected calibration error (10 bins) and the reliability table."""
    bins = np.minimum((p * 10).astype(int), 9)
    cells, ece = [], 0.0
    for b in range(10):
        m = bins == b
        if m.any():
            ece += m.sum() * abs(float(y[m].mean()) - float(p[m].mean()))
            cells.append(f"{y[m].mean():.2f}/{m.sum()}")
        else:
            cells.append("-")
    return float(np.mean((p - y) ** 2)), ece / len(p), " ".join(cells)


def report(path: Path, examples: dict[str, Any]) -> None:
    """Print one out-of-fold file's figures."""
    oof = json.loads(path.read_text(encoding="utf-8"))
    print(f"===== {path}")
    for (name, label), (hit, n) in alone_rates(oof).items():
        print(f"  {name:12} {label:28} {hit / n:6.1%} n={n}")
    for label in LABELS:
        by_source: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
        for sid, probs in oof.items():
            ex = examples.get(sid)
            if ex is None or label not in probs or ex.labels.get(label) is None:
                continue
            if ex.group.startswith("examples-frame:"):
                continue
            by_source[ex.source][0].append(probs[label])
            by_source[ex.source][1].append(ex.labels[label])
        parts, ps, ys = [], [], []
        for source, (pp, yy) in sorted(by_source.items()):
            ps += pp
            ys += yy
            parts.append(f"{source} {auc(np.array(pp), np.array(yy)):.3f}")
        brier, ece, table = calibration(np.array(ps), np.array(ys, dtype=float))
        print(f"  {label:9} AUC " + "; ".join(parts) + f" | Brier {brier:.4f} ECE {ece:.3f}")
        print(f"            reliability (share positive/n per tenth): {table}")


def main() -> None:
    """Report every out-of-fold file given."""
    examples = {e.source_id: e for e in training_examples()}
    for arg in sys.argv[1:]:
        report(Path(arg), examples)


if __name__ == "__main__":
    main()
