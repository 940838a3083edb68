"""Per-rule precision in the backtest (issue 18, part 2): how each scenario of a playbook draft —
word rules and learned-scorer conditions alike — fares against the reviewers' corrections.

For each scenario the draft fires on a replayed mention, the mention's latest override (a
reviewer's correction) is the ground truth when there is one: the reviewer *kept* the scenario
when their correction still names it, *corrected* it when it does not (a false alarm); a
scenario the reviewer named that the draft did not fire is *missed*. Precision is kept /
(kept + corrected), recall kept / (kept + missed), both over reviewed mentions only, so they are
estimates (reviewers correct what they look at); mentions nobody reviewed count as fired only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EXAMPLES = 3


@dataclass
class RuleStats:
    """One scenario's record over the backtest."""

    id: str
    label: str
    kind: str  # "words" | "model" (a learned-scorer condition)
    fired: int = 0
    reviewed: int = 0
    kept: int = 0
    corrected: int = 0
    missed: int = 0
    false_alarms: list[str] = field(default_factory=list)  # texts the reviewers corrected
    misses: list[str] = field(default_factory=list)  # texts the reviewers named it on

    @property
    def precision(self) -> float | None:
        judged = self.kept + self.corrected
        return self.kept / judged if judged else None

    @property
    def recall(self) -> float | None:
        named = self.kept + self.missed
        return self.kept / named if named else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "fired": self.fired,
            "reviewed": self.reviewed,
            "kept": self.kept,
            "corrected": self.corrected,
            "missed": self.missed,
            "precision": None if self.precision is None else round(self.precision, 4),
            "recall": None if self.recall is None else round(self.recall, 4),
        }


def _uses_model(condition: Any) -> bool:
    return '"model"' in json.dumps(condition, default=str)


class RuleCounter:
    """Collects the per-scenario record while the backtest replays mentions."""

    def __init__(self, scenarios: Iterable[Any]) -> None:
        self.rules: dict[str, RuleStats] = {
            s.id: RuleStats(s.id, s.label, "model" if _uses_model(s.when) else "words")
            for s in scenarios
        }

    def add(self, text: str, fired: Iterable[str], truth: Iterable[str] | None) -> None:
        """One replayed mention: the scenarios the draft fired, and the reviewer's (if any)."""
        fired_set = set(fired)
        named = set(truth) if truth is not None else None
        for rule_id in fired_set:
            rule = self.rules.get(rule_id)
            if rule is None:
                continue
            rule.fired += 1
            if named is None:
                continue
            rule.reviewed += 1
            if rule_id in named:
                rule.kept += 1
            else:
                rule.corrected += 1
                if len(rule.false_alarms) < EXAMPLES:
                    rule.false_alarms.append(text[:200])
        for rule_id in (named or set()) - fired_set:
            rule = self.rules.get(rule_id)
            if rule is not None:
                rule.missed += 1
                if len(rule.misses) < EXAMPLES:
                    rule.misses.append(text[:200])

    def table(self) -> list[RuleStats]:
        """Most corrected first, then most fired; rules that never fired last."""
        return sorted(
            self.rules.values(), key=lambda r: (r.fired == 0, -r.corrected, -r.fired, r.id)
        )
