"""The condition contract, its registry, and the compile-time context conditions use.

A condition is one small class: `kind` is its YAML key, `value_type` what its value must be
(checked with pydantic), `phase` says whether it reads the mention ("mention") or the
decision taken so far ("decision": only allowed in delegation rules and priority boosts).
Built-in kinds register with `@register` exactly as an extension would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import TypeAdapter, ValidationError

from ..errors import ValidationIssue
from ..matcher import TermIndex
from ..yaml_source import Path, SourceMap

if TYPE_CHECKING:
    from ..facts import Facts

CONDITIONS: dict[str, type[Condition]] = {}


def register(cls: type[Condition]) -> type[Condition]:
    """Class decorator adding a condition kind to the registry."""
    if cls.kind in CONDITIONS:
        raise ValueError(f"condition kind {cls.kind!r} is already registered")
    CONDITIONS[cls.kind] = cls
    return cls


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """What a condition saw when it held: shown to the reviewer as evidence."""

    kind: str
    explanation: str
    terms: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # in the normalised text
    joint: bool = False  # the spans stand together (a `near` pair), not each on its own

    def __init__(
        self,
        kind: str,
        explanation: str,
        terms: tuple[str, ...] = (),
        spans: tuple[tuple[int, int], ...] = (),
        joint: bool = False,
    ) -> None:
        # The slots' own setters: frozen all the same, at less than half the cost of the
        # generated `object.__setattr__` calls (evidence builds several per decision).
        _set_kind(self, kind)
        _set_explanation(self, explanation)
        _set_terms(self, terms)
        _set_spans(self, spans)
        _set_joint(self, joint)


_set_kind, _set_explanation, _set_terms, _set_spans, _set_joint = (
    Finding.__dict__[name].__set__ for name in ("kind", "explanation", "terms", "spans", "joint")
)


@dataclass
class CompileContext:
    """What conditions may use while compiling: the term index, lexicons, error reporting."""

    smap: SourceMap
    index: TermIndex
    lexicon_groups: dict[str, int]
    phase: str = "mention"  # the phases allowed where the condition appears
    issues: list[ValidationIssue] = field(default_factory=list)
    scenario_ids: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    _adapters: dict[Any, TypeAdapter[Any]] = field(default_factory=dict)

    def error(
        self, path: Path, message: str, *, key: bool = False, code: str = "", **params: Any
    ) -> None:
        """Record a validation issue at `path` (with a code and params for translation)."""
        self.issues.append(self.smap.issue(path, message, key=key, code=code, **params))

    def check(self, value: Any, value_type: Any, path: Path, what: str) -> Any | None:
        """Validate `value` against `value_type`; record issues and return None on failure."""
        adapter = self._adapters.get(value_type)
        if adapter is None:
            adapter = self._adapters[value_type] = TypeAdapter(value_type)
        try:
            return adapter.validate_python(value, strict=True)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                self.error(
                    (*path, *loc), f"{what}: {err['msg'].replace('Input should be', 'expected')}"
                )
            return None


class Condition:
    """Base class of every condition kind; subclasses set `kind` and `value_type`."""

    kind: ClassVar[str]
    value_type: ClassVar[Any]
    phase: ClassVar[str] = "mention"
    description: ClassVar[str] = ""
    # Relative cost of `test`: `all` tests its cheapest children first (0: a set lookup,
    # 1: a field of the mention, 2: a regular expression, 3: a clock computation).
    cost: int = 1

    def __init__(self, value: Any, path: Path, ctx: CompileContext) -> None:
        self.value = value
        self.path = path

    def test(self, facts: Facts) -> bool:
        """True when the condition holds for this mention."""
        raise NotImplementedError

    def term_groups(self) -> frozenset[int] | None:
        """Term groups whose presence alone decides this condition (None if not that simple).

        Lets `any` over keywords and lexicons collapse into one set test.
        """
        return None

    def needs_groups(self) -> frozenset[int] | None:
        """Term groups of which at least one must occur for this condition to hold.

        None when it may hold without any term (patterns, author, time, `not`). The engine
        skips a scenario whose needed groups did not fire without testing it.
        """
        return self.term_groups()

    def findings(self, facts: Facts) -> Iterator[Finding]:
        """Evidence for a condition that held; nothing by default."""
        return iter(())

    def scope_findings(self, facts: Facts) -> Iterator[Finding]:
        """What the quoted/negated/reported check reads: every located match, where the
        evidence shows one (a `near` pair); the evidence itself by default."""
        return self.findings(facts)

    def required_models(self) -> Iterator[Condition]:
        """The `model` conditions that must hold for this one to (itself, an `all`'s
        children): the scope check re-scores them on the words said outside the scopes."""
        return iter(())


Builder = Callable[[Any, Path, CompileContext], Condition | None]
