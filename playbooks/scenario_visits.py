"""The scenarios a mention's candidate mask asks to test, kept per mask (the engine's hot path).

The lexicon groups that fire are alike across mentions, so the same masks recur; walking a
mask's bits cost four big-int operations per candidate (~17 candidates a mention on the
benchmark), a cached tuple costs one lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from .compiled import CompiledScenario
from .conditions import Condition

Visits = tuple[tuple[CompiledScenario, Condition], ...]
_MAX_MASKS = 4096  # 1,547 distinct masks in the benchmark's 20,000 mentions


class ScenarioVisits:
    """Each candidate mask's scenarios that have a condition, in file order, with it."""

    def __init__(self, scenarios: Sequence[CompiledScenario]) -> None:
        self._scenarios = scenarios
        self._by_mask: dict[int, Visits] = {}

    def of(self, candidates: int) -> Visits:
        visits = self._by_mask.get(candidates)
        if visits is None:
            visits = tuple(
                (sc, sc.when)
                for i, sc in enumerate(self._scenarios)
                if candidates >> i & 1 and sc.when is not None
            )
            if len(self._by_mask) >= _MAX_MASKS:  # bounded: a brand's masks are few
                self._by_mask.clear()
            self._by_mask[candidates] = visits
        return visits
