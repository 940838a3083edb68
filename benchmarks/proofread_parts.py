"""The proofreading dev set's tuning and validation parts (issue 19's split), read in one place.

`proofread_split.json` holds row ids and hashes only (benchmarks/make_proofread_split.py wrote it
once, before any tuning); the texts stay in `../shared/eval-data/proofreading-fr/`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SPLIT_FILE = Path(__file__).with_name("proofread_split.json")


def load_parts(
    data: Path, wanted: tuple[str, ...], split_file: Path = SPLIT_FILE
) -> dict[str, list[dict[str, Any]]]:
    """The rows of `data` (a dev.jsonl) in each wanted part, in the split file's order."""
    split = json.loads(split_file.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in data.open(encoding="utf-8") if line.strip()]
    by_id = {row["source_id"]: row for row in rows}
    parts: dict[str, list[dict[str, Any]]] = {}
    for part in wanted:
        parts[part] = [by_id[i] for i in split[part] if i in by_id]
        missing = len(split[part]) - len(parts[part])
        if missing:
            print(f"warning: {missing} {part} rows missing from {data}", file=sys.stderr)
    return parts
