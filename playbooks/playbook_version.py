"""A compiled playbook's version: a digest of its text, the files it read and the data the
engine brings (French morphology, the scorer's weights), so that decisions stay traceable."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import french

ENGINE_FORMAT = "vigie-playbook/1"


def playbook_version(data: Any, file_digests: list[tuple[str, str]], uses_morphology: bool) -> str:
    """Twelve hex digits naming what decides: the parsed playbook, its files, engine data."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    h = hashlib.sha256(ENGINE_FORMAT.encode())
    h.update(canonical.encode())
    for rel, digest in sorted(file_digests):
        h.update(f"\n{rel}:{digest}".encode())
    if uses_morphology:  # inflections and the fuzzy guard read the French lexicon
        h.update(f"\nmorphology:{french.data_digest()}".encode())
    if uses_model(data):  # the same rules with other weights decide differently
        from .scorer import get_scorer

        h.update(f"\nmodel:{getattr(get_scorer(), 'digest', '')}".encode())
    return h.hexdigest()[:12]


def uses_model(data: Any) -> bool:
    """Whether a scenario, delegation rule or boost has a `model` condition."""

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            return "model" in node or any(walk(v) for v in node.values())
        if isinstance(node, list):
            return any(walk(v) for v in node)
        return False

    if not isinstance(data, dict):
        return False
    parts: list[Any] = []
    for key in ("scenarios", "delegation"):
        for item in data.get(key) or []:
            if isinstance(item, dict):
                parts += [item.get("when"), item.get("unless")]
    priority = data.get("priority")
    if isinstance(priority, dict):
        parts += [b.get("when") for b in priority.get("boosts") or [] if isinstance(b, dict)]
    return walk(parts)
