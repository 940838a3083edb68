"""The schema's (pydantic's) errors as located ValidationIssues with codes and params.

Each common error gets a code (`unknown_key`, `bad_severity`, `wrong_type`...) and params so
that an interface can say it in its own language; the English message stays for the CLI.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import CodedValueError, ValidationIssue
from .schema import PlaybookSpec
from .yaml_source import SourceMap


def _unwrap(tp: Any, key: str | int) -> Any:
    """The type found under `key` inside type `tp` (models, lists, dicts, unions)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0], key)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            found = _unwrap(arg, key)
            if found is not None:
                return found
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(str(key))
        return field.annotation if field else None
    if origin is list and isinstance(key, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    return None


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    tp: Any = PlaybookSpec
    for key in loc:
        tp = _unwrap(tp, key)
        if tp is None:
            return None
    candidates = [tp]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        candidates = list(typing.get_args(tp))
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
    return None


_TYPE_EXPECTED = {
    "string_type": "text",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}
_BOUNDS = {
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "greater_than": "gt",
    "less_than": "lt",
    "too_long": "max_length",
    "string_too_long": "max_length",
}


def _coded(err: Any, loc: tuple[Any, ...], where: str) -> tuple[str, dict[str, Any]]:
    """The issue code and params of one pydantic error, for interfaces in other languages."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown = value if isinstance(value, (str, int, float, bool)) else None
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        if "'S0'" in expected and loc and loc[-1] != "format":
            return "bad_severity", {"where": where, "value": shown}
        return "bad_choice", {"where": where, "value": shown, "expected": expected}
    if kind in _TYPE_EXPECTED:
        return "wrong_type", {"where": where, "expected": _TYPE_EXPECTED[kind]}
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "")
        return "out_of_range", {"where": where, "bound": _BOUNDS[kind], "limit": limit}
    if kind == "string_pattern_mismatch":
        return "bad_identifier", {"where": where, "value": shown}
    error = ctx.get("error")
    if isinstance(error, CodedValueError):
        return error.code, {"where": where, **error.params}
    return "", {"where": where}


def pydantic_issues(exc: ValidationError, smap: SourceMap) -> list[ValidationIssue]:
    """The schema's errors as located issues, each with a code and params when common."""
    issues = []
    seen = set()
    for err in exc.errors():
        # Union members repeat the same location: keep the first, clearest message.
        loc = tuple(
            p
            for p in err["loc"]
            if not (isinstance(p, str) and p.startswith(("function-", "list[", "str")))
        )
        kind = err["type"]
        where = ".".join(str(p) for p in loc) or "playbook"
        if kind == "extra_forbidden":
            key = loc[-1]
            model = _model_at(loc[:-1])
            allowed = sorted(model.model_fields) if model else []
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            expected = f" (expected one of: {', '.join(allowed)})" if allowed else ""
            message = f"unknown key {key!r}{suggestion}{expected}"
            issue = smap.issue(
                loc,
                message,
                key=True,
                code="unknown_key",
                key_name=str(key),
                suggestion=hint[0] if hint else "",
                allowed=", ".join(allowed),
            )
        elif kind == "missing":
            parent = ".".join(map(str, loc[:-1])) or "playbook"
            issue = smap.issue(
                loc[:-1],
                f"missing required key {loc[-1]!r} in {parent}",
                code="missing_key",
                key_name=str(loc[-1]),
                where=parent,
            )
        else:
            msg = err["msg"].replace("Input should be", "expected").replace("Value error, ", "")
            code, params = _coded(err, loc, where)
            issue = smap.issue(loc, f"{where}: {msg}", code=code, **params)
        if (issue.line, issue.column, issue.message) not in seen:
            seen.add((issue.line, issue.column, issue.message))
            issues.append(issue)
    return issues
