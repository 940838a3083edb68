"""Backtesting a playbook draft: replay the brand's stored mentions and compare with their triage.

The baseline of each mention is its latest triage: a reviewer's override when there is one (the
ground truth), else the engine's decision at the time. The draft runs with each mention's own
posting time as "now", so due times and business hours read as they did then.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

import playbooks
from app.models import SEVERITIES, Author, Brand, Mention, Person, Triage, utcnow
from app.services import brands
from app.services.rule_stats import RuleCounter, RuleStats

MAX_MENTIONS = 5000
MAX_DAYS = 90
# More changed rows than this are counted but not listed: the table is for reading, not export.
MAX_LISTED_CHANGES = 500
_IN_CHUNK = 900  # SQLite accepts 999 bound parameters per statement in old builds


@dataclass(frozen=True)
class ChangedMention:
    """One mention whose severity or action the draft would change."""

    mention_id: int
    case_id: int | None
    text: str
    channel: str
    posted_at: datetime
    before_severity: str
    after_severity: str
    before_action: str
    after_action: str
    baseline_source: str  # "engine" or "override"
    override_reason: str | None
    after_scenarios: list[str]


@dataclass
class BacktestResult:
    """What the draft would have decided on the brand's recent history, against the baseline."""

    days: int
    limit: int
    total: int = 0
    truncated: bool = False
    untriaged: int = 0
    failures: int = 0
    before: Counter[str] = field(default_factory=Counter)
    after: Counter[str] = field(default_factory=Counter)
    changed_count: int = 0
    severity_changed: int = 0
    action_changed: int = 0
    changes: list[ChangedMention] = field(default_factory=list)
    overrides: int = 0
    draft_agrees: int = 0
    baseline_engine_agrees: int = 0
    elapsed_ms: float = 0.0
    rules: list[RuleStats] = field(default_factory=list)  # per scenario, against corrections
    actions: Counter[str] = field(default_factory=Counter)  # the draft's action per mention
    to_brand: int = 0  # mentions the draft would put before the brand (its approval, escalations)

    @property
    def severities(self) -> tuple[str, ...]:
        """Severity levels in display order."""
        return SEVERITIES

    @property
    def draft_agreement(self) -> float | None:
        """Share of overridden mentions where the draft picks the reviewer's severity."""
        return self.draft_agrees / self.overrides if self.overrides else None

    @property
    def engine_agreement(self) -> float | None:
        """Share of overridden mentions where the engine's original severity was already right."""
        return self.baseline_engine_agrees / self.overrides if self.overrides else None


def _latest_triages(
    session: Session, mention_ids: list[int]
) -> tuple[dict[int, Triage], dict[int, Triage]]:
    """The latest engine triage and the latest override of each mention."""
    engine: dict[int, Triage] = {}
    override: dict[int, Triage] = {}
    for start in range(0, len(mention_ids), _IN_CHUNK):
        chunk = mention_ids[start : start + _IN_CHUNK]
        rows = session.exec(
            select(Triage)
            .where(col(Triage.mention_id).in_(chunk))
            .order_by(col(Triage.created_at), col(Triage.id))
        )
        for row in rows:  # ascending: later rows win
            (override if row.source == "override" else engine)[row.mention_id] = row
    return engine, override


def _mentions(
    session: Session, brand_id: int, since: datetime, limit: int
) -> list[tuple[Mention, Author, Person | None]]:
    stmt: Any = (
        select(Mention, Author, Person)
        .join(Author, col(Author.id) == col(Mention.author_id))
        .join(Person, col(Person.id) == col(Author.person_id), isouter=True)
        .where(Mention.brand_id == brand_id, col(Mention.posted_at) >= since)
        .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
        .limit(limit + 1)
    )
    return list(session.exec(stmt).all())


def run_backtest(
    *,
    session: Session,
    brand: Brand,
    engine: playbooks.Playbook,
    days: int = 30,
    limit: int = MAX_MENTIONS,
    now: datetime | None = None,
) -> BacktestResult:
    """Run a compiled draft over the brand's mentions of the last `days` days (newest first)."""
    started = time.perf_counter()
    days = max(1, min(int(days), MAX_DAYS))
    limit = max(1, min(int(limit), MAX_MENTIONS))
    now = now or utcnow()
    result = BacktestResult(days=days, limit=limit)
    rows = _mentions(session, brand.id, now - timedelta(days=days), limit)  # type: ignore[arg-type]
    if len(rows) > limit:
        result.truncated = True
        rows = rows[:limit]
    engine_rows, override_rows = _latest_triages(session, [m.id for m, _, _ in rows])  # type: ignore[misc]
    context = brands.playbook_context(brand)
    counter = RuleCounter(engine.spec.scenarios)
    for mention, author, person in rows:
        item = playbooks.MentionInput(
            text=mention.text,
            lang=mention.lang,
            channel=mention.channel,
            author=playbooks.AuthorProfile(
                tier=person.tier if person else None,
                vip=bool(person and person.vip),
                followers=author.followers or 0,
                verified=author.verified,
            ),
            posted_at=mention.posted_at,
            rating=mention.rating,
        )
        try:
            decision = engine.decide(item, context, now=mention.posted_at)
        except Exception:  # one odd mention must not sink the whole backtest
            result.failures += 1
            continue
        result.total += 1
        result.after[decision.severity] += 1
        result.actions[decision.action] += 1
        result.to_brand += decision.approver == "brand"
        machine = engine_rows.get(mention.id)  # type: ignore[arg-type]
        truth = override_rows.get(mention.id)  # type: ignore[arg-type]
        baseline = truth or machine
        if baseline is None:
            result.untriaged += 1
        else:
            result.before[baseline.severity] += 1
        counter.add(mention.text, decision.scenarios, truth.scenarios if truth else None)
        if truth is not None:
            result.overrides += 1
            result.draft_agrees += decision.severity == truth.severity
            result.baseline_engine_agrees += bool(machine and machine.severity == truth.severity)
        if baseline is None:
            continue  # nothing to compare with: counted apart, not listed as a change
        severity_changed = baseline.severity != decision.severity
        action_changed = baseline.action != decision.action
        if not (severity_changed or action_changed):
            continue
        result.severity_changed += severity_changed
        result.action_changed += action_changed
        result.changed_count += 1
        if len(result.changes) < MAX_LISTED_CHANGES:
            result.changes.append(
                ChangedMention(
                    mention_id=mention.id,  # type: ignore[arg-type]
                    case_id=mention.case_id,
                    text=mention.text,
                    channel=mention.channel,
                    posted_at=mention.posted_at,
                    before_severity=baseline.severity,
                    after_severity=decision.severity,
                    before_action=baseline.action,
                    after_action=decision.action,
                    baseline_source=baseline.source,
                    override_reason=truth.reason if truth else None,
                    after_scenarios=list(decision.scenarios),
                )
            )
    result.rules = counter.table()
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result
