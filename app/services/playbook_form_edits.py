"""What the playbook forms change in the YAML (issue 18, part 6): pure text edits, no database.

A scenario's words are edited where they live: its `when: {keywords: [...]}` list, or the
inline `terms` of the lexicon its `when: {lexicon: name}` names; its exceptions are an
`unless: {keywords: [...]}` list. A scenario whose rule is richer (`any`, `near`, `model`...)
keeps it: the form edits its other fields and leaves the rule to the YAML editor. Every edit
goes through playbooks.yaml_edit, so only the blocks concerned change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.services.proposal_edits import lexicons_of
from playbooks import yaml_edit
from playbooks.model import SEVERITIES
from playbooks.schema import DEFAULT_POLICIES

MAX_TERM_CHARS = 200
MAX_TERMS = 2000
MAX_LABEL_CHARS = 200


class FormInputError(ValueError):
    """A field the form cannot use as typed; `field` names it, `code` says why."""

    def __init__(self, field_name: str, code: str) -> None:
        super().__init__(f"{field_name}: {code}")
        self.field = field_name
        self.code = code


@dataclass
class ScenarioFields:
    """A scenario as the form shows it."""

    index: int | None
    id: str = ""
    label: str = ""
    severity: str = "S1"
    categories: list[str] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    note: str = ""
    terms_mode: str = "keywords"  # keywords | lexicon | rule (left to the YAML editor)
    lexicon: str = ""
    terms: list[str] = field(default_factory=list)
    exceptions_editable: bool = True
    exceptions: list[str] = field(default_factory=list)
    rule_yaml: str = ""
    unless_yaml: str = ""


def _words(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _terms_place(data: dict[str, Any], index: int) -> tuple[str, str, yaml_edit.Path]:
    """(mode, lexicon name, path of the list) where scenario `index`'s words live."""
    when = data["scenarios"][index].get("when")
    if isinstance(when, dict) and set(when) == {"keywords"} and _words(when["keywords"]):
        return "keywords", "", ("scenarios", index, "when", "keywords")
    # A rule reading one lexicon (alone or within any/all/not...): its words are that lexicon's.
    names = lexicons_of(when)
    lexicon = _mapping(data.get("lexicons")).get(names[0]) if len(names) == 1 else None
    if isinstance(lexicon, dict) and _words(lexicon.get("terms", [])) is not None:
        return "lexicon", names[0], ("lexicons", names[0], "terms")
    return "rule", "", ()


def _plain(when: Any) -> bool:
    """Whether the rule is only keywords or one lexicon (the form shows no rule then)."""
    return isinstance(when, dict) and len(when) == 1 and set(when) <= {"keywords", "lexicon"}


def _dump_rule(value: Any) -> str:
    return "" if value is None else yaml_edit.dump({"rule": value}, "")[len("rule:") :].strip()


def scenario_fields(source: str, scenario_id: str) -> ScenarioFields | None:
    """The scenario's fields for the form, or None when the playbook has no such scenario."""
    data, _smap = yaml_edit.parse(source)
    index = yaml_edit.scenario_index(data, scenario_id)
    if index is None:
        return None
    s = data["scenarios"][index]
    mode, lexicon, path = _terms_place(data, index)
    unless = s.get("unless")
    exceptions = (
        []
        if unless is None
        else (
            _words(unless.get("keywords"))
            if isinstance(unless, dict) and set(unless) == {"keywords"}
            else None
        )
    )
    return ScenarioFields(
        index=index,
        id=scenario_id,
        label=str(s.get("label") or ""),
        severity=str(s.get("severity") or "S1"),
        categories=_words(s.get("categories")) or [],
        replies=_words(s.get("replies")) or [],
        note=str(s.get("note") or ""),
        terms_mode=mode,
        lexicon=lexicon,
        terms=list(yaml_edit.value_at(data, path)) if yaml_edit.has_path(data, path) else [],
        exceptions_editable=exceptions is not None,
        exceptions=exceptions or [],
        rule_yaml="" if _plain(s.get("when")) else _dump_rule(s.get("when")),
        unless_yaml=_dump_rule(unless) if exceptions is None else "",
    )


def clean_term(raw: str, field_name: str = "term") -> str:
    """A term as typed, trimmed; FormInputError when empty, too long or on several lines."""
    term = raw.strip()
    if not term:
        raise FormInputError(field_name, "empty")
    if len(term) > MAX_TERM_CHARS or "\n" in term or "\r" in term or "\x00" in term:
        raise FormInputError(field_name, "term")
    return term


def term_lines(raw: str, field_name: str) -> list[str]:
    """One term a line, blank lines skipped, duplicates kept once (in order)."""
    terms = [clean_term(line, field_name) for line in raw.splitlines() if line.strip()]
    if len(terms) > MAX_TERMS:
        raise FormInputError(field_name, "too_many")
    return list(dict.fromkeys(terms))


def word_list(raw: str, field_name: str) -> list[str]:
    """Identifiers separated by commas or spaces (categories, reply keys)."""
    words = [w for w in raw.replace(",", " ").split() if w]
    if len(words) > 50 or any(len(w) > 120 or "\x00" in w for w in words):
        raise FormInputError(field_name, "too_many")
    return list(dict.fromkeys(words))


def _set_or_drop(source: str, path: yaml_edit.Path, value: Any, old: Any) -> str:
    if value == old:
        return source
    if value in (None, "", []):
        return yaml_edit.delete_value(source, path)
    return yaml_edit.set_value(source, path, value)


