"""Conditions on the decision taken so far (delegation rules and priority boosts only)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from ..model import SEVERITIES, severity_rank
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts

SeverityName = Literal["S0", "S1", "S2", "S3", "S4"]


def _known(
    values: list[str], known: set[str], what: str, path: Path, ctx: CompileContext, single: bool
) -> None:
    for i, v in enumerate(values):
        if v not in known:
            hint = difflib.get_close_matches(v, known, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            ctx.error(path if single else (*path, i), f"unknown {what} {v!r}{suggestion}")


@register
class ScenarioIs(Condition):
    """One of these scenarios matched the mention."""

    kind = "scenario"
    cost = 0
    value_type = str | list[str]
    phase = "decision"

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.ids = [value] if isinstance(value, str) else value
        _known(self.ids, ctx.scenario_ids, "scenario", path, ctx, isinstance(value, str))

    def test(self, facts: Facts) -> bool:
        return any(s in facts.scenario_set for s in self.ids)

    def findings(self, facts: Facts) -> Iterator[Finding]:
        found = [s for s in self.ids if s in facts.scenario_set]
        yield Finding("scenario", f"Scénario : {', '.join(found)}")


@register
class CategoryIs(Condition):
    """One of these categories was given by a matched scenario."""

    kind = "category"
    cost = 0
    value_type = str | list[str]
    phase = "decision"

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.names = [value] if isinstance(value, str) else value
        self._names = frozenset(self.names)
        _known(self.names, ctx.categories, "category", path, ctx, isinstance(value, str))

    def test(self, facts: Facts) -> bool:
        return not self._names.isdisjoint(facts.category_set)

    def findings(self, facts: Facts) -> Iterator[Finding]:
        found = [c for c in self.names if c in facts.category_set]
        yield Finding("category", f"Catégorie : {', '.join(found)}")


class SeverityRange(BaseModel):
    """Inclusive bounds on the severity."""

    model_config = ConfigDict(extra="forbid")
    min: SeverityName = "S0"
    max: SeverityName = "S4"


@register
class SeverityIs(Condition):
    """The severity is this level (`S3`) or within bounds (`{min: S3}`)."""

    kind = "severity"
    cost = 0
    value_type = SeverityName | SeverityRange
    phase = "decision"

    def __init__(self, value: str | SeverityRange, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        rng = (
            value
            if isinstance(value, SeverityRange)
            else SeverityRange.model_validate({"min": value, "max": value})
        )
        self.low, self.high = severity_rank(rng.min), severity_rank(rng.max)
        if self.low > self.high:
            ctx.error(path, "'severity': min is above max")

    def test(self, facts: Facts) -> bool:
        return self.low <= severity_rank(facts.severity) <= self.high

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield Finding("severity", f"Gravité : {facts.severity}")


__all__ = ["SEVERITIES"]
