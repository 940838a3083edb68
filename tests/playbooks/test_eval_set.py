"""The project's own French evaluation set: its shape, and the quality floor it guards."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from playbooks import Playbook
from playbooks.__main__ import main
from playbooks.evaluation import DatasetError, class_scores, load_dataset, score

EVAL_SET = Path(__file__).parents[2] / "playbooks" / "eval" / "fr_mentions.jsonl"

# Measured on the shipped playbooks (see playbooks/README.md, "Evaluation"), a little under
# the current figures; a change that drops a class below its floor is a regression.
# (precision, recall) per class.
FLOORS = {
    "insult": (0.95, 0.95),
    "harassment": (0.95, 0.75),
    "threat": (0.95, 0.90),
    "self_harm": (0.95, 0.85),
    "danger": (0.95, 0.95),
    "legal": (0.95, 0.90),
    "press": (0.95, 0.95),
    "complaint": (0.90, 0.90),
    "question": (0.88, 0.95),
    "praise": (0.95, 0.93),
    "spam": (0.95, 0.95),
}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return load_dataset(EVAL_SET)


def test_the_set_is_large_and_covers_every_hostile_class(rows: list[dict[str, object]]) -> None:
    classes = Counter(str(r["class"]) for r in rows)
    assert len(rows) >= 400
    for cls in ("insult", "threat", "self_harm"):
        assert classes[cls] >= 50, cls
    assert set(FLOORS) <= set(classes)
    assert sum(1 for r in rows if r.get("hard_negative")) >= 30
    assert {r["brand"] for r in rows} == {"demo-rail", "demo-shop"}
    assert len({r["text"] for r in rows}) == len(rows)


def test_shipped_playbooks_keep_their_per_class_floors(
    rows: list[dict[str, object]], rail: Playbook, shop: Playbook
) -> None:
    scores = class_scores(score({"demo-rail": rail, "demo-shop": shop}, rows))
    below = {
        cls: f"precision {s.precision:.2f} recall {s.recall:.2f}"
        for cls, s in scores.items()
        if cls in FLOORS and (s.precision < FLOORS[cls][0] or s.recall < FLOORS[cls][1])
    }
    assert not below


def test_hard_negatives_are_never_escalated(
    rows: list[dict[str, object]], rail: Playbook, shop: Playbook
) -> None:
    hard = [r for r in rows if r.get("hard_negative")]
    scored = score({"demo-rail": rail, "demo-shop": shop}, hard)
    escalated = [s.row["text"] for s in scored if s.decision.severity == "S4"]
    assert not escalated


def test_a_missing_dataset_is_a_clear_error_not_a_crash(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.jsonl"
    assert main(["evaluate", "demo-rail", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "dataset not found" in err and str(missing) in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "severity": "S1"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"bad.jsonl:2: not valid JSON"):
        load_dataset(bad)


def test_cli_evaluates_both_brands_on_the_shipped_set(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["evaluate", "demo-rail,demo-shop"]) == 0
    out = capsys.readouterr().out
    assert f"{len(load_dataset(EVAL_SET))} mentions" in out
    assert "Class confusion matrix" in out and "Hard negatives" in out
