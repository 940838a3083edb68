"""Conditions on where and in which language a mention was written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts


class _OneOf(Condition):
    value_type = str | list[str]
    label = ""

    def __init__(self, value: str | list[str], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        items = [value] if isinstance(value, str) else value
        if not items:
            ctx.error(path, f"{self.kind!r}: expected at least one value")
        self.allowed = frozenset(v.strip().casefold() for v in items)

    def actual(self, facts: Facts) -> str | None:
        raise NotImplementedError

    def test(self, facts: Facts) -> bool:
        value = self.actual(facts)
        return value is not None and value.casefold() in self.allowed

    def findings(self, facts: Facts) -> Iterator[Finding]:
        yield Finding(self.kind, f"{self.label} : {self.actual(facts)}")


@register
class Language(_OneOf):
    """The mention's language (given by the platform or detected) is one of these."""

    kind = "language"
    label = "Langue"

    def actual(self, facts: Facts) -> str | None:
        return facts.lang


@register
class Channel(_OneOf):
    """The mention came from one of these channels (x, mastodon, bluesky, facebook, ...)."""

    kind = "channel"
    label = "Canal"

    def actual(self, facts: Facts) -> str | None:
        return facts.mention.channel
