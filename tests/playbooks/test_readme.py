"""The documented example must stay a valid playbook (docs fall behind code otherwise)."""

from __future__ import annotations

import re
from pathlib import Path

import playbooks
from playbooks import MentionInput, load_playbook
from playbooks.conditions import CONDITIONS

README = Path(playbooks.__file__).parent / "README.md"


def test_readme_example_loads_and_decides() -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    pb = load_playbook(example.group(1), "README.md")
    d = pb.decide(MentionInput("Toujours rien reçu, commande 123456"))
    assert d.scenarios == ["retard"] and d.suggested_replies == ["bike.retard.excuses"]
    assert pb.decide(MentionInput("merci pour le livre de poche")).scenarios == ["merci"]


def test_every_condition_kind_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for kind in CONDITIONS:
        if not kind.startswith("test_"):
            assert f"`{kind}`" in text, kind
