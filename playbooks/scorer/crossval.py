"""Out-of-fold scores and Platt calibration, shared by the linear and hidden-layer models.

Every probability the scorer ships is calibrated on scores of rows the model did not see
(folds grouped by HateCheck template, so a template never helps calibrate itself), and the
playbooks' bounds are chosen on those same out-of-fold scores.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

Split = tuple[np.ndarray, np.ndarray]  # training rows, held-out rows


def out_of_fold(
    splits: Iterable[Split],
    fit: Callable[[np.ndarray], Any],
    predict: Callable[[Any, np.ndarray], np.ndarray],
    shape: tuple[int, ...],
    log: Callable[[str], Any] | None = None,
) -> np.ndarray:
    """Scores of every row from a model fitted on the other folds."""
    oof = np.zeros(shape)
    for f, (train_rows, test_rows) in enumerate(splits):
        t0 = time.process_time()
        oof[test_rows] = predict(fit(train_rows), test_rows)
        if log is not None:
            log(f"    fold {f}: {time.process_time() - t0:.0f} s CPU")
    return oof


def platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling (a, b) of one label's out-of-fold scores: p = 1 / (1 + exp(-(a z + b)))."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    m.fit(z.reshape(-1, 1), y, sample_weight=w)
    return float(m.coef_[0][0]), float(m.intercept_[0])
