"""Editing one block of a playbook's YAML: comments and other lines kept, the result loads."""

from __future__ import annotations

import difflib

import pytest

from playbooks import PlaybookError, load_playbook
from playbooks.yaml_edit import EditError, add_to_list, append_item, delete_value, set_value

SOURCE = """\
# En-tête : doit survivre
format: 1
lexicons:
  retard:
    # commentaire du lexique
    terms: ["retard(s)", 'en retard', late]
scenarios:
  # --- S2 ---
  - id: retard
    label: "Retard : le train n'arrive pas"   # libellé entre guillemets
    when: {lexicon: retard}
    severity: S2
  - {id: perdu, label: Objet perdu, when: {keywords: [oublié, perdu]}, severity: S1}
  # avant la délégation
severities:
  S3: {action: reply_with_approval, approver: lead}  # garde ce commentaire
sla:
  minutes: {S1: 120, S2: 60}
  max_minutes: 240
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_setting_a_value_changes_its_block_only():
    edited = set_value(SOURCE, ("scenarios", 0, "severity"), "S3")
    assert changed_lines(SOURCE, edited) == ["-    severity: S2", "+    severity: S3"]
    assert load_playbook(edited).scenarios[0].severity == "S3"


def test_quoted_strings_and_comments_elsewhere_survive():
    edited = set_value(SOURCE, ("sla", "minutes"), {"S1": 90, "S2": 30})
    assert changed_lines(SOURCE, edited) == [
        "-  minutes: {S1: 120, S2: 60}",
        "+  minutes: {S1: 90, S2: 30}",
    ]
    for kept in (
        "# En-tête",
        "'en retard'",
        "# libellé entre guillemets",
        "# garde ce commentaire",
    ):
        assert kept in edited
    load_playbook(edited)


def test_a_value_inside_a_flow_item_rewrites_that_item_only():
    edited = set_value(SOURCE, ("scenarios", 1, "label"), "Objets trouvés")
    diff = changed_lines(SOURCE, edited)
    assert diff[0].startswith("-  - {id: perdu")
    assert all("perdu" in line or line.startswith("+ ") for line in diff)
    pb = load_playbook(edited)
    assert [s.label for s in pb.scenarios] == ["Retard : le train n'arrive pas", "Objets trouvés"]
    assert "# avant la délégation" in edited and "# --- S2 ---" in edited


def test_adding_a_term_keeps_the_flow_list_on_its_line():
    edited = add_to_list(SOURCE, ("lexicons", "retard", "terms"), "panne « signal »")
    (_removed, added) = changed_lines(SOURCE, edited)
    assert added == """+    terms: ["panne « signal »", "retard(s)", 'en retard', late]"""
    assert "panne « signal »" in load_playbook(edited).spec.lexicons["retard"].terms


def test_removing_an_item_and_a_key():
    edited = delete_value(SOURCE, ("lexicons", "retard", "terms", 1))
    assert load_playbook(edited).spec.lexicons["retard"].terms == ["retard(s)", "late"]
    edited = delete_value(SOURCE, ("sla", "max_minutes"))
    assert changed_lines(SOURCE, edited) == ["-  max_minutes: 240"]


def test_appending_a_scenario_goes_after_the_last_one_before_the_comments():
    new = {"id": "greve", "label": "Grève", "when": {"keywords": ["grève"]}, "severity": "S2"}
    edited = append_item(SOURCE, ("scenarios",), new)
    assert [s.id for s in load_playbook(edited).scenarios] == ["retard", "perdu", "greve"]
    lines = edited.splitlines()
    assert lines.index("  - id: greve") < lines.index("  # avant la délégation")
    assert all(line in edited for line in SOURCE.splitlines())  # nothing else changed


def test_a_missing_key_is_created():
    edited = set_value(SOURCE, ("severities", "S4"), {"action": "escalate_urgent"})
    assert load_playbook(edited).policies["S4"].action == "escalate_urgent"
    edited = set_value("format: 1\n", ("sla", "minutes"), {"S1": 30})
    assert load_playbook(edited).spec.sla.minutes == {"S1": 30}


def test_a_block_defining_an_anchor_is_refused():
    source = SOURCE.replace("  S3: {action", "  S3: &valid {action") + "defaults: {severity: S1}\n"
    with pytest.raises(EditError) as info:
        set_value(source, ("severities", "S3"), {"action": "reply"})
    assert info.value.code == "anchor" and info.value.params["name"] == "valid"
    # Elsewhere in the same document, edits are fine.
    load_playbook(set_value(source, ("sla", "max_minutes"), 120))


def test_text_that_does_not_parse_is_a_playbook_error():
    with pytest.raises(PlaybookError):
        set_value("format: [1\n", ("sla",), {})
