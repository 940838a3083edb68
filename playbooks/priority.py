"""The priority score of a decision, 0–1000: the one formula, and its parts for the evidence."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from .compiled import CompiledRule
from .facts import Facts
from .schema import PlaybookSpec


class Weighed(Protocol):
    """What the priority reads of the compiled playbook (``engine.Playbook``)."""

    @property
    def spec(self) -> PlaybookSpec: ...
    @property
    def boosts(self) -> Sequence[CompiledRule]: ...
    @property
    def _severity_weights(self) -> Mapping[str, float]: ...
    @property
    def _channels(self) -> Mapping[str, float]: ...
    @property
    def _tiers(self) -> Mapping[str, float]: ...


def score(playbook: Weighed, severity: str, facts: Facts, explain: list[str] | None = None) -> int:
    """The priority score, 0–1000 (severity, channel, tier, VIP, verified, influence, age,
    boosts). With `explain`, each part that counts is appended to it as "label (points)" for
    the evidence; without, no label is built (triage's hot path). The parts are kept on
    `facts`: the evidence reuses them instead of testing the boosts again."""
    parts = facts.priority_parts
    if parts is None or parts[0] != severity:
        parts = facts.priority_parts = _parts(playbook, severity, facts)
    _, values, boosts, total, age_minutes = parts
    if explain is not None:
        for i, v in enumerate(values):
            if v:  # labels only for the parts that count (most are 0)
                explain.append(f"{_label(i, severity, facts, age_minutes)} ({round(v)})")
        explain.extend(f"bonus {b.id} ({round(b.add)})" for b in boosts if b.add)
    return max(0, min(1000, round(total)))


def _label(i: int, severity: str, facts: Facts, age_minutes: float) -> str:
    """The evidence's name of part `i` of `_parts`' values."""
    author = facts.mention.author
    if i == 0:
        return f"gravité {severity}"
    if i == 1:
        return f"canal {facts.mention.channel.casefold()}"
    if i == 2:
        return f"palier {author.tier}"
    if i == 3:
        return "VIP"
    if i == 4:
        return "compte vérifié"
    if i == 5:
        return f"influence {author.followers} abonnés"
    return f"attente {int(age_minutes)} min"


def _parts(playbook: Weighed, severity: str, facts: Facts) -> tuple[Any, ...]:
    w = playbook.spec.priority
    author = facts.mention.author
    age_minutes = max(0.0, (facts.now - facts.posted).total_seconds() / 60)
    values = (
        playbook._severity_weights.get(severity, 0),
        playbook._channels.get(facts.mention.channel.casefold(), 0),
        playbook._tiers.get(facts.tier_key, 0) if facts.tier_key else 0,
        w.vip if author.vip else 0,
        w.verified if author.verified else 0,
        min(w.influence.max, w.influence.per_decade * math.log10(author.followers + 1))
        if author.followers > 0
        else 0,
        min(w.age.max, w.age.per_minute * age_minutes) if age_minutes > 0 else 0,
    )
    boosts = [b for b in playbook.boosts if b.when is not None and b.when.test(facts)]
    total = sum((*values, *(b.add for b in boosts)))  # added in this order, always
    return severity, values, boosts, total, age_minutes
