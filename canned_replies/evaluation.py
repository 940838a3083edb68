"""Measure French proofreading on the project's test set: catch rate, false alarms, latency."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canned_replies.findings import Finding
from canned_replies.proofreading import Proofreader

EVAL_DIR = Path(__file__).parent / "eval"
ERRORS_FILE = EVAL_DIR / "fr_errors.jsonl"
CORRECT_FILE = EVAL_DIR / "fr_correct.jsonl"
# Chat register (no capitals, no final punctuation, names in lowercase): agreement and
# homophone slips with their corrections, and clean sentences of the same shapes (proof19a).
CHAT_ERRORS_FILE = EVAL_DIR / "fr_chat_errors.jsonl"
CHAT_CORRECT_FILE = EVAL_DIR / "fr_chat_correct.jsonl"
# Written by another writer (wp/proofwrite) after the chat sets, styles chat/pro/formal.
WRITTEN_ERRORS_FILE = EVAL_DIR / "fr_written_errors.jsonl"
WRITTEN_CORRECT_FILE = EVAL_DIR / "fr_written_correct.jsonl"
# Written by a third writer who read no rule (wp/proofblind): held out, never tuned on; its
# figures are read once per candidate, beside the committed rules'.
BLIND_ERRORS_FILE = EVAL_DIR / "fr_blind_errors.jsonl"
BLIND_CORRECT_FILE = EVAL_DIR / "fr_blind_correct.jsonl"
# Brand terms of the two demo brands that appear in the test sentences.
EVAL_DICTIONARY = ("Ferlys", "Mercalia", "Grand Voyageur")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file into a list of records."""
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


@dataclass
class EvalReport:
    """What the proofreader caught on sentences with known errors and flagged on clean ones."""

    errors_total: int = 0
    errors_caught: int = 0
    correct_total: int = 0
    correct_flagged: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[tuple[str, list[Finding]]] = field(default_factory=list)

    @property
    def catch_rate(self) -> float:
        """Share of known errors that a finding overlaps."""
        return self.errors_caught / self.errors_total if self.errors_total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of correct sentences with at least one finding."""
        return self.correct_flagged / self.correct_total if self.correct_total else 0.0


def evaluate(
    proofreader: Proofreader | None = None,
    errors_file: Path = ERRORS_FILE,
    correct_file: Path = CORRECT_FILE,
) -> EvalReport:
    """Run the proofreader over a French error set and its clean set (the project's own by
    default) and count catches and false alarms."""
    proofreader = proofreader or Proofreader("fr", EVAL_DICTIONARY)
    report = EvalReport()
    for record in load_jsonl(errors_file):
        findings = proofreader.check(record["text"])
        for error in record["errors"]:
            report.errors_total += 1
            if any(f.start < error["end"] and error["start"] < f.end for f in findings):
                report.errors_caught += 1
            else:
                report.misses.append({**error, "text": record["text"]})
    for record in load_jsonl(correct_file):
        report.correct_total += 1
        findings = proofreader.check(record["text"])
        if findings:
            report.correct_flagged += 1
            report.false_alarms.append((record["text"], findings))
    return report


def latency_ms(proofreader: Proofreader, text: str, runs: int = 200) -> list[float]:
    """Time repeated checks of one text, in milliseconds, sorted."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        proofreader.check(text)
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]
