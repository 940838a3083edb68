"""Conditions on the author's profile: loyalty tier, VIP, followers, verified."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..normalize import normalize_term
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register
from .context import _OneOf

if TYPE_CHECKING:
    from ..facts import Facts


@register
class Tier(_OneOf):
    """The author's loyalty tier is one of these (case and accents ignored: "Platine", "or")."""

    kind = "tier"
    label = "Palier de fidélité"

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.allowed = frozenset(normalize_term(v).strip() for v in self.allowed)

    def actual(self, facts: Facts) -> str | None:
        return facts.mention.author.tier

    def test(self, facts: Facts) -> bool:
        tier = facts.mention.author.tier
        return tier is not None and facts.tier_key in self.allowed


class _Flag(Condition):
    value_type = bool
    label_true = ""
    label_false = ""

    def actual(self, facts: Facts) -> bool:
        raise NotImplementedError

    def test(self, facts: Facts) -> bool:
        return self.actual(facts) is self.value

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield Finding("profile", self.label_true if self.value else self.label_false)


@register
class Vip(_Flag):
    """The author is (or, with false, is not) marked VIP by the brand."""

    kind = "vip"
    label_true = "Auteur VIP"
    label_false = "Auteur non VIP"

    def actual(self, facts: Facts) -> bool:
        return facts.mention.author.vip


@register
class Verified(_Flag):
    """The author's account is (or is not) verified by the platform."""

    kind = "verified"
    label_true = "Compte vérifié"
    label_false = "Compte non vérifié"

    def actual(self, facts: Facts) -> bool:
        return facts.mention.author.verified


class FollowerRange(BaseModel):
    """Bounds on the follower count, both inclusive."""

    model_config = ConfigDict(extra="forbid")
    min: Annotated[int, Field(ge=0)] | None = None
    max: Annotated[int, Field(ge=0)] | None = None


@register
class Followers(Condition):
    """The author's follower count is within bounds: `{min: 10000}` or a bare minimum `10000`."""

    kind = "followers"
    value_type = Annotated[int, Field(ge=0)] | FollowerRange

    def __init__(self, value: int | FollowerRange, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        rng = FollowerRange(min=value) if isinstance(value, int) else value
        if rng.min is None and rng.max is None:
            ctx.error(path, "'followers': expected min and/or max")
        if rng.min is not None and rng.max is not None and rng.min > rng.max:
            ctx.error(path, "'followers': min is greater than max")
        self.low = rng.min if rng.min is not None else 0
        self.high = rng.max

    def test(self, facts: Facts) -> bool:
        n = facts.mention.author.followers
        return n >= self.low and (self.high is None or n <= self.high)

    def findings(self, facts: Facts) -> Iterator[Finding]:
        n = facts.mention.author.followers
        yield Finding("profile", f"Abonnés : {n:,}".replace(",", " "))
