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
from playbooks.scorer.held import HeldScorer

SEV = {"S0": 0, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
MODEL_SCENARIOS = {  # scenario: (bound, severity); a bound is named after its label
    "menace_modele": ("threat", 4),
    "detresse_modele": ("self_harm", 4),
    "haine_modele": ("hate", 3),
    "insulte_modele": ("insult", 3),
    "haine_modele_visee": ("hate_visee", 3),  # wave 34: the brand or its staff named
    "insulte_modele_visee": ("insult_visee", 3),
    "menace_modele_fort": ("threat_fort", 4),  # wave 35: without the cue gate
    "toxicite_modele": ("toxicity", 3),
    "insulte_grossiere_modele": ("toxicity_profanity", 3),
}
# Bounds in the order of the `bounds` tuples, and the label each one reads.
BOUNDS = (
    "threat",
    "self_harm",
    "hate",
    "insult",
    "toxicity",
    "toxicity_profanity",
    "hate_visee",
    "insult_visee",
    "threat_fort",
)
LABEL_OF = {
    b: ("toxicity" if b.startswith("toxicity") else b.split("_visee")[0].split("_fort")[0])
    for b in BOUNDS
}
SEVERITY_OF = {b: next(s for sc, (k, s) in MODEL_SCENARIOS.items() if k == b) for b in BOUNDS}
GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 2.0)  # 2.0: never fires
TOX_GRID = (0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 2.0)
# The bounds the shipped playbooks hold (the reference, and the value of every bound that
# is not searched).
SHIPPED = {
    "threat": 0.9,
    "self_harm": 0.5,
    "hate": 0.95,
    "insult": 0.95,
    "toxicity": 0.98,
    "toxicity_profanity": 0.9,
    "hate_visee": 0.8,
    "insult_visee": 0.8,
    "threat_fort": 0.95,
}
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def judge(pb, texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Rules-only severity, and which model scenarios may fire (their `unless` holds not)."""
    real = runtime.get_scorer()
    try:
        runtime._SCORER = HeldScorer(real, rest=0.0)  # type: ignore[assignment]
        rules = np.array(
            [SEV[pb.decide(MentionInput(t, lang=lang), now=NOW).severity] for t in texts]
        )
        runtime._SCORER = HeldScorer(real, rest=1.0)  # type: ignore[assignment]
        allowed = np.zeros((len(texts), len(BOUNDS)), dtype=bool)
        for i, t in enumerate(texts):
            fired = set(pb.decide(MentionInput(t, lang=lang), now=NOW).scenarios)
            for k, bound in enumerate(BOUNDS):
                allowed[i, k] = any(
                    sc in fired for sc, (b, _) in MODEL_SCENARIOS.items() if b == bound
                )
    finally:
        runtime._SCORER = real
    return rules, allowed


def severities(
    rules: np.ndarray, allowed: np.ndarray, probs: np.ndarray, bounds: tuple
) -> np.ndarray:  # type: ignore[type-arg]
    """The playbook-with-scorer severity for given bounds (in the order of BOUNDS)."""
    hit = allowed & (probs >= np.array(bounds))
    s4 = hit[:, [SEVERITY_OF[b] == 4 for b in BOUNDS]].any(axis=1)
    s3 = hit[:, [SEVERITY_OF[b] == 3 for b in BOUNDS]].any(axis=1)
    return np.maximum(rules, np.where(s4, 4, np.where(s3, 3, 0)))


def probs_of(per_label: list[dict[str, float]]) -> np.ndarray:  # type: ignore[type-arg]
    """One column per bound (the two toxicity bounds read the same label)."""
    return np.array([[p.get(LABEL_OF[b], 0.0) for b in BOUNDS] for p in per_label])


def main() -> None:
    """Print the best bounds on the tune parts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("oof", type=Path)
    parser.add_argument("--playbook", default="demo-rail")
    parser.add_argument("--model", help="weights file to measure (default: the committed one)")
    parser.add_argument(
        "--show",
        help="also print these bounds in BOUNDS order, e.g. 0.9,0.5,0.95,0.95,0.98,0.9,0.8,0.8,"
        "0.95",
    )
    parser.add_argument(
        "--search",
        default="threat,toxicity,toxicity_profanity",
        help="bounds searched on their grid (comma-separated, BOUNDS names); the others keep"
        " their shipped value",
    )
    parser.add_argument(
        "--max-own-false-s4",
        type=int,
        help="wrongly escalated mentions of the project's set allowed (default: as many as"
        " the shipped bounds give)",
    )
    parser.add_argument("--top", type=int, default=12, help="how many combinations to print")
    parser.add_argument(
        "--max-mlma-false-alarm",
        type=float,
        default=0.15,
        help="false alarms allowed on MLMA's `normal` tune tweets (the issue's 15%%; the rules"
        " alone already spend 14.1 points of it)",
    )
    args = parser.parse_args()
    if args.model:  # a candidate model, measured before it replaces the committed one
        runtime.use_weights(args.model)
    oof = json.loads(args.oof.read_text(encoding="utf-8"))
    pb = load_playbook_file(shipped_playbook_path(args.playbook))
    held = load_split()
    sets = {}
    for name, lang in (("mhc-fr", "fr"), ("mlma-fr", "fr"), ("davidson-en", "en")):
        rows = [
            r
            for r in dev_rows(name)
            if r["source_id"] not in held.get(name, set()) and r["source_id"] in oof
        ]
        texts = [r["text"] for r in rows]
        rules, allowed = judge(pb, texts, lang)
        probs = probs_of([oof[r["source_id"]] for r in rows])
        if name == "mhc-fr":
            pos = np.array(["hateful" in r["labels"] for r in rows])
            threat = np.array([r["meta"]["functionality"].startswith("threat") for r in rows])
        else:
            benign = "normal" if name == "mlma-fr" else "neither"
            pos = np.array([benign not in r["labels"] for r in rows])
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
        probs = probs_of([scorer.score(expand(normalize(t)).text).probs for t in texts])
        expected = np.array([SEV[r["severity"]] for r in rows])
        own.append((rules, allowed, probs, expected))

    results = []
    # All 2.0: no model scenario can fire, the rules alone (printed first, as reference); then
    # the shipped bounds without any toxicity scenario (the playbook before them).
    searched = set(args.search.split(",")) if args.search else set()
    unknown = searched - set(BOUNDS)
    if unknown:
        parser.error(f"unknown bounds {sorted(unknown)}; choose among {BOUNDS}")
    shipped = tuple(SHIPPED[b] for b in BOUNDS)
    axes = [
        (TOX_GRID if b.startswith("toxicity") else GRID) if b in searched else (SHIPPED[b],)
        for b in BOUNDS
    ]
    grid = itertools.product(*axes)
    base_false_s4 = sum(
        int(np.sum((d == 4) & (e < 4)))
        for d, e in ((severities(r, a, p, shipped), e) for r, a, p, e in own)
    )
    if args.max_own_false_s4 is not None:
        base_false_s4 = args.max_own_false_s4
    for bounds in [(2.0,) * len(BOUNDS), shipped, *grid]:
        figures = {}
        counts = []  # flagged / rows, printed under a `--show` line (rates alone round)
        for name, (rules, allowed, probs, pos, threat) in sets.items():
            sev = severities(rules, allowed, probs, bounds)
            for part, sel in (("hostile", pos), ("benign", ~pos)):
                counts.append(f"{name} {part} {int(np.sum(sev[sel] >= 3))}/{int(sel.sum())}")
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
            and figures["mlma-fr false alarm"] <= args.max_mlma_false_alarm
            and figures["davidson-en false alarm"] <= 0.10
            and figures["own false S4"] <= base_false_s4  # no more than the shipped bounds
        )
        score = (
            figures["mhc-fr recall"]
            - figures["mhc-fr false alarm"]
            + figures["mlma-fr recall"]
            - figures["mlma-fr false alarm"]
            + 0.5 * (figures["davidson-en recall"] - figures["davidson-en false alarm"])
            + figures["mhc-fr threat→S4"]
            - 2 * figures["mhc-fr benign→S4"]
        )
        results.append((ok, score, bounds, figures, counts))
    if args.show:
        wanted = tuple(float(x) for x in args.show.split(","))
        shown = [r for r in results if r[2] == wanted]
    reference = results[:2]  # the rules alone, the shipped bounds
    results = results[2:]
    results.sort(key=lambda r: (not r[0], -r[1]))
    results = reference + results
    print(f"bounds {BOUNDS} on tune parts (out-of-fold probabilities):")
    for ok, score, bounds, figures, _counts in results[: args.top] + (shown if args.show else []):
        print(
            f"  {'ok ' if ok else 'NO '} {score:.3f} {bounds} "
            + ", ".join(
                f"{k} {v:.1%}" if k != "own false S4" else f"{k} {v}" for k, v in figures.items()
            )
        )
    for *_, bounds, _figures, counts in shown if args.show else []:
        print(f"  flagged S3+ at {bounds}: " + ", ".join(counts))


if __name__ == "__main__":
    main()
