"""Which proofreading rules writers override, and why: the report playbook editors review.

Every reply sent over blocking findings keeps its findings (with their rule ids) and the
reason typed (Reply.proofreading / proofreading_override). A rule overridden often is either
wrong for this brand's replies (a word for the brand dictionary, a rule to demote) or a habit
to correct; the report lists rule → overrides, with the most recent reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import Reply


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
    rows = session.exec(
        select(Reply)
        .where(
            col(Reply.brand_id).in_(list(brand_ids)), col(Reply.proofreading_override).is_not(None)
        )
        .order_by(col(Reply.created_at).desc(), col(Reply.id).desc())
        .limit(limit)
    ).all()
    rules: dict[str, OverriddenRule] = {}
    for reply in rows:
        reason = (reply.proofreading_override or "").strip()
        findings = [f for f in reply.proofreading or [] if isinstance(f, dict)]
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
            entry.brand_ids.add(reply.brand_id)
            start, end = finding.get("start"), finding.get("end")
            if isinstance(start, int) and isinstance(end, int) and len(entry.examples) < recent:
                word = reply.text[start:end]
                if word and word not in entry.examples:
                    entry.examples.append(word)
            if len(entry.reasons) < recent and reason:
                entry.reasons.append((reply.created_at, reason, reply.id or 0))
    return sorted(rules.values(), key=lambda r: (-r.count, r.rule))
