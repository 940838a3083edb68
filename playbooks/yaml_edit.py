"""Edits of a playbook's YAML text that change one block and keep every other line as it was.

A block is a mapping entry (its key line and everything under it) or a list item. Edits locate
it with the source map (playbooks.yaml_source), write the new value in YAML with the block's
own indentation, and leave comments and layout elsewhere untouched. A value inside a flow
collection (`{a: 1, b: [x]}`) is edited by rewriting the outermost flow collection's block.
A block that defines an anchor (`&name`) is refused: its aliases elsewhere would break.

Callers load the result with the playbooks loader before storing it; errors here are
EditError with a code and params (the app says them in the user's language).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from itertools import chain
from typing import Any

import yaml

from .yaml_source import Path, SourceMap, parse_yaml


class EditError(ValueError):
    """The edit cannot be made on this text ("anchor", "missing", "not_list", "not_mapping")."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key (like the shipped playbooks), never anchors."""

    top_done = False

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    # The outer mapping or list (the entry itself) is always block style: `key: value`.
    def represent_mapping(self, tag: str, mapping: Any, flow_style: Any = None) -> yaml.Node:
        if not self.top_done:
            self.top_done, flow_style = True, False
        return super().represent_mapping(tag, mapping, flow_style)

    def represent_sequence(self, tag: str, sequence: Any, flow_style: Any = None) -> yaml.Node:
        if not self.top_done:
            self.top_done, flow_style = True, False
        return super().represent_sequence(tag, sequence, flow_style)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def quoted(term: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(term, ensure_ascii=False)


@lru_cache(maxsize=8)
def parse(source: str) -> tuple[dict[str, Any], SourceMap]:
    """The text's data and source map, parsed once per text (callers never mutate them).

    Raises PlaybookError when the text does not parse, EditError when it is not a mapping."""
    data, smap = parse_yaml(source, "<edit>")
    if not isinstance(data, dict):
        raise EditError("not_mapping")
    return data, smap


def offset(lines: list[str], line: int, col: int) -> int:
    """Character offset of a 1-based line and column in `lines` (kept line ends)."""
    return sum(len(x) for x in lines[: line - 1]) + col - 1


def value_at(data: Any, path: Path) -> Any:
    """The value at `path`, or raise KeyError/IndexError/TypeError."""
    for key in path:
        data = data[key]
    return data


def has_path(data: Any, path: Path) -> bool:
    """Whether `path` exists in the data."""
    try:
        value_at(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def dump(value: Any, prefix: str) -> str:
    """`value` (a mapping, or a one-item list) in block YAML; the first line starts with
    `prefix`, the others with as many spaces."""
    text = yaml.dump(
        value,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    pad = " " * len(prefix)
    out = [(prefix if i == 0 else pad) + row for i, row in enumerate(text.splitlines())]
    return "\n".join(out) + "\n"


def replace_lines(source: str, first: int, last: int, text: str) -> str:
    """Lines `first`..`last` (1-based, inclusive) replaced by `text` (`last` = first - 1:
    inserted before line `first`)."""
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines[: first - 1]) + text + "".join(lines[last:])


def _start(smap: SourceMap, path: Path) -> tuple[int, int]:
    if path and isinstance(path[-1], str):
        return smap.keys[path]
    return smap.values[path]


def block(source: str, smap: SourceMap, path: Path) -> tuple[int, int, str]:
    """(first line, last line, prefix of the first line) of the block at `path`, 1-based and
    inclusive. Comments and blank lines just before the next block stay with the next one."""
    lines = source.splitlines()
    line, col = _start(smap, path)
    n = len(path)
    later = [
        ln
        for p, (ln, _c) in chain(smap.values.items(), smap.keys.items())
        if ln > line and p[:n] != path
    ]
    end = (min(later) - 1) if later else len(lines)
    while end > line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return line, end, lines[line - 1][: col - 1]


def _is_flow(source: str, smap: SourceMap, path: Path) -> bool:
    if path not in smap.values:
        return False
    lines = source.splitlines(keepends=True)
    line, col = smap.values[path]
    return source[offset(lines, line, col) : offset(lines, line, col) + 1] in ("{", "[")


def _editable_at(source: str, smap: SourceMap, path: Path) -> Path:
    """The block to rewrite for a change at `path`: the outermost flow collection holding it,
    else the block itself (a key inside a one-line list item such as `- - a` goes up too)."""
    for i in range(1, len(path)):
        if _is_flow(source, smap, path[:i]):
            return path[:i]
    line, col = _start(smap, path)
    prefix = source.splitlines()[line - 1][: col - 1].strip()
    if prefix not in ("", "-") and len(path) > 1:
        return _editable_at(source, smap, path[:-1])
    return path


def _check_anchors(source: str, first: int, last: int) -> None:
    try:
        for token in yaml.scan(source, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken) and first <= token.start_mark.line + 1 <= last:
                raise EditError("anchor", name=str(token.value), line=token.start_mark.line + 1)
    except yaml.YAMLError:
        return


def _rewrite(source: str, smap: SourceMap, path: Path, value: Any) -> str:
    first, last, prefix = block(source, smap, path)
    _check_anchors(source, first, last)
    if path and isinstance(path[-1], str):
        text = dump({path[-1]: value}, prefix)
    else:
        indent = prefix[: len(prefix) - len(prefix.lstrip())]
        text = dump([value], indent)
    return replace_lines(source, first, last, text)


def set_value(source: str, path: Path, value: Any) -> str:
    """The text with the value at `path` set (created when missing), only its block changed."""
    if not path:
        raise EditError("missing", path="")
    data, smap = parse(source)
    if not has_path(data, path):
        parent = path[:-1]
        if not parent:
            text = source if source.endswith("\n") else source + "\n"
            return text + "\n" + dump({path[-1]: value}, "")
        if has_path(data, parent):
            holder = value_at(data, parent)
            if not isinstance(holder, dict) or not isinstance(path[-1], str):
                raise EditError("not_mapping", path=".".join(map(str, parent)))
            inserted = _insert_key(source, smap, parent, holder, path[-1], value)
            if inserted is not None:
                return inserted
            return set_value(source, parent, {**holder, path[-1]: value})
        return set_value(source, parent, {path[-1]: value})
    target = _editable_at(source, smap, path)
    if target != path:
        outer = copy.deepcopy(value_at(data, target))
        inner = outer
        for key in path[len(target) : -1]:
            inner = inner[key]
        inner[path[-1]] = value
        value = outer
    return _rewrite(source, smap, target, value)


def _insert_key(
    source: str, smap: SourceMap, parent: Path, holder: dict[str, Any], key: str, value: Any
) -> str | None:
    """A new entry written after the last one of a block mapping, with its siblings'
    indentation; None when the mapping is in flow style or empty (its block is rewritten)."""
    if not holder or _editable_at(source, smap, parent) != parent or _is_flow(source, smap, parent):
        return None
    last = (*parent, list(holder)[-1])
    if last not in smap.keys or _editable_at(source, smap, last) != last:
        return None
    _first, end, prefix = block(source, smap, last)
    indent = " " * len(prefix)
    return replace_lines(source, end + 1, end, dump({key: value}, indent))


def delete_value(source: str, path: Path) -> str:
    """The text without the entry or item at `path` (unchanged when it is missing)."""
    data, smap = parse(source)
    if not path or not has_path(data, path):
        return source
    target = _editable_at(source, smap, path)
    if target == path:
        first, last, _prefix = block(source, smap, path)
        _check_anchors(source, first, last)
        return replace_lines(source, first, last, "")
    parent = copy.deepcopy(value_at(data, path[:-1]))
    del parent[path[-1]]
    return set_value(source, path[:-1], parent)


def append_item(source: str, path: Path, item: Any) -> str:
    """The text with `item` appended to the list at `path` (created when missing)."""
    data, smap = parse(source)
    if not has_path(data, path):
        return set_value(source, path, [item])
    items = value_at(data, path)
    if not isinstance(items, list):
        raise EditError("not_list", path=".".join(map(str, path)))
    last_item = (*path, len(items) - 1)
    if not items or _editable_at(source, smap, last_item) != last_item:
        return set_value(source, path, [*items, item])
    _first, last, prefix = block(source, smap, last_item)
    indent = prefix[: len(prefix) - len(prefix.lstrip())]
    return replace_lines(source, last + 1, last, dump([item], indent))


def insert_first(source: str, smap: SourceMap, path: Path, item: str) -> str | None:
    """Put the string `item` first in the list at `path`, flow (`[a, b]`) or block (`- a`) style
    alike, changing only the characters needed; None when the list's layout is unusual."""
    lines = source.splitlines(keepends=True)
    first = (*path, 0)
    if first not in smap.values:
        line, col = smap.values.get(path, (0, 0))
        if not line:
            return None
        at = offset(lines, line, col)
        if source[at : at + 2] != "[]":
            return None
        return source[:at] + f"[{quoted(item)}]" + source[at + 2 :]
    line, col = smap.values[first]
    before = lines[line - 1][: col - 1]
    if before.rstrip().endswith(("[", ",")):
        at = offset(lines, line, col)
        return source[:at] + f"{quoted(item)}, " + source[at:]
    if before.strip() == "-":
        lines.insert(line - 1, f"{before}{quoted(item)}\n")
        return "".join(lines)
    return None


def add_to_list(source: str, path: Path, item: str) -> str:
    """The text with the string `item` added to the list at `path` (first, keeping the list's
    layout when it can; else the list's block rewritten with it last)."""
    data, smap = parse(source)
    if has_path(data, path) and isinstance(value_at(data, path), list):
        edited = insert_first(source, smap, path, item)
        if edited is not None:
            return edited
    return append_item(source, path, item)


def scenario_index(data: dict[str, Any], scenario_id: str) -> int | None:
    """Position of the scenario `scenario_id` in the playbook's list."""
    for i, s in enumerate(data.get("scenarios") or []):
        if isinstance(s, dict) and s.get("id") == scenario_id:
            return i
    return None
