"""Conditions on what surrounds a mention: the message it answers, the author's history.

"oui" or "tu vas voir" are harmless alone and a threat when they answer one; an author who
was hostile three times this week is not a first-time complainer. The caller gives the
parent (`MentionInput.parent`) and the history (`MentionInput.history`); without them these
conditions simply do not hold.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ..model import SEVERITIES, severity_rank
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register
from .text import Lexicon

if TYPE_CHECKING:
    from ..facts import Facts

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
_SEVERITY_BOUND_RE = re.compile(r"\s*(>=|<=|>|<|=)?\s*(S[0-4])\s*")
_COUNT_BOUND_RE = re.compile(r"\s*(>=|<=|>|<|=)?\s*(\d{1,4})\s*")
MAX_HISTORY_DAYS = 90


def _bound(value: str | int, regex: re.Pattern[str], default_op: str) -> tuple[str, str] | None:
    m = regex.fullmatch(str(value))
    return (m.group(1) or default_op, m.group(2)) if m else None


class ContextSpec(BaseModel):
    """Value of `context`: every given key must hold."""

    model_config = ConfigDict(extra="forbid")
    reply: bool | None = None
    parent_severity: str | None = None
    parent_category: str | list[str] | None = None
    parent_from_brand: bool | None = None
    parent_lexicon: str | list[str] | None = None


@register
class ThreadContext(Condition):
    """The message this mention answers: its severity (`">= S3"`), category, whether it is
    the brand's own, whether a lexicon matches it; `reply: true` = it answers a known message."""

    kind = "context"
    value_type = ContextSpec

    def __init__(self, value: ContextSpec, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        if all(getattr(value, k) is None for k in ContextSpec.model_fields):
            ctx.error(
                path,
                "'context': expected reply, parent_severity, parent_category,"
                " parent_from_brand and/or parent_lexicon",
            )
        self.severity: tuple[Callable[[Any, Any], bool], int, str] | None = None
        if value.parent_severity is not None:
            bound = _bound(value.parent_severity, _SEVERITY_BOUND_RE, "=")
            if bound is None:
                ctx.error(
                    (*path, "parent_severity"),
                    "'context': expected a severity bound such as '>= S3' or 'S4'",
                )
            else:
                op, sev = bound
                self.severity = (_OPS[op], severity_rank(sev), f"{op} {sev}")
        cats = value.parent_category
        self.categories = frozenset([cats] if isinstance(cats, str) else cats or ())
        self.lexicon = (
            Lexicon(value.parent_lexicon, (*path, "parent_lexicon"), ctx)
            if value.parent_lexicon is not None
            else None
        )
        self.cost = 3 if self.lexicon is not None else 1

    def test(self, facts: Facts) -> bool:
        parent = facts.mention.parent
        v = self.value
        if parent is None:
            return (
                v.reply is False
                and self.severity is None
                and self.lexicon is None
                and (not self.categories and v.parent_from_brand is None)
            )
        if v.reply is False:
            return False
        if v.parent_from_brand is not None and parent.from_brand is not v.parent_from_brand:
            return False
        if self.severity is not None:
            op, rank, _ = self.severity
            if parent.severity not in SEVERITIES or not op(severity_rank(parent.severity), rank):
                return False
        if self.categories and self.categories.isdisjoint(parent.categories):
            return False
        if self.lexicon is not None:
            groups = facts.parent_groups()
            if self.lexicon.term_groups().isdisjoint(groups):  # type: ignore[union-attr]
                return False
        return True

    def findings(self, facts: Facts) -> Iterator[Finding]:
        parent = facts.mention.parent
        if parent is None:
            yield Finding("context", "Pas une réponse (aucun message parent connu)")
            return
        who = (
            "de la marque"
            if parent.from_brand
            else (
                f"{parent.severity}"
                + (f" ({', '.join(parent.categories)})" if parent.categories else "")
                if parent.severity
                else "non triée"
            )
        )
        excerpt = parent.text if len(parent.text) <= 120 else parent.text[:119] + "…"
        extra = (
            f" ; lexique « {', '.join(self.lexicon.names)} » dans le message parent"
            if (self.lexicon is not None)
            else ""
        )
        yield Finding("context", f"En réponse à un message {who} : « {excerpt} »{extra}")


class HistorySpec(BaseModel):
    """Value of `author_history`."""

    model_config = ConfigDict(extra="forbid")
    count: str | Annotated[int, Field(ge=0)]
    days: Annotated[int, Field(ge=1, le=MAX_HISTORY_DAYS)] = 7
    min_severity: str = "S3"
    category: str | list[str] | None = None


@register
class AuthorHistory(Condition):
    """How many of the author's earlier mentions, within `days` before this one, were triaged
    at `min_severity` or above (and in `category`, when given): `{count: ">= 3", days: 7}`."""

    kind = "author_history"
    value_type = HistorySpec

    def __init__(self, value: HistorySpec, path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        bound = _bound(value.count, _COUNT_BOUND_RE, ">=")
        if bound is None:
            ctx.error((*path, "count"), "'author_history': expected a count such as '>= 3'")
            bound = (">=", "0")
        self.op, self.threshold = _OPS[bound[0]], int(bound[1])
        self.label = f"{bound[0]} {bound[1]}"
        if value.min_severity not in SEVERITIES:
            ctx.error((*path, "min_severity"), "'author_history': expected S0 to S4")
            value.min_severity = "S3"
        self.min_rank = severity_rank(value.min_severity)
        cats = value.category
        self.categories = frozenset([cats] if isinstance(cats, str) else cats or ())
        self.window = timedelta(days=value.days)

    def count(self, facts: Facts) -> int:
        history = facts.mention.history
        if not history:
            return 0
        until = facts.posted
        since = until - self.window
        n = 0
        for past in history:
            posted = past.posted_at
            if posted.tzinfo is None:
                posted = posted.replace(tzinfo=UTC)
            if not since <= posted <= until:
                continue
            if past.severity not in SEVERITIES or severity_rank(past.severity) < self.min_rank:
                continue
            if self.categories and self.categories.isdisjoint(past.categories):
                continue
            n += 1
        return n

    def test(self, facts: Facts) -> bool:
        return bool(self.op(self.count(facts), self.threshold))

    def findings(self, facts: Facts) -> Iterator[Finding]:
        v = self.value
        what = f" ({', '.join(sorted(self.categories))})" if self.categories else ""
        yield Finding(
            "history",
            f"Historique de l'auteur : {self.count(facts)} mention(s) {v.min_severity}+{what}"
            f" en {v.days} jours ({self.label})",
        )
