"""Which proofreading rules writers override, and why: the report playbook editors review.

Every reply sent over blocking findings keeps its findings (with their rule ids) and the
reason typed (Reply.proofreading / proofreading_override); so does every library reply
approved over them (CannedReplyVersion, same two fields). A rule overridden often is either
wrong for this brand's replies (a word for the brand dictionary, a rule to demote) or a habit
to correct; the report lists rule → overrides, with the most recent reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.models import CannedReplyVersion, Reply


@dataclass
class OverriddenRule:
    """One rule: how many sent replies overrode it, and the latest reasons."""

    rule: str
    count: int = 0
    brand_ids: set[int] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)  # the overridden words, latest first
    reasons: list[tuple[datetime, str, int]] = field(default_factory=list)  # when, why, reply


def report(
    *, session: Session, brand_ids: Sequence[int], limit: int = 1000, recent: int = 5
) -> list[OverriddenRule]:
    """Rules overridden on these brands' latest `limit` overridden replies, most often first."""
    if not brand_ids:
        return []
    replies = session.exec(
        select(Reply)
        .where(
            col(Reply.brand_id).in_(list(brand_ids)), col(Reply.proofreading_override).is_not(None)
        )
        .order_by(col(Reply.created_at).desc(), col(Reply.id).desc())
        .limit(limit)
    ).all()
    approvals = session.exec(
        select(CannedReplyVersion)
        .where(
            col(CannedReplyVersion.brand_id).in_(list(brand_ids)),
            col(CannedReplyVersion.proofreading_override).is_not(None),
        )
        .order_by(col(CannedReplyVersion.created_at).desc(), col(CannedReplyVersion.id).desc())
        .limit(limit)
    ).all()
    overrides = [
        _Override(r.created_at, r.brand_id, r.text, r.proofreading, r.proofreading_override, r.id)
        for r in replies
    ] + [
        _Override(v.created_at, v.brand_id, v.body, v.proofreading, v.proofreading_override, v.id)
        for v in approvals
    ]
    overrides.sort(key=lambda o: o.created_at, reverse=True)
    rules: dict[str, OverriddenRule] = {}
    for item in overrides[:limit]:
        reason = (item.reason or "").strip()
        findings = [f for f in item.findings or [] if isinstance(f, dict)]
        # Rows stored before findings had a severity: every finding was blocking then.
        blocking = [f for f in findings if f.get("blocking", True)]
        seen: set[str] = set()
        for finding in blocking or [{"rule": "unproofread"}]:
            name = str(finding.get("rule") or "unknown")
            if name in seen:
                continue
            seen.add(name)
            entry = rules.setdefault(name, OverriddenRule(name))
            entry.count += 1
            entry.brand_ids.add(item.brand_id)
            start, end = finding.get("start"), finding.get("end")
            if isinstance(start, int) and isinstance(end, int) and len(entry.examples) < recent:
                word = item.text[start:end]
                if word and word not in entry.examples:
                    entry.examples.append(word)
            if len(entry.reasons) < recent and reason:
                entry.reasons.append((item.created_at, reason, item.id or 0))
    return sorted(rules.values(), key=lambda r: (-r.count, r.rule))


@dataclass(frozen=True)
class _Override:
    """A sent reply or an approved library version, published over findings."""

    created_at: datetime
    brand_id: int
    text: str
    findings: list[dict[str, Any]] | None
    reason: str | None
    id: int | None
