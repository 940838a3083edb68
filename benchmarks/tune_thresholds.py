"""Choose the shipped playbooks' `model` bounds on the tune parts only, never on validation.

Run: .venv/bin/python -m playbooks.scorer train --oof /tmp/oof.json   (out-of-fold probabilities)
     .venv/bin/python benchmarks/tune_thresholds.py /tmp/oof.json

Each tune row of HateCheck and MLMA is judged with its out-of-fold probabilities (the model
that scored it never saw it, nor any case of its template), the project's own set
(playbooks/eval/fr_mentions.jsonl, never trained on) with the committed model. The rules'
severity and which `model` scenarios their `unless` lets through are computed once; every
combination of bounds then costs a few numpy operations. Prints the best combinations under
the constraints (own set exact severity ≥ 95%, false alarms ≤ 15%).
"""

from __future__ import annotations

import argparse
import itertools
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from playbooks import MentionInput, load_playbook_file, shipped_playbook_path
from playbooks.scorer import runtime
from playbooks.scorer.data import dev_rows, load_split

SEV = {"S0": 0, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
MODEL_SCENARIOS = {  # scenario: (label, severity)
    "menace_modele": ("threat", 4),
    "detresse_modele": ("self_harm", 4),
    "haine_modele": ("hate", 3),
    "insulte_modele": ("insult", 3),
}
LABELS = ("threat", "self_harm", "hate", "insult")
GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


class _Fixed:
    def __init__(self, value: float) -> None:
        self.labels = runtime.get_scorer().labels
        self.value = value

    def score(self, text: str) -> runtime.Scores:
        return runtime.Scores(self, text, [], 0, dict.fromkeys(self.labels, self.value))  # type: ignore[arg-type]


def judge(pb, texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Rules-only severity, and which model scenarios may fire (their `unless` holds not)."""
    real = runtime.get_scorer()
    try:
        runtime._SCORER = _Fixed(0.0)  # type: ignore[assignment]
        rules = np.array(
            [SEV[pb.decide(MentionInput(t, lang=lang), now=NOW).severity] for t in texts]
        )
        runtime._SCORER = _Fixed(1.0)  # type: ignore[assignment]
        allowed = np.zeros((len(texts), len(LABELS)), dtype=bool)
        for i, t in enumerate(texts):
            fired = set(pb.decide(MentionInput(t, lang=lang), now=NOW).scenarios)
            for k, label in enumerate(LABELS):
                allowed[i, k] = any(
                    sc in fired for sc, (lab, _) in MODEL_SCENARIOS.items() if lab == label
                )
    finally:
        runtime._SCORER = real
    return rules, allowed


def severities(
    rules: np.ndarray, allowed: np.ndarray, probs: np.ndarray, bounds: tuple
) -> np.ndarray:  # type: ignore[type-arg]
    """The playbook-with-scorer severity for given bounds (threat, self_harm, hate, insult)."""
    hit = allowed & (probs >= np.array(bounds))
    s4 = hit[:, 0] | hit[:, 1]
    s3 = hit[:, 2] | hit[:, 3]
    return np.maximum(rules, np.where(s4, 4, np.where(s3, 3, 0)))


def main() -> None:
    """Print the best bounds on the tune parts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("oof", type=Path)
    parser.add_argument("--playbook", default="demo-rail")
    parser.add_argument("--show", help="also print these bounds, e.g. 0.8,0.8,0.9,0.95")
    parser.add_argument("--top", type=int, default=12, help="how many combinations to print")
    args = parser.parse_args()
    oof = json.loads(args.oof.read_text(encoding="utf-8"))
    pb = load_playbook_file(shipped_playbook_path(args.playbook))
    held = load_split()
    sets = {}
    for name in ("mhc-fr", "mlma-fr"):
        rows = [
            r for r in dev_rows(name) if r["source_id"] not in held[name] and r["source_id"] in oof
        ]
        texts = [r["text"] for r in rows]
        rules, allowed = judge(pb, texts, "fr")
        probs = np.array([[oof[r["source_id"]].get(lab, 0.0) for lab in LABELS] for r in rows])
        if name == "mhc-fr":
            pos = np.array(["hateful" in r["labels"] for r in rows])
            threat = np.array([r["meta"]["functionality"].startswith("threat") for r in rows])
        else:
            pos = np.array(["normal" not in r["labels"] for r in rows])
            threat = np.zeros(len(rows), dtype=bool)
        sets[name] = (rules, allowed, probs, pos, threat)
    # The project's own set, with the committed model (it never trained on these rows).
    own_path = Path(__file__).parents[1] / "playbooks" / "eval" / "fr_mentions.jsonl"
    own_rows = [json.loads(line) for line in own_path.open(encoding="utf-8")]
    own = []
    scorer = runtime.get_scorer()
    from playbooks.normalize import normalize

    for slug in ("demo-rail", "demo-shop"):
        brand_pb = load_playbook_file(shipped_playbook_path(slug))
        rows = [r for r in own_rows if r["brand"] == slug]
        texts = [r["text"] for r in rows]
        rules, allowed = judge(brand_pb, texts, "fr")
        expand = brand_pb.sms["fr"]
        probs = np.array(
            [[scorer.score(expand(normalize(t)).text).probs[lab] for lab in LABELS] for t in texts]
        )
        expected = np.array([SEV[r["severity"]] for r in rows])
        own.append((rules, allowed, probs, expected))

    results = []
    # (2, 2, 2, 2): no model scenario can fire, the rules alone (printed first, as reference).
    for bounds in [(2.0, 2.0, 2.0, 2.0), *itertools.product(GRID, repeat=4)]:
        figures = {}
        for name, (rules, allowed, probs, pos, threat) in sets.items():
            sev = severities(rules, allowed, probs, bounds)
            figures[f"{name} recall"] = float(np.mean(sev[pos] >= 3))
            figures[f"{name} false alarm"] = float(np.mean(sev[~pos] >= 3))
            if threat.any():
                figures[f"{name} threat→S4"] = float(np.mean(sev[threat] == 4))
                figures[f"{name} benign→S4"] = float(np.mean(sev[~pos] == 4))
        decided = [(severities(r, a, p, bounds), e) for r, a, p, e in own]
        figures["own exact"] = sum(int(np.sum(d == e)) for d, e in decided) / sum(
            len(e) for _, e in decided
        )
        # Wrongly escalated mentions of the project's set (a count, not a rate).
        figures["own false S4"] = sum(int(np.sum((d == 4) & (e < 4))) for d, e in decided)
        ok = (
            figures["own exact"] >= 0.95
            and figures["mhc-fr false alarm"] <= 0.15
            and figures["mlma-fr false alarm"] <= 0.20
            and figures["own false S4"] <= 2
        )
        score = (
            figures["mhc-fr recall"]
            - figures["mhc-fr false alarm"]
            + figures["mlma-fr recall"]
            - figures["mlma-fr false alarm"]
            + figures["mhc-fr threat→S4"]
            - 2 * figures["mhc-fr benign→S4"]
        )
        results.append((ok, score, bounds, figures))
    if args.show:
        wanted = tuple(float(x) for x in args.show.split(","))
        shown = [r for r in results if r[2] == wanted]
    rules_only = results.pop(0)
    results.sort(key=lambda r: (not r[0], -r[1]))
    results.insert(0, rules_only)
    print("bounds (threat, self_harm, hate, insult) on tune parts (out-of-fold probabilities):")
    for ok, score, bounds, figures in results[: args.top] + (shown if args.show else []):
        print(
            f"  {'ok ' if ok else 'NO '} {score:.3f} {bounds} "
            + ", ".join(
                f"{k} {v:.1%}" if k != "own false S4" else f"{k} {v}" for k, v in figures.items()
            )
        )


if __name__ == "__main__":
    main()
