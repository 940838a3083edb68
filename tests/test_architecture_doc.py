"""docs/architecture.md stays true: the names it cites exist and its state tables are the code's."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
NAME = re.compile(r"`((?:app|playbooks|connectors|canned_replies)(?:\.\w+)+)`")


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            found = getattr(found, attr)  # AttributeError: the page names something gone
        return found
    raise ModuleNotFoundError(dotted)


def test_every_cited_name_exists(app):
    names = sorted(set(NAME.findall(DOC.read_text())))
    assert len(names) > 30
    for name in names:
        _resolve(name)


def _tables() -> dict[str, dict[str, set[str]]]:
    tables: dict[str, dict[str, set[str]]] = {}
    current = None
    for line in DOC.read_text().splitlines():
        marker = re.match(r"<!-- states: ([\w.]+) -->", line)
        if marker:
            current = tables.setdefault(marker.group(1), {})
        elif current is not None and line.startswith("| ") and not line.startswith("| from"):
            source, targets = (cell.strip() for cell in line.strip("|").split("|"))
            current[source] = {t.strip() for t in targets.split(",") if t.strip()}
        elif not line.strip().startswith("|") and line.strip():
            current = None
    return tables


@pytest.mark.parametrize(
    "table",
    [
        "app.services.case_states.ALLOWED",
        "app.services.approvals.APPROVAL_MOVES",
        "app.services.outbox_states.ALLOWED",
        "app.services.escalations.ESCALATION_MOVES",
        "app.services.playbook_states.PLAYBOOK_MOVES",
        "app.services.playbook_reviews.REVIEW_MOVES",
        "app.services.moderation_actions.ALLOWED",
    ],
)
def test_the_state_tables_are_the_code(table):
    code = {str(source): {str(t) for t in targets} for source, targets in _resolve(table).items()}
    assert _tables()[table] == code


def _layout() -> list[str]:
    """The files the layout tree names, rebuilt from its indentation."""
    text = DOC.read_text().split("<!-- layout -->", 1)[1]
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    paths, stack = [], []
    for line in block.splitlines():
        head = line.split("  ", 1)[0] if not line.startswith(("│", "├", "└", " ")) else None
        if head:  # a top-level package: "app/   the Flask app…"
            stack = [head.rstrip("/")]
            continue
        marker = max(line.find("├── "), line.find("└── "))
        depth = marker // 4 + 1
        name = line[marker + 4 :].split(" ", 1)[0]
        stack = [*stack[:depth], name.rstrip("/")]
        paths.append("/".join(stack) + ("/" if name.endswith("/") else ""))
    return paths


def test_every_module_in_the_layout_exists():
    root = DOC.parents[1]
    paths = _layout()
    assert len(paths) > 150 and "app/services/queue.py" in paths
    assert [p for p in paths if not (root / p).exists()] == []
