"""Experiment (issue 13, wave 5), second step: the group-only `hate` signal in the playbook.

Run: .venv/bin/python benchmarks/exp_group_hate.py --out /tmp/grp.npz
     .venv/bin/python benchmarks/exp_group_hate_playbook.py /tmp/grp.npz [--validation]
  or, for a candidate weights file with the `hate_group` label (playbooks/scorer/group_hate.py):
     .venv/bin/python benchmarks/exp_group_hate_playbook.py --model /tmp/x.npz --oof /tmp/o.json

Adds to a copy of the shipped demo-rail playbook one scenario — `hate` of an experimental
model ≥ t **and** a word of the `groupes` lexicon, not quoted, negated or reported, unless
counter-speech or negation → S3 — and measures, for each bound t, the share of posts sent to
S3+ on the TUNE parts of HateCheck and MLMA with the experimental model's out-of-fold
probabilities (ALL: trained on every row; GRP: only on rows naming a group), on top of the
shipped playbook with the committed scorer. The project's own set is decided with the final
experimental model (trained on all tune rows). `--validation` scores the validation parts with
the final models: to be run once, after a bound is chosen on the tune figures.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from playbooks import MentionInput, load_playbook_file, shipped_playbook_path
from playbooks.scorer import runtime
from playbooks.scorer.data import dev_rows, load_split
from playbooks.scorer.features import text_features
from playbooks.scorer.held import HeldScorer
from playbooks.scorer.preprocess import prepare
from playbooks.scorer.sources import lexicon_classes

SEV = {"S0": 0, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
SCENARIO = """
  - id: haine_groupe_experience
    label: Haine envers un groupe (modèle, expérience)
    when:
      all:
        - model: {LABEL: ">= 0.5"}
        - lexicon: groupes
    unless: {lexicon: [UNLESS]}
    unless_scope: [quoted, negated, reported]
    severity: S3
    categories: [harcelement]
    replies: [rail.insulte.apaisement]
"""
UNLESS = ["contre_discours", "negation"]  # `--unless-also LEXICON` adds guards
BOUNDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97)


def experiment_playbook() -> Path:
    """demo-rail with the experimental scenario appended to its scenarios (a temp copy)."""
    src = shipped_playbook_path("demo-rail")
    text = src.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\nscenarios:\n")
    assert sep, "demo-rail has no `scenarios:` block"
    folder = Path(tempfile.mkdtemp(prefix="vigie-exp-"))
    path = folder / "demo-rail.yaml"
    label = "hate_group" if "hate_group" in runtime.get_scorer().labels else "hate"
    scenario = SCENARIO.replace("LABEL", label).replace("UNLESS", ", ".join(UNLESS))
    path.write_text(head + sep + scenario.lstrip("\n") + tail, encoding="utf-8")
    return path


def judge(texts: list[str], lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Severity of the shipped playbook with the committed scorer, and whether the
    experimental scenario's rule part (group word, guards) lets it fire."""
    shipped = load_playbook_file(shipped_playbook_path("demo-rail"))
    path = experiment_playbook()
    try:
        exp = load_playbook_file(path)
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)  # the temp copy, read now
    real = runtime.get_scorer()
    try:
        runtime._SCORER = HeldScorer(real, {"hate_group": 0.0})  # type: ignore[assignment]
        base = np.array(
            [SEV[shipped.decide(MentionInput(t, lang=lang), now=NOW).severity] for t in texts]
        )
        runtime._SCORER = HeldScorer(real, rest=1.0)  # type: ignore[assignment]
        allowed = np.array(
            [
                "haine_groupe_experience"
                in exp.decide(MentionInput(t, lang=lang), now=NOW).scenarios
                for t in texts
            ]
        )
    finally:
        runtime._SCORER = real
    return base, allowed


class FinalModel:
    def __init__(self, data: np.lib.npyio.NpzFile, arm: str) -> None:
        self.vocab = {n: i for i, n in enumerate(data["vocab"].tolist())}
        self.coef = data[f"coef_{arm}"]
        self.bias, self.a, self.b = data[f"bias_{arm}"].tolist()
        self.classes = lexicon_classes()

    def prob(self, text: str, lang: str) -> float:
        words = prepare(text, lang).split()
        counts = Counter(
            self.vocab[n] for n in text_features(words, self.classes) if n in self.vocab
        )
        z = self.bias
        if counts:
            scale = 1 / math.sqrt(sum(counts.values()))
            z += sum(self.coef[i] * c * scale for i, c in counts.items())
        return 1 / (1 + math.exp(-(self.a * z + self.b)))


