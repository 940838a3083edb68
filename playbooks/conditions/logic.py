"""Composition: any, all, not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, compile_condition, register

if TYPE_CHECKING:
    from ..engine import Facts


class _Group(Condition):
    value_type = list[Any]

    def __init__(self, value: Any, path: Path, ctx: CompileContext | None = None) -> None:
        # Built either from YAML (a list of condition trees) or directly from conditions.
        if ctx is not None:
            if not value:
                ctx.error(path, f"{self.kind!r}: expected a non-empty list of conditions")
            children = [compile_condition(item, (*path, i), ctx) for i, item in enumerate(value)]
            self.children = [c for c in children if c is not None]
        else:
            self.children = list(value)
        self.value = value
        self.path = path

    @classmethod
    def build(cls, items: list[Any], path: Path, ctx: CompileContext) -> Condition:
        """Compile a YAML list as this group."""
        return cls(items, path, ctx)

    def findings(self, facts: Facts) -> Iterator[Finding]:
        for child in self.children:
            if child.test(facts):
                yield from child.findings(facts)


@register
class AnyOf(_Group):
    """At least one of the listed conditions holds."""

    kind = "any"

    def __init__(self, value: Any, path: Path, ctx: CompileContext | None = None) -> None:
        super().__init__(value, path, ctx)
        groups = [c.term_groups() for c in self.children]
        # Only keywords and lexicons: one set test instead of one call per child.
        self._groups = frozenset().union(*groups) if all(g is not None for g in groups) else None  # type: ignore[arg-type]
        self._slow = [c for c, g in zip(self.children, groups, strict=True) if g is None]
        self._fast = frozenset().union(*(g for g in groups if g is not None))

    def test(self, facts: Facts) -> bool:
        if not self._fast.isdisjoint(facts.hits):
            return True
        return any(c.test(facts) for c in self._slow)

    def term_groups(self) -> frozenset[int] | None:
        return self._groups


@register
class AllOf(_Group):
    """Every listed condition holds."""

    kind = "all"

    def test(self, facts: Facts) -> bool:
        return all(c.test(facts) for c in self.children)


@register
class Not(Condition):
    """The nested condition does not hold."""

    kind = "not"
    value_type = Any

    def __init__(self, value: Any, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.child = compile_condition(value, path, ctx)

    def test(self, facts: Facts) -> bool:
        return self.child is not None and not self.child.test(facts)
