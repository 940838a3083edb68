"""Proposed playbook edits from a brand's corrections (issue 18, parts 1 and 3).

Corrections are grouped by cause (app/services/proposal_terms.py); each sizeable group gives
at most one concrete edit of the brand's live playbook — a term into the lexicon of a missed
scenario, an exception to a false alarm, a split when reviewers move one kind of mention to
another severity — and every `model` bound gets a calibrated threshold when another one agrees
better with the corrections (part 3). Each proposal carries the corrections it fixes, the other
mentions it changes, and the backtest of the edited YAML. Nothing here publishes: accepting one
stores a new draft version (app/services/proposal_jobs.accept).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

import playbooks
from app.models import Brand, Playbook
from app.services import brands, proposal_edits
from app.services.backtest import BacktestResult, run_backtest
from app.services.content import _compile_for
from app.services.proposal_data import Reviewed, history_terms, load_corrections
from app.services.proposal_terms import Group, group_corrections, over_represented, terms_of

MIN_GROUP = 3  # corrections sharing a cause before it is worth an edit
# Each proposal compiles its playbook (seconds for a big one) and replays it: a few, the best.
MAX_PROPOSALS = 5
BACKTEST_DAYS = 30
BACKTEST_LIMIT = 1500
EXAMPLES = 5
MIN_CALIBRATION = 5  # corrections about a model scenario before its threshold is calibrated

Progress = Callable[[int, str], None]


@dataclass
class Draft:
    """An edit before its figures: what it does and which corrections it answers."""

    kind: str  # add_term | add_exception | split | threshold
    scenario: str
    source: str
    group: list[Reviewed]
    term: str | None = None
    lexicon: str | None = None
    severity: str | None = None
    label: str | None = None
    old_threshold: float | None = None
    new_threshold: float | None = None
    agreement_before: float | None = None
    agreement_after: float | None = None

    def reached(self, decision: Any) -> bool:
        """Does a decision give the reviewers what they asked for?"""
        if self.kind == "add_term":
            return self.scenario in decision.scenarios
        if self.kind == "add_exception":
            return self.scenario not in decision.scenarios
        return bool(decision.severity == self.severity)


def base_playbook(session: Session, brand_id: int) -> Playbook | None:
    """The version proposals edit: the published normal playbook, else the latest version."""
    rows = session.exec(
        select(Playbook)
        .where(Playbook.brand_id == brand_id, Playbook.kind == "normal")
        .order_by(col(Playbook.number).desc())
    ).all()
    return next((r for r in rows if r.status == "published"), rows[0] if rows else None)


def _term_drafts(
    source: str, groups: list[Group], by_id: dict[int, Reviewed], counts: Any, rest: int
) -> list[Draft]:
    data, _ = proposal_edits._parse(source)
    scenarios = {s.get("id"): s for s in data.get("scenarios") or [] if isinstance(s, dict)}
    inline = set((data.get("lexicons") or {}).keys())
    drafts: list[Draft] = []
    for group in groups:
        if len(group.corrections) < MIN_GROUP or group.scenario not in scenarios:
            continue
        members = [by_id[c.mention_id] for c in group.corrections]
        best = over_represented([terms_of(c.text) for c in group.corrections], counts, rest)
        if not best:
            continue
        term, sid = best[0].term, group.scenario
        if group.kind == "missed":
            lexicons = [
                n for n in proposal_edits.lexicons_of(scenarios[sid].get("when")) if n in inline
            ]
            edited = None
            if lexicons:
                edited = proposal_edits.add_term_to_lexicon(source, lexicons[0], term)
            if edited is None:
                lexicons, edited = [], proposal_edits.add_trigger(source, sid, term)
            if edited:
                drafts.append(
                    Draft(
                        "add_term",
                        sid,
                        edited,
                        members,
                        term=term,
                        lexicon=lexicons[0] if lexicons else None,
                    )
                )
        elif group.kind == "false_alarm":
            edited = proposal_edits.add_exception(source, sid, term)
            if edited:
                drafts.append(
                    Draft(
                        "add_exception",
                        sid,
                        edited,
                        members,
                        term=term,
                    )
                )
        elif group.kind == "severity" and group.severity:
            edited = proposal_edits.split_scenario(source, sid, term, group.severity)
            if edited:
                drafts.append(
                    Draft(
                        "split",
                        sid,
                        edited,
                        members,
                        term=term,
                        severity=group.severity,
                    )
                )
    return drafts


def _calibration_drafts(source: str, reviewed: list[Reviewed]) -> list[Draft]:
    """Part 3: per `model` bound, the threshold that best agrees with the corrections."""
    data, _ = proposal_edits._parse(source)
    bounds = proposal_edits.model_bounds(data)
    if not bounds or not reviewed:
        return []
    try:
        from playbooks.normalize import normalize
        from playbooks.scorer import get_scorer

        scorer = get_scorer()
        probs = [scorer.score(normalize(r.correction.text).text).probs for r in reviewed]
    except Exception:  # weights missing: no calibration, the rest still works
        return []
    drafts: list[Draft] = []
    for sid, label, current, path in bounds:
        about = [
            (p.get(label, 0.0), sid in r.correction.scenarios, r)
            for p, r in zip(probs, reviewed, strict=True)
            if sid in r.correction.scenarios or sid in r.correction.engine_scenarios
        ]
        if len(about) < MIN_CALIBRATION:
            continue

        def agree(t: float, about: list[Any] = about) -> int:
            return sum((score >= t) == truth for score, truth, _ in about)

        grid = [round(0.30 + 0.01 * i, 2) for i in range(70)]
        now = agree(current)
        best = max(grid, key=lambda t: (agree(t), -abs(t - current)))
        if agree(best) <= now or abs(best - current) < 0.02:
            continue
        edited = proposal_edits.set_model_threshold(source, path, best)
        if edited is None:
            continue
        members = [r for _, _, r in about]
        drafts.append(
            Draft(
                "threshold",
                sid,
                edited,
                members,
                label=label,
                old_threshold=current,
                new_threshold=best,
                agreement_before=now / len(about),
                agreement_after=agree(best) / len(about),
            )
        )
    return drafts


def _changed(base: BacktestResult, edited: BacktestResult) -> list[Any]:
    """Mentions whose decision differs between the base and the edited playbook."""
    before = {c.mention_id: c for c in base.changes}
    after = {c.mention_id: c for c in edited.changes}
    out = []
    for mid in before.keys() | after.keys():
        b, a = before.get(mid), after.get(mid)
        if (
            b is None
            or a is None
            or (b.after_severity, b.after_action) != (a.after_severity, a.after_action)
        ):
            out.append(a or b)
    return out


def _figures(result: BacktestResult) -> dict[str, Any]:
    return {
        "mentions": result.total,
        "overrides": result.overrides,
        "agreement": None if result.draft_agreement is None else round(result.draft_agreement, 4),
        "changed": result.changed_count,
        "elapsed_ms": round(result.elapsed_ms),
    }


def compute(
    session: Session, brand: Brand, progress: Progress | None = None
) -> tuple[int | None, list[dict[str, Any]]]:
    """The brand's proposals with their figures, best first, and the version they edit."""
    say = progress or (lambda pct, step: None)
    base = base_playbook(session, brand.id)  # type: ignore[arg-type]
    if base is None:
        return None, []
    say(5, "corrections")
    reviewed = load_corrections(session, brand.id)  # type: ignore[arg-type]
    by_id = {r.correction.mention_id: r for r in reviewed}
    groups = [
        g
        for g in group_corrections(r.correction for r in reviewed)
        if len(g.corrections) >= MIN_GROUP
    ]
    wanted: set[str] = set()
    for g in groups:
        for c in g.corrections:
            wanted |= terms_of(c.text)
    say(15, "history")
    counts, rest = history_terms(
        session,
        brand.id or 0,
        set(by_id),
        wanted,
        progress=lambda seen, total: say(15 + int(35 * seen / max(total, 1)), "history"),
    )
    say(50, "edits")
    calibrations = _calibration_drafts(base.source, reviewed)[:2]
    drafts = _term_drafts(base.source, groups, by_id, counts, rest)
    drafts = drafts[: MAX_PROPOSALS - len(calibrations)] + calibrations
    context = brands.playbook_context(brand)
    base_engine = _compile_for(session, brand.id, base.source)  # type: ignore[arg-type]
    base_run = run_backtest(
        session=session, brand=brand, engine=base_engine, days=BACKTEST_DAYS, limit=BACKTEST_LIMIT
    )
    out: list[dict[str, Any]] = []
    for n, draft in enumerate(drafts):
        say(55 + int(45 * n / max(len(drafts), 1)), "backtest")
        try:
            engine = _compile_for(session, brand.id, draft.source)  # type: ignore[arg-type]
        except playbooks.PlaybookError:
            continue  # an edit that does not load is never offered
        fixed = 0
        for r in draft.group:
            try:
                before = base_engine.decide(r.item, context, now=r.item.posted_at)
                after = engine.decide(r.item, context, now=r.item.posted_at)
            except Exception:
                continue
            if draft.kind == "threshold":
                wanted_in = draft.scenario in r.correction.scenarios
                fixed += ((draft.scenario in after.scenarios) == wanted_in) and (
                    (draft.scenario in before.scenarios) != wanted_in
                )
            else:
                fixed += draft.reached(after) and not draft.reached(before)
        result = run_backtest(
            session=session, brand=brand, engine=engine, days=BACKTEST_DAYS, limit=BACKTEST_LIMIT
        )
        changed = _changed(base_run, result)
        corrections = [r.correction for r in draft.group]
        out.append(
            {
                "id": hashlib.sha1(draft.source.encode()).hexdigest()[:12],
                "kind": draft.kind,
                "scenario": draft.scenario,
                "term": draft.term,
                "lexicon": draft.lexicon,
                "severity": draft.severity,
                "label": draft.label,
                "old_threshold": draft.old_threshold,
                "new_threshold": draft.new_threshold,
                "calibration": None
                if draft.agreement_before is None
                else {
                    "before": round(draft.agreement_before, 4),
                    "after": round(draft.agreement_after or 0, 4),
                },
                "corrections": len(corrections),
                "fixes": fixed,
                "examples": [
                    {"mention_id": c.mention_id, "text": c.text[:200], "reason": c.reason}
                    for c in corrections[:EXAMPLES]
                ],
                "other_changes": len(changed),
                "other_examples": [
                    {"mention_id": c.mention_id, "text": c.text[:200], "severity": c.after_severity}
                    for c in changed[:EXAMPLES]
                ],
                "backtest": {"before": _figures(base_run), "after": _figures(result)},
                "source": draft.source,
            }
        )
    out.sort(key=lambda p: (-p["fixes"], p["other_changes"], p["kind"], p["scenario"]))
    say(100, "done")
    return base.id, out
