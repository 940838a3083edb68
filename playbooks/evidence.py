"""The evidence of a decision: the rules that fired and the words they saw, in evaluation order.

Built once per decision that is read (triage stores every one: issue 11 §3), so it does each
thing once: a condition's findings are listed once per scenario, each located word is mapped
back to the original text once per mention (`Facts.span_mapper`), a scenario line and its only
detail share the same spans, and the priority's parts come from the score `decide` computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

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


def _spans(findings: list[Finding], facts: Facts) -> tuple[Span, ...]:
    """Sorted, distinct original spans of these findings (raw patterns' already are)."""
    if len(findings) == 1 and len(findings[0].spans) == 1:  # one word: the usual case
        f = findings[0]
        key = f.spans[0]
        if f.kind == "raw_pattern":
            return (key,)
        mapped = facts.span_cache.get(key)
        if mapped is None:
            mapped = facts.span_cache[key] = facts.nt.original_span(*key)
        return (mapped,)
    raw: list[Span] = []
    normalised: list[Span] = []
    for f in findings:
        if f.spans:
            (raw if f.kind == "raw_pattern" else normalised).extend(f.spans)
    if not normalised:
        return tuple(sorted(set(raw))) if raw else ()
    cache = facts.span_cache
    original = facts.nt.original_span
    given = set(raw)
    out: set[Span] = set(given)
    for key in normalised:
        if key in given:
            continue  # the same offsets as a raw pattern's: taken as already original
        mapped = cache.get(key)
        if mapped is None:
            mapped = cache[key] = original(*key)
        out.add(mapped)
    return tuple(sorted(out))


def _terms(findings: list[Finding]) -> tuple[str, ...]:
    if len(findings) == 1:
        terms = findings[0].terms
        return terms if len(terms) < 2 else tuple(dict.fromkeys(terms))
    return tuple(dict.fromkeys(t for f in findings for t in f.terms))


def scenario_evidence(sc: CompiledScenario, facts: Facts) -> list[Evidence]:
    """A matched scenario's line, then one line per finding of its condition."""
    assert sc.when is not None
    rule = sc.evidence_rule
    findings = list(sc.when.findings(facts))
    label = sc.evidence_heading
    if len(findings) == 1:  # the usual case: the scenario line and its detail see the same
        f = findings[0]
        terms, spans = _terms(findings), _spans(findings, facts)
        return [
            Evidence(rule, "scenario", label, terms, spans),
            Evidence(rule, f.kind, f.explanation, terms, spans),
        ]
    out = [Evidence(rule, "scenario", label, _terms(findings), _spans(findings, facts))]
    out.extend(
        Evidence(rule, f.kind, f.explanation, _terms([f]), _spans([f], facts)) for f in findings
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
) -> list[Evidence]:
    """The evidence of a decision, in evaluation order (built only when read)."""
    evidence: list[Evidence] = []
    for sc in matched:
        evidence.extend(scenario_evidence(sc, facts))
    if primary is not None and (primary.action or primary.approver):
        origin = f"Action du scénario « {primary.label} »"
    else:
        origin = f"Action par défaut pour {severity}"
    evidence.append(Evidence(f"severity:{severity}", "severity", f"{origin} : {default_action}"))
    if rule is not None and rule.when is not None:
        findings = list(rule.when.findings(facts))
        seen = "; ".join(f.explanation for f in findings)
        note = f" — {rule.note}" if rule.note else ""
        evidence.append(
            Evidence(
                f"delegation:{rule.id}",
                "delegation",
                f"Règle de délégation « {rule.id} » ({seen}) : {rule.action}{note}",
                _terms(findings),
                _spans(findings, facts),
            )
        )
    if guarded_from is not None:
        evidence.append(
            Evidence(
                "guard:s4",
                "guard",
                "Garde-fou : une mention S4 est toujours escaladée en urgence"
                f" (au lieu de {guarded_from})",
            )
        )
    if due_at is not None:
        target = answer_target(severity, playbook._sla, facts.context)
        evidence.append(
            Evidence(
                "sla",
                "sla",
                f"Réponse attendue avant {due_at.isoformat()} ({severity} : "
                f"{target.minutes} min, {target.source_label})",
            )
        )
    if needs_answer:
        parts: list[str] = []
        score = playbook._priority(severity, facts, parts)
        evidence.append(Evidence("priority", "priority", f"Priorité {score} = {' + '.join(parts)}"))
    else:
        evidence.append(Evidence("priority", "priority", "Priorité 0 = sans réponse"))
    return evidence
