"""Conditions on when a mention was posted, in the brand's timezone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..hours import DAYS, parse_hhmm
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts


def _when(facts: Facts) -> str:
    local = facts.local_time
    return f"{DAYS[local.weekday()]} {local:%H:%M} ({facts.timezone_name})"


@register
class BusinessHours(Condition):
    """Posted inside (true) or outside (false) the brand's business hours."""

    kind = "business_hours"
    cost = 3
    value_type = bool

    def test(self, facts: Facts) -> bool:
        return facts.in_business_hours is self.value

    def findings(self, facts: Facts) -> Iterator[Finding]:
        where = "Pendant" if self.value else "En dehors des"
        yield Finding("time", f"{where} heures d'ouverture : {_when(facts)}")


class HoursRange(BaseModel):
    """A local time window, optionally on some days only; may run past midnight."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    days: list[str] | None = None


@register
class Hours(Condition):
    """Posted within a local time window: `{from: "22:00", to: "06:00", days: [sat, sun]}`."""

    kind = "hours"
    cost = 3
    value_type = HoursRange

    def __init__(self, value: HoursRange, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.start = self.end = 0
        for key, raw in (("from", value.from_), ("to", value.to)):
            try:
                minutes = parse_hhmm(raw)
            except ValueError as exc:
                ctx.error((*path, key), f"'hours': {exc}")
                continue
            if key == "from":
                self.start = minutes
            else:
                self.end = minutes
        self.days: frozenset[int] | None = None
        if value.days is not None:
            bad = [d for d in value.days if d not in DAYS]
            if bad:
                ctx.error((*path, "days"), f"'hours': unknown day {bad[0]!r}: expected {DAYS}")
            self.days = frozenset(DAYS.index(d) for d in value.days if d in DAYS)

    def test(self, facts: Facts) -> bool:
        local = facts.local_time
        if self.days is not None and local.weekday() not in self.days:
            return False
        minute = local.hour * 60 + local.minute
        if self.start <= self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield Finding("time", f"Plage horaire {self.value.from_}–{self.value.to} : {_when(facts)}")
