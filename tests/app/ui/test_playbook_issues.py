"""Playbook validation messages in the UI's language: French under a French UI, English under
an English one, from the codes and params the playbooks package gives (issue 18, part 6)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

import playbooks
from app.ui.playbook_issues import edit_error_text, issue_text
from playbooks.yaml_edit import EditError

GOOD = """\
format: 1
lexicons:
  retard: {terms: [retard]}
scenarios:
  - id: retard
    label: Retard
    when: {lexicon: retard}
    severity: S2
"""
CASES = [
    (
        GOOD.replace("severity: S2", "severity: S9"),
        "scenarios.0.severity : gravité inconnue « S9 » (attendu : S0 à S4).",
        "scenarios.0.severity: unknown severity “S9” (expected: S0 to S4).",
    ),
    (
        GOOD.replace("    label: Retard", "    labell: Retard\n    label: Retard"),
        "Clé inconnue « labell ». Vouliez-vous dire « label » ?",
        "Unknown key “labell”. Did you mean “label”?",
    ),
    (
        GOOD + "sla: {minutes: {S1: vite}}\n",
        "sla.minutes.S1 : un nombre entier attendu.",
        "sla.minutes.S1: a whole number expected.",
    ),
    (
        GOOD + "sla: {minutes: {S1: 0}}\n",
        "sla.minutes.S1 : valeur hors limites (≥ 1).",
        "sla.minutes.S1: value out of range (≥ 1).",
    ),
    (
        GOOD + "route:\n  - id: r\n    scenarios: [retrad]\n",
        "Scénario inconnu « retrad » (scénarios : retard).",
        "Unknown scenario “retrad” (scenarios: retard).",
    ),
    (
        GOOD + "  - id: retard\n    label: Bis\n    when: {keywords: [x]}\n    severity: S1\n",
        "Identifiant « retard » en double (scénarios).",
        "Duplicate id “retard” (scenarios).",
    ),
    (
        GOOD.replace("{lexicon: retard}", "{lexicon: retrad}"),
        "Lexique inconnu « retrad » (lexiques déclarés : retard). Vouliez-vous dire « retard » ?",
        "Unknown lexicon “retrad” (declared lexicons: retard). Did you mean “retard”?",
    ),
    (
        GOOD + "severities:\n  S1: {action: crier}\n",
        "severities.S1.action : action inconnue « crier » (attendu : ignore, hide, reply, "
        "reply_with_approval, escalate, escalate_urgent).",
        "severities.S1.action: unknown action “crier” (expected: ignore, hide, reply, "
        "reply_with_approval, escalate, escalate_urgent).",
    ),
    (
        GOOD + "severities:\n  S1: {action: reply, approver: lead}\n",
        "L'action « reply » n'admet pas l'approbateur « lead » (permis : aucun).",
        "Action “reply” does not take approver “lead” (allowed: none).",
    ),
    (
        "format: 1\nscenarios: [\n",
        "YAML invalide (ligne 3, colonne 1) : expected the node content, but found '<stream end>'",
        "Invalid YAML (line 3, column 1): expected the node content, but found '<stream end>'",
    ),
    (
        "format: 1\nname: a\nname: b\n",
        "Clé « name » en double.",
        "Duplicate key “name”.",
    ),
    (
        GOOD.replace("  - id: retard", "  - id: Retard!"),
        "scenarios.0.id : identifiant « Retard! » invalide (minuscules, chiffres, « _ », « - », "
        "« . »).",
        "scenarios.0.id: invalid identifier “Retard!” (lower case, digits, “_”, “-”, “.”).",
    ),
]


@pytest.mark.parametrize(("text", "french", "english"), CASES)
def test_common_errors_in_both_languages(app, text, french, english):
    with pytest.raises(playbooks.PlaybookError) as info:
        playbooks.load_playbook(text)
    (issue,) = info.value.errors
    assert issue.code, issue.message  # a code for the UI, and the English message for the CLI
    with app.test_request_context(), force_locale("fr"):
        assert issue_text(issue) == french
    with app.test_request_context(), force_locale("en"):
        assert issue_text(issue) == english


def test_an_issue_without_a_code_keeps_its_english_message(app):
    issue = playbooks.ValidationIssue("x.yaml", 1, 1, "something rare")
    with app.test_request_context(), force_locale("fr"):
        assert issue_text(issue) == "something rare"


def test_edit_refusals_are_translated(app):
    error = EditError("anchor", name="base", line=4)
    with app.test_request_context(), force_locale("en"):
        assert edit_error_text(error).startswith("This block defines the YAML anchor “&base”")
    with app.test_request_context(), force_locale("fr"):
        assert edit_error_text(error).startswith("Ce bloc définit l'ancre YAML « &base »")


def test_the_yaml_editor_shows_errors_in_the_ui_language(app, client, session):
    from tests.conftest import login, post
    from tests.factories import make_brand, make_user

    brand = make_brand(session)
    make_user(session, brand, role="playbook_editor", email="ed@example.test")
    login(client, "ed@example.test")
    bad = GOOD.replace("severity: S2", "severity: S9")
    data = {"brand_id": brand.id, "source": bad}
    html = post(client, "/playbooks/validate", data).get_data(as_text=True)
    assert "gravité inconnue « S9 »" in html
    post(client, "/language", {"lang": "en"})
    html = post(client, "/playbooks/validate", data).get_data(as_text=True)
    assert "unknown severity “S9”" in html
