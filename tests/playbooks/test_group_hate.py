"""The wave-5 `hate_group` experiment's tooling: group detection, a deterministic fit, and a
second stage that never touches the committed weights. Sentences written here."""

from __future__ import annotations

import numpy as np
import pytest

from playbooks.scorer import MODEL_PATH
from playbooks.scorer.__main__ import main
from playbooks.scorer.group_hate import group_matcher
from playbooks.scorer.preprocess import prepare
from playbooks.scorer.sources import LEXICONS_DIR


@pytest.mark.parametrize(
    ("text", "names_a_group"),
    [
        ("Les femmes ne savent pas conduire", True),
        ("j'adore mes collègues musulmans", True),
        ("Des réfugiés arrivent encore à la gare", True),
        ("mon train a encore deux heures de retard", False),
        ("ma femme m'attend sur le quai", False),  # "ma" is no determiner of the lexicon
    ],
)
def test_a_group_is_found_by_the_groups_lexicon(text: str, names_a_group: bool) -> None:
    matcher = group_matcher(LEXICONS_DIR)
    assert (matcher.search(f" {prepare(text, 'fr')} ") is not None) is names_a_group


def test_the_fit_is_deterministic_and_separates_a_toy_problem() -> None:
    pytest.importorskip("scipy")
    from scipy.sparse import csr_matrix

    from playbooks.scorer.group_hate import fit, folds_of, platt

    X = csr_matrix(np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1], [0, 1]], dtype=float))
    y = np.array([1, 1, 0, 0, 1, 0])
    w = np.ones(6)
    coef, b = fit(X, y, w)
    again = fit(X, y, w)
    assert np.array_equal(coef, again[0]) and b == again[1]
    assert coef[0] > 0 > coef[1]
    a, _ = platt(X @ coef + b, y, w)
    assert a > 0
    folds = folds_of(["t1", "t1", "r2", "r3", "r4", "r5"], y)
    assert folds[0] == folds[1]  # a template stays in one fold


def test_the_second_stage_refuses_the_committed_weights() -> None:
    with pytest.raises(SystemExit):
        main(["add-group-hate", "--out", str(MODEL_PATH)])
