"""The `rating` condition: a review's stars (Google Business Profile reviews, 1 to 5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts

Stars = Annotated[int, Field(ge=1, le=5)]


class RatingRange(BaseModel):
    """Bounds on the stars, both inclusive."""

    model_config = ConfigDict(extra="forbid")
    min: Stars | None = None
    max: Stars | None = None


@register
class Rating(Condition):
    """The review gave this many stars: `rating: 1`, or bounds `rating: {max: 2}`.

    Only reviews have stars: a comment or a post never matches, whatever the bounds. A review
    with stars and no words still matches, so a silent one-star review is handled as the
    complaint it is.
    """

    kind = "rating"
    cost = 1
    value_type = Stars | RatingRange

    def __init__(self, value: int | RatingRange, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        rng = RatingRange(min=value, max=value) if isinstance(value, int) else value
        if rng.min is None and rng.max is None:
            ctx.error(path, "'rating': expected min and/or max")
        if rng.min is not None and rng.max is not None and rng.min > rng.max:
            ctx.error(path, "'rating': min is greater than max")
        self.low = rng.min if rng.min is not None else 1
        self.high = rng.max if rng.max is not None else 5

    def test(self, facts: Facts) -> bool:
        stars = facts.mention.rating
        return stars is not None and self.low <= stars <= self.high

    def findings(self, facts: Facts) -> Iterator[Finding]:
        stars = facts.mention.rating or 0
        yield Finding("rating", f"Avis : {stars} étoile{'s' if stars > 1 else ''} sur 5")