def edit_scenario(
    source: str, old: ScenarioFields, new: ScenarioFields
) -> tuple[str, dict[str, Any]]:
    """The text with the scenario's changed fields written (one block each), and what changed.

    `old.index` None: a new scenario, appended to the list with its words as keywords."""
    changes: dict[str, Any] = {}
    if old.index is None:
        scenario: dict[str, Any] = {"id": new.id, "label": new.label}
        scenario["when"] = {"keywords": new.terms}
        if new.exceptions:
            scenario["unless"] = {"keywords": new.exceptions}
        scenario["severity"] = new.severity
        for key in ("categories", "replies"):
            if getattr(new, key):
                scenario[key] = getattr(new, key)
        if new.note:
            scenario["note"] = new.note
        return yaml_edit.append_item(source, ("scenarios",), scenario), {"added": scenario}
    at = ("scenarios", old.index)
    for key in ("label", "severity", "categories", "replies", "note"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            if key == "label" and not after:
                raise FormInputError("label", "empty")
            source = _set_or_drop(source, (*at, key), after, before)
            changes[key] = after
    if old.terms_mode != "rule" and new.terms != old.terms:
        data, _smap = yaml_edit.parse(source)
        _mode, _name, path = _terms_place(data, old.index)
        source = yaml_edit.set_value(source, path, new.terms)
        changes["terms"] = {
            "added": [t for t in new.terms if t not in old.terms],
            "removed": [t for t in old.terms if t not in new.terms],
        }
    if old.exceptions_editable and new.exceptions != old.exceptions:
        if new.exceptions:
            source = yaml_edit.set_value(source, (*at, "unless"), {"keywords": new.exceptions})
        else:
            source = yaml_edit.delete_value(source, (*at, "unless"))
        changes["exceptions"] = new.exceptions
    return source, changes


def edit_term(
    source: str, scenario_id: str, target: str, term: str, remove: bool
) -> tuple[str, dict[str, Any]]:
    """The text with one term added to (or removed from) the scenario's words or exceptions."""
    fields = scenario_fields(source, scenario_id)
    if fields is None or fields.index is None:
        raise FormInputError("scenario", "missing")
    if target == "exceptions":
        if not fields.exceptions_editable:
            raise FormInputError("term", "rule")
        current = fields.exceptions
        path: yaml_edit.Path = ("scenarios", fields.index, "unless", "keywords")
    else:
        if fields.terms_mode == "rule":
            raise FormInputError("term", "rule")
        data, _smap = yaml_edit.parse(source)
        current, path = fields.terms, _terms_place(data, fields.index)[2]
    change = {"scenario": scenario_id, "target": target, "term": term}
    if remove:
        if term not in current:
            raise FormInputError("term", "absent")
        if target == "exceptions" and current == [term]:
            return yaml_edit.delete_value(source, path[:-1]), {**change, "removed": True}
        return yaml_edit.delete_value(source, (*path, current.index(term))), {
            **change,
            "removed": True,
        }
    if term in current:
        raise FormInputError("term", "duplicate")
    if target == "exceptions" and not current:
        edited = yaml_edit.set_value(source, path[:-1], {"keywords": [term]})
    else:
        edited = yaml_edit.add_to_list(source, path, term)
    return edited, {**change, "added": True}


def delegation_rows(source: str) -> dict[str, dict[str, str]]:
    """Per severity: the action and approver in force (the playbook's, else the default)."""
    data, _smap = yaml_edit.parse(source)
    table = _mapping(data.get("severities"))
    rows = {}
    for sev in SEVERITIES:
        entry = _mapping(table.get(sev))
        default = DEFAULT_POLICIES[sev]
        rows[sev] = {
            "action": str(entry.get("action") or default.action),
            "approver": str(entry.get("approver") or ""),
        }
    return rows


def edit_delegation(source: str, wanted: dict[str, dict[str, str]]) -> tuple[str, dict[str, Any]]:
    """The text with each changed severity's action and approver written, one entry each."""
    data, _smap = yaml_edit.parse(source)
    current = delegation_rows(source)
    table = _mapping(data.get("severities"))
    changes: dict[str, Any] = {}
    for sev in SEVERITIES:
        new = wanted[sev]
        if new == current[sev]:
            continue
        entry = dict(_mapping(table.get(sev)))
        entry["action"] = new["action"]
        if new["approver"]:
            entry["approver"] = new["approver"]
        else:
            entry.pop("approver", None)
        source = yaml_edit.set_value(source, ("severities", sev), entry)
        changes[sev] = {"before": current[sev], "after": new}
    return source, changes


def sla_minutes(source: str) -> dict[str, int | None]:
    """Per severity: the answer target written in the playbook (None: none written)."""
    data, _smap = yaml_edit.parse(source)
    sla = _mapping(data.get("sla"))
    minutes = sla.get("minutes") if isinstance(sla.get("minutes"), dict) else None
    if minutes is None:
        from playbooks.schema import SlaSpec

        minutes = dict(SlaSpec().minutes)
    return {sev: minutes.get(sev) for sev in SEVERITIES}


def edit_sla(source: str, wanted: dict[str, int | None]) -> tuple[str, dict[str, Any]]:
    """The text with the SLA minutes per severity written (the `minutes` entry only)."""
    current = sla_minutes(source)
    if wanted == current:
        return source, {}
    new = {sev: m for sev, m in wanted.items() if m is not None}
    changes = {
        sev: {"before": current[sev], "after": wanted[sev]}
        for sev in SEVERITIES
        if current[sev] != wanted[sev]
    }
    return yaml_edit.set_value(source, ("sla", "minutes"), new), changes
