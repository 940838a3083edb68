"""Parse YAML into plain data while remembering where every key and value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import PlaybookError, ValidationIssue

Path = tuple[str | int, ...]
# Aliases let a few lines expand to billions of values ("billion laughs"): the built document
# is capped in values and depth, so a hostile playbook fails fast with a clear message.
MAX_VALUES = 200_000
MAX_DEPTH = 64


class _TooBig(Exception):
    """The document expands beyond MAX_VALUES or MAX_DEPTH."""


@dataclass
class SourceMap:
    """Line/column (1-based) of each key and value, addressed by its path in the data."""

    source: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest located ancestor."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            if not p:
                return (1, 1)
            p = p[:-1]

    def issue(
        self, path: Path, message: str, *, key: bool = False, code: str = "", **params: Any
    ) -> ValidationIssue:
        """A validation issue located at `path` (with its code and params for translation)."""
        line, col = self.locate(path, key=key)
        return ValidationIssue(self.source, line, col, message, code, params, tuple(path))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.issues: list[ValidationIssue] = []
        self.constructor = yaml.SafeLoader("")
        self.built = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.built += 1
        if self.built > MAX_VALUES:
            raise _TooBig(f"the document expands to more than {MAX_VALUES} values (aliases?)")
        if len(path) > MAX_DEPTH:
            raise _TooBig(f"the document is nested more than {MAX_DEPTH} levels deep")
        self.smap.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _mark(key_node)
                    self.issues.append(
                        ValidationIssue(
                            self.smap.source, line, col, "expected a plain key", "plain_key"
                        )
                    )
                    continue
                # Keys stay strings: YAML 1.1 would turn `on`/`no` into booleans.
                key = str(key_node.value)
                if key in out:
                    line, col = _mark(key_node)
                    self.issues.append(
                        ValidationIssue(
                            self.smap.source,
                            line,
                            col,
                            f"duplicate key {key!r}",
                            "duplicate_key",
                            {"key_name": key},
                            (*path, key),
                        )
                    )
                    continue
                self.smap.keys[(*path, key)] = _mark(key_node)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        # YAML 1.1 reads 20:00 as a base-60 integer; times must stay text.
        if node.tag.endswith(":int") and ":" in node.value:
            return node.value
        if node.tag.endswith(":timestamp"):
            return node.value
        return self.constructor.construct_object(node, deep=True)


def _syntax(source: str, line: int, col: int, message: str, problem: str) -> ValidationIssue:
    return ValidationIssue(
        source, line, col, message, "yaml_syntax", {"problem": problem, "line": line, "column": col}
    )


def parse_yaml(text: str, source: str) -> tuple[Any, SourceMap]:
    """Return the document as plain data plus its source map; raise PlaybookError on bad YAML."""
    smap = SourceMap(source)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(exc.problem or exc.context)
        message = f"invalid YAML: {problem}"
        raise PlaybookError([_syntax(source, line, col, message, problem)]) from None
    except yaml.YAMLError as exc:
        raise PlaybookError([_syntax(source, 1, 1, f"invalid YAML: {exc}", str(exc))]) from None
    except RecursionError:
        raise PlaybookError(
            [ValidationIssue(source, 1, 1, "invalid YAML: nested too deeply", "too_deep")]
        ) from None
    if node is None:
        raise PlaybookError(
            [ValidationIssue(source, 1, 1, "empty playbook: expected a mapping", "empty")]
        )
    builder = _Builder(smap)
    try:
        data = builder.build(node, ())
    except yaml.YAMLError as exc:
        raise PlaybookError([_syntax(source, 1, 1, f"invalid YAML: {exc}", str(exc))]) from None
    except (_TooBig, RecursionError) as exc:
        message = str(exc) if isinstance(exc, _TooBig) else "nested too deeply"
        raise PlaybookError(
            [ValidationIssue(source, 1, 1, f"invalid YAML: {message}", "too_big")]
        ) from None
    if builder.issues:
        raise PlaybookError(builder.issues)
    return data, smap
