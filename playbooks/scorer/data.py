"""Where the scorer's training data lives, and the tune/validation split of the dev sets.

Third-party texts are read from the shared folders when present; the project only commits the
split (lists of `source_id`, never texts) and the examples it wrote itself.
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
SPLIT_PATH = MODELS_DIR / "splits.json"
EXAMPLES_PATH = MODELS_DIR / "examples_fr.txt"
# Rows written by four authors working apart (wave 18), read since wave 19.
AUTHOR_PATHS = tuple(MODELS_DIR / f"examples_fr_author_{a}.txt" for a in "abcd")
# Thirteen writers' probes (probe 12 since wave 31, probe 13 since wave 32), read whole since
# wave 30 (study material: `benchmarks/eval_probe.py --show study` lists their wrong rows).
# Listed one by one: a newer probe is the next held-out measure and is never read by accident.
EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
PROBE_PATHS = tuple(
    EVAL_DIR / name
    for name in (
        "probe_fr.jsonl",
        "probe2_fr.jsonl",
        "probe3_fr.jsonl",
        "probe4_fr.jsonl",
        "probe5_fr.jsonl",
        "probe6_fr.jsonl",
        "probe7_fr.jsonl",
        "probe8_fr.jsonl",
        "probe9_fr.jsonl",
        "probe10_fr.jsonl",
        "probe11_fr.jsonl",
        "probe12_fr.jsonl",
        "probe13_fr.jsonl",
        "probe14_fr.jsonl",
        "probe15_fr.jsonl",
    )
)
# The study sets read so far (wave 63's graft; `exp_sequence_reader.py`'s 37 writers): probes
# 1–30 and the blind hunts. Listed by number: probe 31 is held out and never listed here.
STUDY_PATHS = (
    *PROBE_PATHS,
    *(EVAL_DIR / f"probe{n}_fr.jsonl" for n in range(16, 31)),
    *(EVAL_DIR / f"hunts{n}_fr.jsonl" for n in (42, 55, 57, 58, 59, 60, 61)),
)
# The project's own evaluation sets: never trained on (a probe post equal to one is skipped).
OWN_SET_PATHS = tuple(
    EVAL_DIR / name
    for name in ("fr_mentions.jsonl", "fr_mentions_holdout.jsonl", "threats_distress.jsonl")
)

# Overridable for CI or another checkout: `VIGIE_TRAIN_DATA`, `VIGIE_EVAL_DATA`.
TRAIN_DATA = Path(os.environ.get("VIGIE_TRAIN_DATA", "/work/shared/train-data"))
EVAL_DATA = Path(os.environ.get("VIGIE_EVAL_DATA", "/work/shared/eval-data"))

DEV_SETS = ("mhc-fr", "mlma-fr", "davidson-en")
SPLIT_SEED = 20261201
VALIDATION_SHARE = {"mhc-fr": 0.34, "mlma-fr": 0.3, "davidson-en": 0.25}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSON-lines file."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def dev_rows(name: str) -> list[dict[str, Any]]:
    """Every row of one dev set (empty when the shared folder is absent)."""
    path = EVAL_DATA / name / "dev.jsonl"
    return list(read_jsonl(path)) if path.is_file() else []


def make_split(rows_by_set: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Choose the validation part of each dev set, once, before any tuning.

    HateCheck by template (every case of a template on one side, templates drawn within each
    functionality so that each one is measured), MLMA and Davidson by row; fixed seed.
    """
    out: dict[str, Any] = {"seed": SPLIT_SEED, "sets": {}}
    for name in DEV_SETS:
        rows = rows_by_set.get(name) or []
        if not rows:
            continue
        rng = random.Random(f"{SPLIT_SEED}:{name}")
        share = VALIDATION_SHARE[name]
        if name == "mhc-fr":
            by_func: dict[str, set[str]] = defaultdict(set)
            for r in rows:
                by_func[r["meta"]["functionality"]].add(r["meta"]["templ_id"])
            held: set[str] = set()
            for func in sorted(by_func):
                templates = sorted(by_func[func], key=lambda t: (len(t), t))
                rng.shuffle(templates)
                held.update(templates[: max(1, round(len(templates) * share))])
            validation = sorted(
                (r["source_id"] for r in rows if r["meta"]["templ_id"] in held), key=_id_key
            )
            out["sets"][name] = {
                "unit": "template (meta.templ_id), drawn within each functionality",
                "validation_templates": sorted(held, key=lambda t: (len(t), t)),
                "validation": validation,
            }
        else:
            ids = sorted((r["source_id"] for r in rows), key=_id_key)
            rng.shuffle(ids)
            validation = sorted(ids[: round(len(ids) * share)], key=_id_key)
            out["sets"][name] = {"unit": "row", "validation": validation}
        out["sets"][name]["rows"] = len(rows)
    return out


def _id_key(source_id: str) -> tuple[str, int, str]:
    head, _, tail = source_id.rpartition("=") if "=" in source_id else source_id.rpartition("-")
    return (head, int(tail), "") if tail.isdigit() else (source_id, 0, source_id)


def load_split() -> dict[str, set[str]]:
    """Validation `source_id`s per dev set, from the committed split file."""
    data = json.loads(SPLIT_PATH.read_text(encoding="utf-8"))
    return {name: set(s["validation"]) for name, s in data["sets"].items()}


def write_split() -> Path:
    """Write the split file from the shared dev sets (refuses to overwrite an existing one)."""
    if SPLIT_PATH.exists():
        raise SystemExit(f"{SPLIT_PATH} exists: the split is chosen once, never redrawn")
    split = make_split({name: dev_rows(name) for name in DEV_SETS})
    if not split["sets"]:
        raise SystemExit(f"no dev sets under {EVAL_DATA}")
    SPLIT_PATH.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    return SPLIT_PATH
