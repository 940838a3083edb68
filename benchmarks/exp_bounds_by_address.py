"""Experiment (issue 13, wave 34): playbook variants judged with scores from a scorer that
never read the post's writer (study probes) or template (tune parts).

Wave 33's leave-writers-out run says the scorer puts max(insult, hate) ≥ 0.5 on 84 % of the
study probes' hostile posts for 3 % of their harmless ones, while the playbooks' 0.95 bound
(set by MLMA's `normal` tweets) keeps 38 %. This decides, for each variant directory holding
`demo-rail.yaml` and `demo-shop.yaml` (default: the shipped ones), the study probes with their
writer-out probabilities, the tune parts of HateCheck and MLMA with their out-of-fold ones,
and the project's own set with the model itself; validation parts and held-out probes are
not read.

    python benchmarks/exp_bounds_by_address.py --model W.npz --oof W_oof.json [DIR ...]

`W.npz`/`W_oof.json` are what `exp_writer_oof.py train` writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.eval_probe import NOW, load_rows
from benchmarks.exp_writer_oof import MEASURES
from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.model import SEVERITIES
from playbooks.scorer import runtime
from playbooks.scorer.data import PROBE_PATHS, dev_rows, load_split
from playbooks.scorer.held import HeldScorer

OWN = Path(__file__).resolve().parents[1] / "playbooks" / "eval" / "fr_mentions.jsonl"
# exp_writer_oof's measures, and harmless posts sent to S4 (what a threat or distress bound costs).
PROBE_MEASURES = {**MEASURES, "harmless S4": (("counter", "trash", "benign"), lambda r: r == 4)}


def books(directory: Path | None) -> dict[str, Playbook]:
    def path(slug: str) -> Path:
        return directory / f"{slug}.yaml" if directory else shipped_playbook_path(slug)

    return {slug: load_playbook_file(path(slug)) for slug in ("demo-rail", "demo-shop")}


def measure(
    held: HeldScorer, oof: dict, pbs: dict[str, Playbook], ranks: dict[str, int] | None = None
) -> tuple[Counter[str], dict[str, int]]:
    """Counts per measure, and each study probe post's rank (`ranks`: the reference's, to
    print the probe posts whose rank moves)."""
    c: Counter[str] = Counter()
    mine: dict[str, int] = {}

    def rank(book: Playbook, text: str, probs: dict | None) -> int:
        held.held = dict(probs or {})
        return SEVERITIES.index(book.decide(MentionInput(text, lang="fr"), now=NOW).severity)

    for path in PROBE_PATHS:
        for row in load_rows(path):
            key = f"{path.stem}:{row['id']}"
            r = mine[key] = rank(pbs[row["brand"]], row["text"], oof.get(key))
            if ranks is not None and ranks[key] != r:
                print(f"  moved S{ranks[key]}→S{r} {row['kind']:9} {row['text'][:110]}")
            for name, (kinds, test) in PROBE_MEASURES.items():
                if row["kind"] in kinds:
                    c[f"probes {name} n"] += 1
                    c[f"probes {name}"] += test(r)
    held_out = load_split()
    for name in ("mhc-fr", "mlma-fr"):
        for row in dev_rows(name):
            sid = row["source_id"]
            if sid in held_out.get(name, set()) or sid not in oof:
                continue
            r = rank(pbs["demo-rail"], row["text"], oof[sid])
            labels = row["labels"]
            benign = "normal" in labels if name == "mlma-fr" else "hateful" not in labels
            key = f"{name} {'false alarm' if benign else 'recall'} S3+"
            c[f"{key} n"] += 1
            c[key] += r >= 3
            s4 = f"{name} {'harmless' if benign else 'hostile'} S4"
            c[f"{s4} n"] += 1
            c[s4] += r == 4
    for line in OWN.open(encoding="utf-8"):
        row = json.loads(line)
        r = rank(pbs[row["brand"]], row["text"], None)
        c["own exact n"] += 1
        c["own exact"] += SEVERITIES[r] == row["severity"]
    return c, mine


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="*", type=Path)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--oof", type=Path, required=True)
    parser.add_argument("--moves", action="store_true", help="print the probe posts that move")
    args = parser.parse_args(argv)
    runtime.use_weights(args.model)
    held = HeldScorer(runtime.get_scorer())
    runtime._SCORER = held  # type: ignore[assignment]
    oof = json.loads(args.oof.read_text(encoding="utf-8"))
    reference: dict[str, int] | None = None
    for directory in [None, *args.variants]:
        print(f"== {directory or 'shipped'}")
        c, ranks = measure(held, oof, books(directory), reference if args.moves else None)
        reference = reference or ranks
        for key in sorted(k for k in c if not k.endswith(" n")):
            n = c[f"{key} n"]
            print(f"  {key:32} {c[key]:>5} / {n:<5} {c[key] / n:6.1%}")


if __name__ == "__main__":
    main()
