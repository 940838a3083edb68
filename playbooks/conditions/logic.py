"""Composition: any, all, at_least, not."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from itertools import combinations, product
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from ..yaml_source import Path
from .base import CONDITIONS, CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts


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

    def scope_findings(self, facts: Facts) -> Iterator[Finding]:
        for child in self.children:
            if child.test(facts):
                yield from child.scope_findings(facts)


@register
class AnyOf(_Group):
    """At least one of the listed conditions holds."""

    kind = "any"

    def __init__(self, value: Any, path: Path, ctx: CompileContext | None = None) -> None:
        super().__init__(value, path, ctx)
        self.cost = max((c.cost for c in self.children), default=0)
        groups = [c.term_groups() for c in self.children]
        # Only keywords and lexicons: one set test instead of one call per child.
        self._groups = frozenset().union(*groups) if all(g is not None for g in groups) else None  # type: ignore[arg-type]
        self._slow = [c for c, g in zip(self.children, groups, strict=True) if g is None]
        self._fast = frozenset().union(*(g for g in groups if g is not None))

    def test(self, facts: Facts) -> bool:
        if not self._fast.isdisjoint(facts.groups):
            return True
        for child in self._slow:  # noqa: SIM110 - a generator costs more in the hot path
            if child.test(facts):
                return True
        return False

    def term_groups(self) -> frozenset[int] | None:
        return self._groups

    def needs_groups(self) -> frozenset[int] | None:
        needs = [c.needs_groups() for c in self.children]
        if not needs or any(n is None for n in needs):
            return None  # one child may hold without any term
        return frozenset().union(*needs)  # type: ignore[arg-type]


@register
class AllOf(_Group):
    """Every listed condition holds."""

    kind = "all"

    def __init__(self, value: Any, path: Path, ctx: CompileContext | None = None) -> None:
        super().__init__(value, path, ctx)
        # Same answer in any order; cheap tests first (findings keep the written order).
        self._ordered = sorted(self.children, key=lambda c: c.cost)
        self.cost = max((c.cost for c in self.children), default=0)

    def test(self, facts: Facts) -> bool:
        for child in self._ordered:  # noqa: SIM110 - a generator costs more in the hot path
            if not child.test(facts):
                return False
        return True

    def required_models(self) -> Iterator[Condition]:
        for child in self.children:
            yield from child.required_models()

    def needs_groups(self) -> frozenset[int] | None:
        # Every child must hold: the most selective child's needs are enough.
        needs = [n for n in (c.needs_groups() for c in self.children) if n is not None]
        return min(needs, key=len) if needs else None


# Findings whose spans are words of the text (what a scope can cite, deny or report).
_LOCATED = frozenset({"lexicon", "keyword", "pattern"})


def _spans_with_terms(f: Finding) -> Iterator[tuple[str, tuple[int, int]]]:
    """Each span of a finding with its term (the last term when there are fewer terms)."""
    for i, span in enumerate(f.spans):
        yield (f.terms[min(i, len(f.terms) - 1)] if f.terms else ""), span


class AtLeastSpec(TypedDict):
    """Value of `at_least`: how many of the listed conditions must hold."""

    count: int
    of: list[Any]


@register
class AtLeast(Condition):
    """At least `count` of the listed conditions hold: `{count: 2, of: [{lexicon: a}, …]}`.

    Reads several weak cues together: each alone is ambiguous ("merci pour tout", "ce soir",
    "le pont"), two or three of different families make the statement clear. `any` is
    `count: 1`, `all` is `count` = the number of conditions.
    """

    kind = "at_least"
    value_type = AtLeastSpec

    def __init__(self, value: AtLeastSpec, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        items = value["of"]
        self.count = value["count"]
        if not items:
            ctx.error((*path, "of"), "'at_least': expected a non-empty list of conditions")
        elif not 1 <= self.count <= len(items):
            ctx.error(
                (*path, "count"),
                f"'at_least': expected a count from 1 to {len(items)} (the listed conditions)",
            )
        compiled = [compile_condition(item, (*path, "of", i), ctx) for i, item in enumerate(items)]
        self.children = [c for c in compiled if c is not None]
        # Cheap tests first (the answer does not depend on the order; findings keep it).
        self._ordered = sorted(self.children, key=lambda c: c.cost)
        self.cost = max((c.cost for c in self.children), default=0)

    def test(self, facts: Facts) -> bool:
        needed = self.count
        left = len(self._ordered)
        for child in self._ordered:
            if child.test(facts):
                needed -= 1
                if needed <= 0:
                    return True
            left -= 1
            if left < needed:  # the rest cannot make up the count
                return False
        return False

    def needs_groups(self) -> frozenset[int] | None:
        # At least one child must hold (count >= 1): the union of their needs, when each has.
        needs = [c.needs_groups() for c in self.children]
        if not needs or any(n is None for n in needs):
            return None
        return frozenset().union(*needs)  # type: ignore[arg-type]

    def findings(self, facts: Facts) -> Iterator[Finding]:
        # Every child that holds: the reviewer sees each cue that counted.
        for child in self.children:
            if child.test(facts):
                yield from child.findings(facts)

    def scope_findings(self, facts: Facts) -> Iterator[Finding]:
        # The count must hold outside the scopes too: "je ne suis pas un fardeau" does not count
        # beside "ce soir". One joint finding per way of taking `count` holding conditions, one
        # located unit each (a word, or a `near` pair whole): the scenario stands when one such
        # finding lies wholly outside, i.e. when `count` conditions each keep a word outside.
        units: list[list[tuple[tuple[str, ...], tuple[tuple[int, int], ...]]]] = []
        for child in self.children:
            if not child.test(facts):
                continue
            mine = []
            for f in child.scope_findings(facts):
                if not f.spans or f.kind not in _LOCATED:
                    continue
                if f.joint:
                    mine.append((f.terms, f.spans))
                else:
                    mine.extend(((t,), (span,)) for t, span in _spans_with_terms(f))
            # A condition that locates no words (a score, a profile) counts as said.
            units.append(mine or [((), ())])
        for chosen in combinations(units, self.count):
            if all(not u[0][1] for u in chosen):
                return  # `count` of them locate nothing: the scope cannot say, nothing to drop
        for chosen in combinations(units, self.count):
            for picks in product(*chosen):
                terms = tuple(t for ts, _ in picks for t in ts)
                spans = tuple(s for _, ss in picks for s in ss)
                yield Finding("lexicon", "Au moins : " + " … ".join(terms), terms, spans, True)


@register
class Not(Condition):
    """The nested condition does not hold."""

    kind = "not"
    value_type = Any

    def __init__(self, value: Any, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.child = compile_condition(value, path, ctx)
        self.cost = self.child.cost if self.child is not None else 0

    def test(self, facts: Facts) -> bool:
        return self.child is not None and not self.child.test(facts)

    def needs_groups(self) -> frozenset[int] | None:
        return None


def compile_condition(data: Any, path: Path, ctx: CompileContext) -> Condition | None:
    """Compile a condition tree; a mapping with several keys means all of them."""
    if isinstance(data, list):
        return AnyOf.build(data, path, ctx)
    if not isinstance(data, dict) or not data:
        ctx.error(path, "expected a condition: a mapping such as {keywords: [...]} or {any: [...]}")
        return None
    parts: list[Condition] = []
    for kind, value in data.items():
        cls = CONDITIONS.get(kind)
        if cls is None:
            hint = difflib.get_close_matches(kind, CONDITIONS, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            ctx.error(
                (*path, kind),
                f"unknown condition {kind!r}{suggestion} (expected one of: "
                + ", ".join(sorted(CONDITIONS))
                + ")",
                key=True,
            )
            continue
        if cls.phase == "decision" and ctx.phase != "decision":
            ctx.error(
                (*path, kind),
                f"condition {kind!r} reads the decision and is only allowed in delegation rules"
                " and priority boosts",
                key=True,
            )
            continue
        checked = ctx.check(value, cls.value_type, (*path, kind), f"{kind!r}")
        if checked is None and value is not None:
            continue
        condition = cls(checked, (*path, kind), ctx)
        parts.append(condition)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(parts, path)
