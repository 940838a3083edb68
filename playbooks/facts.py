"""What conditions may read about one mention (``Facts``), computed at most once.

Apart from the engine so that the condition kinds can name it without importing the engine,
which imports them: ``Facts`` reads the compiled playbook through ``PlaybookView``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from .hours import WeeklyHours, is_open, parse_business_hours, zone
from .matcher import Hit, TermIndex
from .model import (
    BrandContext,
    MentionInput,
)
from .normalize import NormalizedText
from .schema import PlaybookSpec
from .scope import find_scopes, inside

if TYPE_CHECKING:
    from .scorer import Scores


class PlaybookView(Protocol):
    """What Facts reads of the compiled playbook (``engine.Playbook``)."""

    spec: PlaybookSpec
    index: TermIndex
    _week: WeeklyHours | None

    def tier_key(self, tier: str) -> str: ...

    def scan_text(self, text: str, lang: str) -> set[int]: ...

    def normalised_in(self, text: str, lang: str) -> NormalizedText: ...


class Locating(Protocol):
    """A condition whose findings may locate words (``conditions.base.Condition``)."""

    def findings(self, facts: Any) -> Any: ...

    def scope_findings(self, facts: Any) -> Any: ...

    def required_models(self) -> Any: ...


# Findings that locate words the author wrote (a scope can hold them).
_WORD_FINDINGS = frozenset({"lexicon", "keyword", "pattern"})


_HOURS_CACHE: dict[str, WeeklyHours] = {}


def _hours(spec: dict[str, Any]) -> WeeklyHours:
    key = repr(sorted(spec.items()))
    week = _HOURS_CACHE.get(key)
    if week is None:
        week = _HOURS_CACHE[key] = parse_business_hours(spec)
    return week


@dataclass(slots=True)
class PreparedText:
    """What `decide` does with a mention's text alone (steps 1-2 and the scorer's figures),
    done for a batch at once by `Playbook.prepare`; the rest depends on the mention."""

    nt: NormalizedText
    lang: str
    groups: set[int]
    hits: dict[int, list[Hit]] | None  # located terms (prepared for evidence)
    scores: Scores | None  # the scorer's, when the playbook has `model` conditions


class Facts:
    """Everything conditions may read about one mention, computed at most once."""

    __slots__ = (
        "_hits",
        "_local",
        "_parent_groups",
        "_scoped",
        "_week",
        "category_set",
        "context",
        "groups",
        "lang",
        "memo",
        "mention",
        "model_scores",
        "now",
        "nt",
        "playbook",
        "priority_parts",
        "scenario_set",
        "scopes",
        "sentiment",
        "severity",
        "span_cache",
        "tier_key",
        "timezone_name",
    )

    def __init__(
        self,
        playbook: PlaybookView,
        mention: MentionInput,
        context: BrandContext,
        now: datetime,
        nt: NormalizedText,
        lang: str,
        groups: set[int],
    ) -> None:
        self.playbook = playbook
        self.mention = mention
        self.context = context
        self.now = now
        self.nt = nt
        self.lang = lang
        self.groups = groups  # term groups that fired: what conditions test
        self._hits: dict[int, list[Hit]] | None = None
        tier = mention.author.tier
        self.tier_key = playbook.tier_key(tier) if tier else None
        self.timezone_name = context.timezone or playbook.spec.timezone
        self._local: datetime | None = None
        self._week: WeeklyHours | None = None
        self.scenario_set: set[str] = set()
        self.category_set: set[str] = set()
        self.severity = "S0"
        self.span_cache: dict[tuple[int, int], tuple[int, int]] = {}
        self.model_scores: Scores | None = None  # the learned scorer's, on first `model` test
        self.scopes: list[tuple[str, int, int]] | None = None  # on first `unless_scope`
        self._scoped: frozenset[str] = frozenset()  # the kinds `scopes` holds
        self._parent_groups: set[int] | None = None
        self.sentiment: str | None = None  # on first `sentiment` test
        # What word conditions found, keyed by what they compute (a `near`'s first pair, a
        # pattern's match): conditions written alike in several scenarios, and tested again
        # for the evidence, compute it once per mention (conditions.text).
        self.memo: dict[tuple[Any, ...], Any] = {}
        # The priority's parts (severity, values, boosts, total, age), for its evidence.
        self.priority_parts: tuple[Any, ...] | None = None

    def parent_groups(self) -> set[int]:
        """Term groups found in the message this mention answers (same language, once)."""
        if self._parent_groups is None:
            parent = self.mention.parent
            self._parent_groups = (
                self.playbook.scan_text(parent.text, self.lang) if parent is not None else set()
            )
        return self._parent_groups

    def only_in_scope(self, condition: Locating, kinds: frozenset[str]) -> bool:
        """Whether every word `condition` matched lies in a scope of these kinds (quoted,
        negated, reported): cited, denied or reported rather than said."""
        if self.lang != "fr":  # the triggers are French grammar (and quoting habits differ)
            return False
        # A few regular expressions, cheaper than the findings; each kind's on its first ask
        # (most scenarios never ask for `self`).
        missing = kinds - self._scoped
        if missing:
            found = find_scopes(
                self.mention.text, self.nt.text, self.span_mapper, missing, self.nt.words()
            )
            if self.scopes is None:
                self.scopes = []
            self.scopes.extend(s for s in found if s[0] in missing)
            self._scoped = self._scoped | missing
        scopes = [s for s in self.scopes if s[0] in kinds] if self.scopes else None
        if not scopes:
            return False
        # A score is located by the word that weighed most, and stands only in scope when
        # it no longer holds on the words said outside the scopes.
        if any(m.rests_on(self, scopes) for m in condition.required_models()):
            return True
        located = condition.scope_findings(self)
        findings = [f for f in located if f.spans and f.kind in _WORD_FINDINGS]
        if not findings:
            return False  # nothing located (a model score, a profile): the scope cannot say
        for f in findings:
            spans = [self.span_mapper(a, b) for a, b in f.spans]
            if f.joint:  # a pair ("near"): it stands only if both ends are outside
                if not any(inside(s, scopes) for s in spans):
                    return False
            elif not all(inside(s, scopes) for s in spans):
                return False
        return True

    @property
    def hits(self) -> dict[int, list[Hit]]:
        """Every hit with its term and position, per group (a second pass, for evidence)."""
        if self._hits is None:
            self._hits = self.playbook.index.scan(self.nt, self.lang)
        return self._hits

    def span_mapper(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of a normalised span (cached per mention)."""
        key = (start, end)
        mapped = self.span_cache.get(key)
        if mapped is None:
            mapped = self.span_cache[key] = self.nt.original_span(start, end)
        return mapped

    @property
    def posted(self) -> datetime:
        """When the mention was posted (now if unknown), UTC."""
        return _aware(self.mention.posted_at) if self.mention.posted_at else self.now

    @property
    def local_time(self) -> datetime:
        """Posting time in the brand's timezone."""
        if self._local is None:
            self._local = self.posted.astimezone(zone(self.timezone_name))
        return self._local

    @property
    def week(self) -> WeeklyHours | None:
        """Opening hours: the brand's, else the playbook's, else None (always open)."""
        if self._week is None:
            spec = self.context.business_hours
            if spec is None:
                self._week = self.playbook._week  # compiled once at load
            else:
                self._week = _hours(spec)
        return self._week

    @property
    def in_business_hours(self) -> bool:
        """Whether the mention was posted while the brand is open (always, without hours)."""
        week = self.week
        return True if week is None else is_open(self.local_time, week)


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
