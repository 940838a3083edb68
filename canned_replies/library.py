"""Canned-reply libraries: YAML files of reply templates per brand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml  # type: ignore[import-untyped]  # types-PyYAML is not a dependency

from canned_replies.templates import TemplateError, template_variables

SHIPPED_DIR = Path(__file__).parent / "shipped"
LANGUAGES = ("fr", "en")
STATUSES = ("draft", "approved")


class LibraryError(ValueError):
    """A library file that cannot be loaded; the message names the file, line and reply."""


@dataclass(frozen=True)
class CannedReplyDef:
    """One reply template: key, language, title, body with variables, where it applies, status."""

    key: str
    language: str
    title: str
    body: str
    scenarios: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    status: Literal["draft", "approved"] = "draft"

    @property
    def variables(self) -> list[str]:
        """Variable names the body uses, in order."""
        return template_variables(self.body)

    @property
    def approved(self) -> bool:
        """True when the brand approved this reply."""
        return self.status == "approved"


def shipped_library_path(brand_slug: str) -> Path:
    """Return the path of a starter library shipped with Vigie ("demo-rail", "demo-shop")."""
    path = SHIPPED_DIR / f"{brand_slug}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml")))
        raise FileNotFoundError(f"no shipped library for {brand_slug!r} (known: {known})")
    return path


def _string_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of names")
    return [v.strip() for v in value]


def _parse_reply(raw: Any) -> CannedReplyDef:
    if not isinstance(raw, dict):
        raise ValueError("a reply must be a mapping with key, language, title, body")
    unknown = set(raw) - {"key", "language", "title", "body", "scenarios", "channels", "status"}
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    for name in ("key", "language", "title", "body"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ValueError(f"{name!r} is required and must be text")
    if raw["language"] not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    status = raw.get("status", "draft")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    try:
        template_variables(raw["body"])
    except TemplateError as exc:
        raise ValueError(f"body: {exc}") from exc
    return CannedReplyDef(
        key=raw["key"].strip(),
        language=raw["language"],
        title=raw["title"].strip(),
        body=raw["body"].strip(),
        scenarios=_string_list(raw.get("scenarios"), "scenarios"),
        channels=[c.lower() for c in _string_list(raw.get("channels"), "channels")],
        status=status,
    )


def _reply_lines(source: str) -> list[int]:
    """Line number (1-based) of each entry under `replies:`, for error messages."""
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == "replies" and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []


def load_dictionary(path: str | Path) -> list[str]:
    """Load the brand dictionary of a library (terms proofreading never flags)."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = data.get("dictionary") if isinstance(data, dict) else None
    try:
        return _string_list(terms, "dictionary")
    except ValueError as exc:
        raise LibraryError(f"{path}: {exc}") from exc


def load_library(path: str | Path) -> list[CannedReplyDef]:
    """Load and validate a YAML library of canned replies (a top-level `replies:` list)."""
    path = Path(path)
    source = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
        raise LibraryError(f"{path}: expected a mapping with a 'replies' list")
    lines = _reply_lines(source)
    replies: list[CannedReplyDef] = []
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(data["replies"]):
        where = f"{path}:{lines[index]}" if index < len(lines) else f"{path}: reply #{index + 1}"
        key = raw.get("key") if isinstance(raw, dict) else None
        label = f" ({key})" if key else ""
        try:
            reply = _parse_reply(raw)
        except ValueError as exc:
            raise LibraryError(f"{where}{label}: {exc}") from exc
        if (reply.key, reply.language) in seen:
            raise LibraryError(f"{where}{label}: duplicate key for language {reply.language}")
        seen.add((reply.key, reply.language))
        replies.append(reply)
    return replies
