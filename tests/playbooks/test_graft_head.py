"""Grafting one head (wave 63) leaves every other head's weights and scores as they were."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from playbooks.scorer import MODEL_PATH
from playbooks.scorer.graft import graft, read_arrays
from playbooks.scorer.preprocess import prepare
from playbooks.scorer.runtime import Scorer
from playbooks.scorer.weights_file import write_npz

pytestmark = pytest.mark.skipif(not MODEL_PATH.is_file(), reason="scorer weights missing")

TEXTS = (
    "je vais me foutre en l'air ce soir",
    "je connais ton adresse, personne ne saura",
    "bande de nuls, remboursez-moi",
    "merci pour tout, au revoir et bonne continuation",
    "les étrangers dehors",
)


def test_rewriting_the_base_gives_its_bytes(tmp_path: Path) -> None:
    out = tmp_path / "same.npz"
    write_npz(out, read_arrays(MODEL_PATH))
    assert out.read_bytes() == MODEL_PATH.read_bytes()


def test_graft_changes_one_head_only(tmp_path: Path) -> None:
    base = read_arrays(MODEL_PATH)
    rng = np.random.default_rng(63)
    rows, emb_rows = base["weights"].shape[0], base["emb_proj"].shape[0]
    grafted = graft(
        base, "self_harm", rng.normal(size=rows), rng.normal(size=emb_rows), 0.3, (1.1, -0.2), {}
    )
    out = tmp_path / "grafted.npz"
    write_npz(out, grafted)
    k = 4  # self_harm's column
    for name in ("weights", "emb_proj", "bias", "calib_a", "calib_b"):
        others = np.delete(grafted[name], k, axis=-1)
        assert others.tobytes() == np.delete(base[name], k, axis=-1).tobytes(), name
    for name in ("labels", "vocab", "classes", "emb_words"):
        assert grafted[name].tobytes() == base[name].tobytes(), name
    shipped, candidate = Scorer(MODEL_PATH), Scorer(out)
    moved = 0
    for text in TEXTS:
        before = shipped.score(prepare(text, "fr")).probs
        after = candidate.score(prepare(text, "fr")).probs
        assert {k: v for k, v in after.items() if k != "self_harm"} == {
            k: v for k, v in before.items() if k != "self_harm"
        }
        moved += after["self_harm"] != before["self_harm"]
    assert moved


def test_graft_refuses_a_column_of_another_vocabulary() -> None:
    base = read_arrays(MODEL_PATH)
    with pytest.raises(ValueError, match="rows"):
        graft(base, "self_harm", np.zeros(3), np.zeros(3), 0.0, (1.0, 0.0), {})
