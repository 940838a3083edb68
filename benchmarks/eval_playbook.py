"""Measure the shipped playbooks on labelled data.

Run: .venv/bin/python benchmarks/eval_playbook.py [--playbook demo-rail] [--data DIR]
                                                   [--streams DIR] [--skip-third-party]
1. The labelled demo streams (connectors/demo_stream/demo-*.jsonl, each line carries a
   `label` {category, severity}): severity agreement per brand and per category, and the
   severity confusion matrix; each stream is decided by its own brand's playbook.
2. Third-party posts (/work/shared/eval-data): per dataset, label and HateCheck
   functionality, the share of posts sent to S3+ (recall for hostile labels, false-alarm rate
   for benign ones; threats: the share sent to S4), on the tune part (the scorer trained on
   it) and on the validation part (never trained or tuned on: playbooks/models/splits.json),
   side by side, for three judges: the rules alone (the playbook with every `model` condition
   seeing probability 0), the scorer alone (a post is flagged when a label passes the
   shipped playbook's bound: see SCORER_ALONE) and the playbook with its scorer.
   Texts are read, never copied or printed.
3. Harmless real French: the clean sentences of the proofreading development set
   (proofreading-fr: chats, questions, Wikipedia, medical leaflets, news, Europarl), split as
   issue 19's protocol splits them (benchmarks/proofread_split.json): the share decided S3+
   and S4 per part and genre, and the scenarios behind them. Nobody wrote these for Vigie and
   no rule was tuned on them; they speak of peoples, illnesses and crimes in a neutral voice,
   which the probes' harmless posts rarely do (issue 13, wave 52). A few role-play chat turns
   are insults ("Es-tu stupide ?"): not every S3+ there is a false alarm.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.proofread_parts import load_parts
from playbooks import MentionInput, load_playbook_file, shipped_playbook_path
from playbooks.evaluation import mention_from_dict
from playbooks.model import SEVERITIES
from playbooks.normalize import normalize
from playbooks.scorer import runtime
from playbooks.scorer.data import load_split

STREAMS_DIR = Path(__file__).parents[1] / "connectors" / "demo_stream"

DATASETS = {  # folder: (language, benign labels)
    "mlma-fr": ("fr", {"normal"}),
    "mhc-fr": ("fr", {"non-hateful"}),
    "davidson-en": ("en", {"neither"}),
}
# The scorer alone flags a post at S3+ when one of these holds (S4 for threat and self-harm).
SCORER_ALONE = {"insult": 0.5, "hate": 0.5, "threat": 0.5, "self_harm": 0.5, "toxicity": 0.9}


def demo_stream_agreement(streams: Path, now: datetime) -> None:
    """Print how often each shipped playbook agrees with its demo stream's severity labels."""
    print("demo streams: each line decided by its brand's playbook, against its `label`")
    total = agree = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for slug in ("demo-rail", "demo-shop"):
        path = streams / f"{slug}.jsonl"
        if not path.is_file():
            print(f"  {slug}: not found")
            continue
        pb = load_playbook_file(shipped_playbook_path(slug))
        per_category: dict[str, Counter[str]] = defaultdict(Counter)
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            row.pop("posted_at", None)  # age must not change the severity
            expected = row["label"]["severity"]
            got = pb.decide(mention_from_dict(row), now=now).severity
            confusion[(expected, got)] += 1
            per_category[row["label"]["category"]]["n"] += 1
            per_category[row["label"]["category"]]["ok"] += got == expected
        n = sum(c["n"] for c in per_category.values())
        ok = sum(c["ok"] for c in per_category.values())
        total, agree = total + n, agree + ok
        print(f"  {slug} v{pb.version}: {ok}/{n} = {ok / n:.1%} same severity")
        for cat, c in sorted(per_category.items()):
            print(f"    {cat:18} {c['n']:4d}  {c['ok'] / c['n']:6.1%}")
    if total:
        print(f"  both: {agree}/{total} = {agree / total:.1%}")
        print("  confusion (rows: label, columns: decided): " + " ".join(SEVERITIES))
        for exp in SEVERITIES:
            print(f"    {exp}  " + " ".join(f"{confusion[(exp, g)]:3d}" for g in SEVERITIES))


class _Silent:
    """A scorer that sees nothing: every probability 0 (the rules alone)."""

    def __init__(self, real: runtime.Scorer) -> None:
        self.labels = real.labels

    def bigram_ids(self, words: list[str]) -> list[tuple[str, str, int]]:
        return []  # no words, no evidence (asked for by `unless_scope` on a combined rule)

    def score(self, text: str) -> runtime.Scores:
        return runtime.Scores(self, text, [], 0, dict.fromkeys(self.labels, 0.0))  # type: ignore[arg-type]


def scorer_alone(text: str) -> str:
    """Severity the scorer alone would give: S4, S3 or S1."""
    probs = runtime.get_scorer().score(text).probs
    if probs["threat"] >= SCORER_ALONE["threat"] or probs["self_harm"] >= SCORER_ALONE["self_harm"]:
        return "S4"
    if any(probs[k] >= v for k, v in SCORER_ALONE.items()):
        return "S3"
    return "S1"


