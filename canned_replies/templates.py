"""Sandboxed rendering of canned-reply bodies with case variables.

Bodies use the Jinja2 syntax ("Bonjour {{ prenom }}, votre commande {{ reference_commande }}…")
rendered in Jinja2's SandboxedEnvironment: a body written in the playbook editor cannot reach
Python internals, and variable values (often text from the platforms) are inserted as plain
text, never evaluated. A variable the case cannot fill is rendered as a visible marker
``[[name]]`` and listed in ``RenderResult.missing``; it is never left blank. A body may make
a variable optional on purpose: ``{% if lien %}…{% endif %}`` or
``{{ delai|default("sous 48 h") }}``.
A variable given as an empty string counts as missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, Template, nodes
from jinja2 import TemplateError as JinjaError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MISSING_MARKER = "[[{name}]]"
# The same marker as the editor and the preview find it in a text (one pattern for all).
_MARKER = re.compile(r"\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]")
_MARKER_SPLIT = re.compile(r"(\[\[[A-Za-z_][A-Za-z0-9_]*\]\])")
# A reply is a few hundred characters: far larger output or numbers are an authoring mistake
# (or an attempt to exhaust the server: `{{ 10**5000 }}`, `{{ 'a' * 10**9 }}`).
MAX_RENDERED_CHARS = 20_000
_MAX_INT_BITS = 256
_MAX_RANGE = 1_000


class TemplateError(ValueError):
    """A canned-reply body that cannot be parsed."""


@dataclass(frozen=True)
class RenderResult:
    """The rendered reply and the variables the case could not fill (in body order)."""

    text: str
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every variable was filled and the text can be sent as is."""
        return not self.missing


# Names printed as missing during the current render (a ContextVar keeps threads apart).
_printed_missing: ContextVar[list[str]] = ContextVar("_printed_missing")


class _MarkedUndefined(ChainableUndefined):
    """An unfilled variable: prints as the visible marker and is recorded as missing."""

    __slots__ = ()

    def __str__(self) -> str:
        name = self._undefined_name or "?"
        printed = _printed_missing.get(None)
        if printed is not None and name not in printed:
            printed.append(name)
        return MISSING_MARKER.format(name=name)


class _StrictSandbox(SandboxedEnvironment):
    """The Jinja2 sandbox, failing loudly on unsafe attributes instead of printing a marker."""

    intercepted_binops = frozenset({"**", "*", "+", "<<"})

    def unsafe_undefined(self, obj: object, attribute: str) -> ChainableUndefined:
        raise SecurityError(f"access to attribute {attribute!r} is not allowed in a reply")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Arithmetic with a size limit: numbers and repeated text stay reply-sized."""
        if operator in ("**", "<<") and isinstance(right, int) and abs(right) > _MAX_INT_BITS:
            raise SecurityError("number too large in a reply")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > MAX_RENDERED_CHARS:
                    raise SecurityError("repeated text too long for a reply")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, int) and result.bit_length() > _MAX_INT_BITS:
            raise SecurityError("number too large in a reply")
        if isinstance(result, str | list | tuple) and len(result) > MAX_RENDERED_CHARS:
            raise SecurityError("text too long for a reply")
        return result


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    env = _StrictSandbox(autoescape=False, undefined=_MarkedUndefined, keep_trailing_newline=True)
    env.globals["range"] = _small_range
    return env


def _small_range(*args: int) -> range:
    """`range` for replies: at most _MAX_RANGE steps (nested loops multiply)."""
    steps = range(*args)
    if len(steps) > _MAX_RANGE:
        raise SecurityError(f"range too large in a reply (at most {_MAX_RANGE})")
    return steps


@lru_cache(maxsize=512)
def _compile(body: str) -> tuple[Template, tuple[str, ...]]:
    env = _environment()
    try:
        tree = env.parse(body)
    except JinjaError as exc:
        raise TemplateError(f"line {getattr(exc, 'lineno', '?')}: {exc.message}") from exc
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names: list[str] = []
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in assigned and node.name not in names:
            names.append(node.name)
    return env.from_string(body), tuple(names)


def template_variables(body: str) -> list[str]:
    """List the variable names a body uses, in order of first appearance."""
    return list(_compile(body)[1])


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def render(body: str, variables: Mapping[str, str]) -> RenderResult:
    """Render a canned-reply body; unfilled variables show as ``[[name]]`` and are listed."""
    template, names = _compile(body)
    context = {name: value for name, value in variables.items() if not _is_blank(value)}
    printed: list[str] = []
    token = _printed_missing.set(printed)
    try:
        chunks: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_RENDERED_CHARS:
                raise TemplateError(f"the reply is longer than {MAX_RENDERED_CHARS} characters")
            chunks.append(chunk)
        text = "".join(chunks)
    except TemplateError:
        raise
    except JinjaError as exc:
        # Sandbox violations and type errors in a body are authoring errors, not case data.
        raise TemplateError(str(exc)) from exc
    except (ArithmeticError, ValueError, TypeError, MemoryError, RecursionError) as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _printed_missing.reset(token)
    order = {name: i for i, name in enumerate(names)}
    return RenderResult(text=text, missing=sorted(printed, key=lambda n: order.get(n, len(order))))


def missing_markers(text: str) -> list[str]:
    """Names of the ``[[name]]`` markers still in a text, once each, in order."""
    return list(dict.fromkeys(_MARKER.findall(text)))


def fill_markers(text: str, values: Mapping[str, str]) -> str:
    """Replace ``[[name]]`` markers by the values typed for them (blank values leave them)."""
    for name, value in values.items():
        if value.strip():
            text = text.replace(MISSING_MARKER.format(name=name), value.strip())
    return text


def split_markers(text: str) -> list[str]:
    """The text cut around its markers: plain text at even positions, markers at odd ones."""
    return _MARKER_SPLIT.split(text)
