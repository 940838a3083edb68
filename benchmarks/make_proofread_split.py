"""Split the French proofreading development set into tuning and validation parts.

Run once, before any tuning: .venv/bin/python benchmarks/make_proofread_split.py
Writes benchmarks/proofread_split.json: row ids and text hashes only (the texts are
third-party and stay in ../shared/eval-data).

Protocol (issue 19): split by source, keeping chat messages in both halves.
- DiaBLa chats: whole dialogues go to one side (turns of one conversation share names and
  habits), chosen by a hash of the dialogue id.
- The treebanks: whole sources/genres go to one side, so validation measures text kinds the
  rules were never tuned on. Tuning: Sequoia Wikipedia + Sequoia medical leaflets + FQB
  questions. Validation: Sequoia regional newspaper + Sequoia Europarl + PUD (news, Wikipedia
  translated from English).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def find_data() -> Path:
    """The development set next to the checkout (../shared), also from a nested worktree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared/eval-data/proofreading-fr/dev.jsonl"
        if candidate.exists():
            return candidate
    return here.parents[2] / "shared/eval-data/proofreading-fr/dev.jsonl"


DATA = find_data()
OUT = Path(__file__).with_name("proofread_split.json")

TUNING_GENRES = {
    ("ud-sequoia", "Wikipedia"),
    ("ud-sequoia", "medical leaflets (EMEA)"),
    ("ud-fqb", "questions"),
}
VALIDATION_GENRES = {
    ("ud-sequoia", "regional newspaper (Est Républicain)"),
    ("ud-sequoia", "parliament debates (Europarl)"),
    ("ud-pud", "Wikipedia (translated)"),
    ("ud-pud", "news (translated)"),
}


def text_hash(text: str) -> str:
    """A short fingerprint of a row's text: detects a changed data file, reveals nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def part_of(row: dict) -> str:
    source, genre = row["meta"]["source"], row["meta"]["genre"]
    if source == "diabla":
        dialogue = row["source_id"].rsplit(":", 1)[0]
        digest = hashlib.sha256(dialogue.encode("utf-8")).digest()
        return "tuning" if digest[0] % 2 == 0 else "validation"
    if (source, genre) in TUNING_GENRES:
        return "tuning"
    if (source, genre) in VALIDATION_GENRES:
        return "validation"
    raise ValueError(f"no part for {source}/{genre}")


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    parts: dict[str, dict[str, str]] = {"tuning": {}, "validation": {}}
    for row in rows:
        parts[part_of(row)][row["source_id"]] = text_hash(row["text"])
    OUT.write_text(
        json.dumps(
            {
                "data": "shared/eval-data/proofreading-fr/dev.jsonl",
                "protocol": __doc__.split("Protocol", 1)[1].strip(),
                "tuning": parts["tuning"],
                "validation": parts["validation"],
            },
            indent=0,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    for name, ids in parts.items():
        chosen = [r for r in rows if r["source_id"] in ids]
        errors = sum(1 for r in chosen if r["edits"])
        chat = sum(1 for r in chosen if r["meta"]["source"] == "diabla")
        print(f"{name}: {len(chosen)} rows, {errors} with errors, {chat} chat turns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