def _oof_or(oof: dict, row: dict, final: object) -> float:  # type: ignore[type-arg]
    v = oof.get(row["source_id"])
    if isinstance(v, dict):  # a merged out-of-fold file: {source_id: {label: p}}
        v = v.get("hate_group")
    return float(v) if v is not None else final.prob(row["text"], "fr")  # type: ignore[attr-defined]


class Candidate:
    """The candidate weights file's `hate_group` probability (run-time path)."""

    def prob(self, text: str, lang: str) -> float:
        return runtime.get_scorer().score(prepare(text, lang)).probs["hate_group"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("npz", type=Path, nargs="?")
    parser.add_argument("--model", type=Path, help="candidate weights with a `hate_group` label")
    parser.add_argument("--oof", type=Path, help="its out-of-fold probabilities (JSON)")
    parser.add_argument("--validation", action="store_true")
    parser.add_argument(
        "--unless-also", action="append", default=[], help="more `unless` lexicons (demo-rail)"
    )
    parser.add_argument("--bound", type=float, action="append", help="bounds to show")
    args = parser.parse_args()
    UNLESS.extend(args.unless_also)
    held = load_split()
    if args.model:
        runtime.use_weights(args.model)
        arms: tuple[str, ...] = ("hate_group",)
        finals: dict = {"hate_group": Candidate()}
        oof = {"hate_group": json.loads(args.oof.read_text(encoding="utf-8"))}
        oof["ALL"] = oof["hate_group"]
    else:
        data = np.load(args.npz)
        arms = ("ALL", "GRP")
        finals = {arm: FinalModel(data, arm) for arm in arms}
        oof = {
            arm: dict(zip(data["ids"].tolist(), data[f"oof_{arm}"].tolist(), strict=True))
            for arm in arms
        }
    part = "validation" if args.validation else "tune"
    bounds = tuple(args.bound) if args.bound else BOUNDS
    print(f"{part} parts: shipped playbook + `hate`(arm) >= t and a group word → S3+")
    for name in ("mhc-fr", "mlma-fr"):
        rows = [
            r
            for r in dev_rows(name)
            if (r["source_id"] in held.get(name, set())) == args.validation
        ]
        # MLMA rows labelled both `normal` and hostile are ambiguous: left out (as in training)
        rows = [r for r in rows if not ("normal" in r["labels"] and len(r["labels"]) > 1)]
        texts = [r["text"] for r in rows]
        base, allowed = judge(texts, "fr")
        benign = "normal" if name == "mlma-fr" else "non-hateful"
        pos = np.array([benign not in r["labels"] for r in rows])
        print(
            f"  {name}: {int(pos.sum())} hostile / {int((~pos).sum())} benign; shipped:"
            f" recall {np.mean(base[pos] >= 3):.1%}, false alarm {np.mean(base[~pos] >= 3):.1%};"
            f" scenario allowed on {allowed.mean():.1%}"
        )
        for arm in arms:
            if args.validation:
                p = np.array([finals[arm].prob(t, "fr") for t in texts])
            else:  # out-of-fold where the row had a hate label, else the final model
                p = np.array([_oof_or(oof[arm], r, finals[arm]) for r in rows])
            line = []
            for t in bounds:
                sev = np.maximum(base, np.where(allowed & (p >= t), 3, 0))
                line.append(f"{t}: {np.mean(sev[pos] >= 3):.1%}/{np.mean(sev[~pos] >= 3):.1%}")
            print(f"    {arm}: " + "  ".join(line))
    # The project's own set: exact severity with the experimental scenario (final models).
    own_path = Path(__file__).parents[1] / "playbooks" / "eval" / "fr_mentions.jsonl"
    own = [json.loads(line) for line in own_path.open(encoding="utf-8")]
    own = [r for r in own if r["brand"] == "demo-rail"]
    base, allowed = judge([r["text"] for r in own], "fr")
    expected = np.array([SEV[r["severity"]] for r in own])
    for arm in arms:
        p = np.array([finals[arm].prob(r["text"], "fr") for r in own])
        line = []
        for t in bounds:
            sev = np.maximum(base, np.where(allowed & (p >= t), 3, 0))
            line.append(f"{t}: {np.mean(sev == expected):.1%}")
        print(
            f"  own set demo-rail ({len(own)}), exact: shipped {np.mean(base == expected):.1%};"
            f" {arm}: " + "  ".join(line)
        )


if __name__ == "__main__":
    main()
