"""Text edits of a playbook's YAML that keep its comments and layout (issue 18, part 1).

Small edits (a term into a list, a threshold) change only the characters concerned, located
with the playbooks' source map; larger ones (an exception, a split) rewrite one scenario's
block and leave every other line as it was. Each returns the new text, or None when the edit
does not apply; callers load the result with the playbooks loader before offering it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from playbooks import yaml_edit
from playbooks.yaml_source import SourceMap

_quoted = yaml_edit.quoted
_parse = yaml_edit.parse  # parsed once per source: callers never mutate the result
_scenario_index = yaml_edit.scenario_index
_insert_in_list = yaml_edit.insert_first
_replace_blocks = yaml_edit.replace_lines
_dump = yaml_edit.dump


def add_term_to_lexicon(source: str, lexicon: str, term: str) -> str | None:
    """Add a term to an inline lexicon of the playbook (a `terms:` list, created if missing)."""
    data, smap = _parse(source)
    entry = (data.get("lexicons") or {}).get(lexicon)
    if not isinstance(entry, dict):
        return None
    if term in (entry.get("terms") or []):
        return None
    if "terms" in entry:
        return _insert_in_list(source, smap, ("lexicons", lexicon, "terms"), term)
    keys = [k for k in entry if ("lexicons", lexicon, k) in smap.keys]
    if not keys:
        return None
    line, col = smap.keys[("lexicons", lexicon, keys[0])]
    lines = source.splitlines(keepends=True)
    if lines[line - 1][: col - 1].strip():
        return None  # a flow mapping on one line: left to the editor
    lines.insert(line - 1, f"{' ' * (col - 1)}terms: [{_quoted(term)}]\n")
    return "".join(lines)


def lexicons_of(condition: Any) -> list[str]:
    """Lexicon names a condition tree reads, in order."""
    found: list[str] = []
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key == "lexicon":
                found += (
                    [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
                )
            elif key == "near" and isinstance(value, dict):
                found += [v for v in value.get("lexicons", []) if isinstance(v, str)]
            else:
                found += lexicons_of(value)
    elif isinstance(condition, list):
        for item in condition:
            found += lexicons_of(item)
    return list(dict.fromkeys(found))


def _block(source: str, smap: SourceMap, data: dict[str, Any], index: int) -> tuple[int, int, str]:
    """(first line, last line, prefix of the first line) of scenario `index`."""
    return yaml_edit.block(source, smap, ("scenarios", index))


def _with_exception(scenario: dict[str, Any], term: str) -> dict[str, Any]:
    out = copy.deepcopy(scenario)
    unless = out.get("unless")
    if unless is None:
        out["unless"] = {"keywords": [term]}
    elif isinstance(unless, dict) and set(unless) == {"keywords"}:
        words = unless["keywords"]
        words = [words] if isinstance(words, str) else list(words)
        out["unless"] = {"keywords": [*words, term]}
    else:
        out["unless"] = {"any": [unless, {"keywords": [term]}]}
    return out


def add_exception(source: str, scenario_id: str, term: str) -> str | None:
    """Scenario `scenario_id` no longer fires on mentions holding `term` (an `unless`)."""
    data, smap = _parse(source)
    index = _scenario_index(data, scenario_id)
    if index is None:
        return None
    first, last, prefix = _block(source, smap, data, index)
    new = _with_exception(data["scenarios"][index], term)
    return _replace_blocks(source, first, last, _dump(new, prefix))


def add_trigger(source: str, scenario_id: str, term: str) -> str | None:
    """Scenario `scenario_id` also fires on `term`: into its keywords when its rule is a plain
    keyword list, else `any` of its rule and the keyword (lexicons are handled apart)."""
    data, smap = _parse(source)
    index = _scenario_index(data, scenario_id)
    if index is None:
        return None
    when = data["scenarios"][index].get("when")
    if isinstance(when, dict) and set(when) == {"keywords"} and isinstance(when["keywords"], list):
        if term in when["keywords"]:
            return None
        return _insert_in_list(source, smap, ("scenarios", index, "when", "keywords"), term)
    first, last, prefix = _block(source, smap, data, index)
    new = copy.deepcopy(data["scenarios"][index])
    new["when"] = (
        {"any": [when, {"keywords": [term]}]} if when is not None else {"keywords": [term]}
    )
    return _replace_blocks(source, first, last, _dump(new, prefix))


def split_scenario(source: str, scenario_id: str, term: str, severity: str) -> str | None:
    """Mentions of `scenario_id` holding `term` get their own scenario at `severity`."""
    data, smap = _parse(source)
    index = _scenario_index(data, scenario_id)
    if index is None:
        return None
    original = data["scenarios"][index]
    ids = {s.get("id") for s in data["scenarios"] if isinstance(s, dict)}
    slug = re.sub(r"[^a-z0-9]+", "_", term.lower()).strip("_")[:30] or "terme"
    new_id, n = f"{scenario_id}_{slug}", 2
    while new_id in ids:
        new_id, n = f"{scenario_id}_{slug}_{n}", n + 1
    part = copy.deepcopy(original)
    part["id"] = new_id
    part["label"] = f"{original.get('label', scenario_id)} — « {term} »"
    part["when"] = {"all": [original.get("when"), {"keywords": [term]}]}
    part["severity"] = severity
    first, last, prefix = _block(source, smap, data, index)
    text = _dump(_with_exception(original, term), prefix) + _dump(part, prefix)
    return _replace_blocks(source, first, last, text)


_BOUND_RE = re.compile(r"^\s*(>=|>)?\s*([01](?:[.,]\d+)?|[.,]\d+)\s*$")


def model_bounds(data: dict[str, Any]) -> list[tuple[str, str, float, tuple[Any, ...]]]:
    """(scenario id, label, lower bound, path of the bound) of every `model` lower bound."""
    found: list[tuple[str, str, float, tuple[Any, ...]]] = []

    def walk(node: Any, path: tuple[Any, ...], sid: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "model" and isinstance(value, dict):
                    for label, bound in value.items():
                        m = _BOUND_RE.match(str(bound))
                        if m:
                            found.append(
                                (
                                    sid,
                                    label,
                                    float(m.group(2).replace(",", ".")),
                                    (*path, key, label),
                                )
                            )
                else:
                    walk(value, (*path, key), sid)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, (*path, i), sid)

    for i, s in enumerate(data.get("scenarios") or []):
        if isinstance(s, dict):
            walk(s.get("when"), ("scenarios", i, "when"), str(s.get("id")))
    return found


def set_model_threshold(source: str, path: tuple[Any, ...], value: float) -> str | None:
    """Replace the bound at `path` (from model_bounds) by `>= value`, nothing else."""
    _, smap = _parse(source)
    if path not in smap.values:
        return None
    lines = source.splitlines(keepends=True)
    line, col = smap.values[path]
    start = yaml_edit.offset(lines, line, col)
    quote = source[start]
    if quote in "'\"":
        end = source.find(quote, start + 1) + 1
        if end <= start:
            return None
    else:
        m = re.compile(r"[^,}\]#\n]*").match(source, start)
        end = m.end() if m else start
        while end > start and source[end - 1] == " ":
            end -= 1
    return source[:start] + _quoted(f">= {value:.2f}") + source[end:]