def third_party(slug: str, data: Path, now: datetime) -> None:
    """Rules alone, scorer alone and both, tune vs validation, per label and functionality."""
    pb = load_playbook_file(shipped_playbook_path(slug))
    real = runtime.get_scorer()
    split = load_split()
    print(
        f"\nplaybook {slug} version {pb.version}; flagged = decided S3 or S4"
        " (threat functionalities: S4); columns: rules / scorer / both"
    )
    for folder, (lang, benign) in DATASETS.items():
        path = data / folder / "dev.jsonl"
        if not path.is_file():
            print(f"\n{folder}: not found")
            continue
        held = split.get(folder, set())
        total: Counter[tuple[str, str]] = Counter()
        flagged: dict[str, Counter[tuple[str, str]]] = {j: Counter() for j in JUDGES}
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        decided: dict[str, list[str]] = {}
        for judge in JUDGES:
            runtime._SCORER = _Silent(real) if judge == "rules" else real  # type: ignore[assignment]
            out = []
            for row in rows:
                mention = MentionInput(row["text"], lang=lang)
                if judge == "scorer":  # the text exactly as the engine gives it to the scorer
                    nt = normalize(row["text"])
                    expand = pb.sms.get(lang)
                    out.append(scorer_alone((expand(nt) if expand else nt).text))
                else:
                    out.append(pb.decide(mention, now=now).severity)
            decided[judge] = out
        runtime._SCORER = real
        for i, row in enumerate(rows):
            side = "val" if row["source_id"] in held else "tune"
            labels = list(row["labels"])
            if folder == "mlma-fr" and not set(labels) & {"normal"}:
                labels.append("(hostile)")
            for label in labels:
                total[(label, side)] += 1
                threat = label.startswith("func:threat")
                for judge in JUDGES:
                    sev = decided[judge][i]
                    hit = sev == "S4" if threat else sev in ("S3", "S4")
                    flagged[judge][(label, side)] += hit
        print(f"\n{folder} ({lang}) — benign labels: {', '.join(sorted(benign))}")
        print(
            f"  {'label':26} {'meaning':11} {'n tune':>6} {'tune r/s/b':>20}"
            f" {'n val':>6} {'validation r/s/b':>20}"
        )
        labels = sorted({k[0] for k in total}, key=lambda k: (k.startswith("func:"), k))
        for label in labels:
            benign_label = label in benign or label.endswith("_nh")
            meaning = "false alarm" if benign_label else "→S4" if "threat" in label else "recall"
            cells = []
            for side in ("tune", "val"):
                n = total[(label, side)]
                rates = "/".join(
                    f"{flagged[j][(label, side)] / n:6.1%}" if n else "     -" for j in JUDGES
                )
                cells.append(f"{n:6d} {rates:>20}")
            print(f"  {label:26} {meaning:11} {cells[0]} {cells[1]}")


JUDGES = ("rules", "scorer", "both")
PROOFREAD_SPLIT = Path(__file__).with_name("proofread_split.json")


def clean_french(slug: str, data: Path, now: datetime) -> None:
    """Harmless real French decided by the playbook with its scorer: S3+ and S4 per part and
    genre, and the scenarios most often behind them (counts only, no text)."""
    path = data / "proofreading-fr" / "dev.jsonl"
    if not path.is_file():
        print("\nproofreading-fr: not found")
        return
    parts = load_parts(path, ("tuning", "validation"), PROOFREAD_SPLIT)
    rows = [(side, r) for side, in_part in parts.items() for r in in_part if "clean" in r["labels"]]
    pb = load_playbook_file(shipped_playbook_path(slug))
    severe = {sc.id for sc in pb.scenarios if sc.severity in ("S3", "S4")}
    decisions = pb.decide_many([MentionInput(r["text"], lang="fr") for _, r in rows], now=now)
    total: Counter[tuple[str, str]] = Counter()
    flagged: Counter[tuple[str, str, str]] = Counter()
    behind: Counter[tuple[str, str]] = Counter()
    for (side, row), decision in zip(rows, decisions, strict=True):
        genre = row["meta"].get("genre", "?")
        for key in ((side, genre), (side, "(all)")):
            total[key] += 1
            flagged[(*key, "S3+")] += decision.severity in ("S3", "S4")
            flagged[(*key, "S4")] += decision.severity == "S4"
        if decision.severity in ("S3", "S4"):
            behind.update((side, sc) for sc in decision.scenarios if sc in severe)
    print(f"\nproofreading-fr clean sentences (harmless real French), playbook {slug}")
    print(f"  {'part':10} {'genre':40} {'n':>5} {'S3+':>7} {'S4':>7}")
    for side, genre in sorted(total, key=lambda k: (k[0], k[1] != "(all)", k[1])):
        n = total[(side, genre)]
        s3, s4 = flagged[(side, genre, "S3+")] / n, flagged[(side, genre, "S4")] / n
        print(f"  {side:10} {genre[:40]:40} {n:5d} {s3:7.2%} {s4:7.2%}")
    for side in ("tuning", "validation"):
        top = sorted(((c, s) for (p, s), c in behind.items() if p == side), reverse=True)[:8]
        print(f"  behind S3+ ({side}): " + ", ".join(f"{s} {c}" for c, s in top))


def main() -> None:
    """Print the demo-stream agreement, then the third-party figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--playbook", default="demo-rail")
    parser.add_argument("--model", help="weights file to measure (default: the committed one)")
    parser.add_argument("--data", default="/work/shared/eval-data")
    parser.add_argument("--streams", default=str(STREAMS_DIR))
    parser.add_argument("--skip-third-party", action="store_true")
    parser.add_argument("--skip-streams", action="store_true")
    args = parser.parse_args()
    if args.model:  # a candidate model, measured before it replaces the committed one
        runtime.use_weights(args.model)
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    if not args.skip_streams:
        demo_stream_agreement(Path(args.streams), now)
    if not args.skip_third_party:
        third_party(args.playbook, Path(args.data), now)
        clean_french(args.playbook, Path(args.data), now)


if __name__ == "__main__":
    main()
