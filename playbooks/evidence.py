"""The evidence of a decision: the rules that fired and the words they saw, in evaluation order.

Built once per decision that is read, straight in the form the triage row stores
(`Decision.to_dict()`'s "evidence": one dict per line, spans in the original text; issue 11 §3:
ingest stores every one). So it does each thing once: the findings of every matched scenario
and of the delegation rule are gathered first, then every word they located is mapped back to
the original text in one pass over the normalisation's shifts (`NormalizedText.original_spans`,
sharing `Facts.span_cache` with the scopes), then the rows are written; a scenario line and its
only detail share the same term and span lists, and the priority's parts come from the score
`decide` computed. `Evidence` objects are made from these rows only when someone asks for them
(`Decision.evidence`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from .compiled import CompiledRule, CompiledScenario
from .conditions import Finding
from .facts import Facts
from .model import Evidence
from .sla import answer_target


class Explained(Protocol):
    """What the evidence reads of the compiled playbook (``engine.Playbook``)."""

    @property
    def _sla(self) -> Mapping[str, int]: ...

    def _priority(self, severity: str, facts: Facts, explain: list[str] | None = None) -> int: ...


Span = tuple[int, int]
Row = dict[str, Any]


def _map_all(groups: list[list[Finding]], facts: Facts) -> dict[Span, Span]:
    """Original offsets of every normalised span these findings hold, mapped in one pass."""
    cache = facts.span_cache
    todo: set[Span] = set()
    for findings in groups:
        for f in findings:
            if f.spans and f.kind != "raw_pattern":
                todo.update(f.spans)
    todo.difference_update(cache)
    if todo:
        keys = sorted(todo)
        cache.update(zip(keys, facts.nt.original_spans(keys), strict=True))
    return cache


def _spans(findings: list[Finding], mapped: dict[Span, Span]) -> list[list[int]]:
    """Sorted, distinct original spans of these findings (raw patterns' already are)."""
    if len(findings) == 1 and len(findings[0].spans) == 1:  # one word: the usual case
        f = findings[0]
        a, b = f.spans[0] if f.kind == "raw_pattern" else mapped[f.spans[0]]
        return [[a, b]]
    raw: list[Span] = []
    normalised: list[Span] = []
    for f in findings:
        if f.spans:
            (raw if f.kind == "raw_pattern" else normalised).extend(f.spans)
    if not normalised:
        return [[a, b] for a, b in sorted(set(raw))] if raw else []
    given = set(raw)
    out: set[Span] = set(given)
    for key in normalised:
        # the same offsets as a raw pattern's: taken as already original
        out.add(key if key in given else mapped[key])
    return [[a, b] for a, b in sorted(out)]


def _terms(findings: list[Finding]) -> list[str]:
    if len(findings) == 1:
        terms = findings[0].terms
        return list(terms) if len(terms) < 2 else list(dict.fromkeys(terms))
    return list(dict.fromkeys(t for f in findings for t in f.terms))


def _row(rule: str, kind: str, explanation: str, terms: list[str], spans: list[Any]) -> Row:
    return {"rule": rule, "kind": kind, "explanation": explanation, "terms": terms, "spans": spans}


def _scenario_rows(
    sc: CompiledScenario, findings: list[Finding], mapped: dict[Span, Span]
) -> list[Row]:
    """A matched scenario's line, then one line per finding of its condition."""
    rule = sc.evidence_rule
    label = sc.evidence_heading
    if len(findings) == 1:  # the usual case: the scenario line and its detail see the same
        f = findings[0]
        if len(f.spans) == 1 and len(f.terms) == 1:  # one word, written inline (hot path)
            a, b = f.spans[0] if f.kind == "raw_pattern" else mapped[f.spans[0]]
            terms: list[str] = [f.terms[0]]
            spans: list[Any] = [[a, b]]
        else:
            terms, spans = _terms(findings), _spans(findings, mapped)
        return [
            {
                "rule": rule,
                "kind": "scenario",
                "explanation": label,
                "terms": terms,
                "spans": spans,
            },
            {
                "rule": rule,
                "kind": f.kind,
                "explanation": f.explanation,
                "terms": terms,
                "spans": spans,
            },
        ]
    out = [_row(rule, "scenario", label, _terms(findings), _spans(findings, mapped))]
    out.extend(
        _row(rule, f.kind, f.explanation, _terms([f]), _spans([f], mapped)) for f in findings
    )
    return out


def explain(
    playbook: Explained,
    facts: Facts,
    matched: list[CompiledScenario],
    primary: CompiledScenario | None,
    severity: str,
    default_action: str,
    rule: CompiledRule | None,
    guarded_from: str | None,
    due_at: datetime | None,
    needs_answer: bool,
) -> list[Row]:
    """The evidence of a decision, in evaluation order, as the triage row stores it."""
    scenario_findings: list[list[Finding]] = []
    for sc in matched:
        assert sc.when is not None
        scenario_findings.append(list(sc.when.findings(facts)))
    rule_findings = (
        list(rule.when.findings(facts)) if rule is not None and rule.when is not None else None
    )
    groups = scenario_findings if rule_findings is None else [*scenario_findings, rule_findings]
    mapped = _map_all(groups, facts)

    rows: list[Row] = []
    for sc, findings in zip(matched, scenario_findings, strict=True):
        rows.extend(_scenario_rows(sc, findings, mapped))
    if primary is not None and (primary.action or primary.approver):
        origin = f"Action du scénario « {primary.label} »"
    else:
        origin = f"Action par défaut pour {severity}"
    rows.append(_row(f"severity:{severity}", "severity", f"{origin} : {default_action}", [], []))
    if rule is not None and rule_findings is not None:
        seen = "; ".join(f.explanation for f in rule_findings)
        note = f" — {rule.note}" if rule.note else ""
        rows.append(
            _row(
                f"delegation:{rule.id}",
                "delegation",
                f"Règle de délégation « {rule.id} » ({seen}) : {rule.action}{note}",
                _terms(rule_findings),
                _spans(rule_findings, mapped),
            )
        )
    if guarded_from is not None:
        rows.append(
            _row(
                "guard:s4",
                "guard",
                "Garde-fou : une mention S4 est toujours escaladée en urgence"
                f" (au lieu de {guarded_from})",
                [],
                [],
            )
        )
    if due_at is not None:
        target = answer_target(severity, playbook._sla, facts.context)
        rows.append(
            _row(
                "sla",
                "sla",
                f"Réponse attendue avant {due_at.isoformat()} ({severity} : "
                f"{target.minutes} min, {target.source_label})",
                [],
                [],
            )
        )
    if needs_answer:
        parts: list[str] = []
        score = playbook._priority(severity, facts, parts)
        rows.append(_row("priority", "priority", f"Priorité {score} = {' + '.join(parts)}", [], []))
    else:
        rows.append(_row("priority", "priority", "Priorité 0 = sans réponse", [], []))
    return rows


def decision_rows(
    correction: Evidence | None,
    playbook: Explained,
    facts: Facts,
    matched: list[CompiledScenario],
    *explained: Any,
) -> list[Row]:
    """A decision's evidence rows (`explain`); a reviewer's correction first, alone. The
    engine binds it with `partial`: rows are built only when read."""
    if correction is None:
        return explain(playbook, facts, matched, *explained)
    return [correction.to_dict(), *explain(playbook, facts, [], *explained)]
