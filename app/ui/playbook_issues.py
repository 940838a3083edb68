"""Playbook validation issues and YAML edit refusals said in the UI's language.

The playbooks package gives each common issue a code and params (and keeps its English message
for the command line); here each code has a French template, translated like every UI string.
An issue without a known code keeps its English message.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from playbooks import ValidationIssue
from playbooks.yaml_edit import EditError

TEMPLATES = {
    "yaml_syntax": _l("YAML invalide (ligne %(line)s, colonne %(column)s) : %(problem)s"),
    "empty": _l("Le playbook est vide : un dictionnaire (format, scenarios…) est attendu."),
    "not_mapping": _l("Un dictionnaire est attendu (format, scenarios…)."),
    "too_big": _l("YAML trop volumineux ou trop imbriqué (alias ?)."),
    "too_deep": _l("YAML trop imbriqué."),
    "plain_key": _l("Une clé simple est attendue."),
    "duplicate_key": _l("Clé « %(key_name)s » en double."),
    "unknown_key": _l("Clé inconnue « %(key_name)s »."),
    "missing_key": _l("Clé obligatoire « %(key_name)s » absente de %(where)s."),
    "bad_severity": _l("%(where)s : gravité inconnue « %(value)s » (attendu : S0 à S4)."),
    "bad_choice": _l("%(where)s : valeur « %(value)s » non prévue (attendu : %(expected)s)."),
    "wrong_type": _l("%(where)s : %(expected)s attendu."),
    "out_of_range": _l("%(where)s : valeur hors limites (%(bound)s %(limit)s)."),
    "bad_identifier": _l(
        "%(where)s : identifiant « %(value)s » invalide "
        "(minuscules, chiffres, « _ », « - », « . »)."
    ),
    "unknown_action": _l("%(where)s : action inconnue « %(action)s » (attendu : %(expected)s)."),
    "bad_approver": _l(
        "L'action « %(action)s » n'admet pas l'approbateur « %(approver)s » (permis : %(allowed)s)."
    ),
    "duplicate_id": _l("Identifiant « %(id)s » en double (%(what)s)."),
    "unknown_scenario": _l("Scénario inconnu « %(id)s » (scénarios : %(known)s)."),
    "unknown_reply_key": _l("Réponse type inconnue « %(key_name)s »."),
    "unknown_lexicon": _l("Lexique inconnu « %(name)s » (lexiques déclarés : %(known)s)."),
    "empty_lexicon": _l("Le lexique « %(name)s » n'a ni termes, ni fichiers, ni lexique stocké."),
    "no_keyword": _l("Au moins un mot-clé est attendu."),
    "bad_term": _l("Terme « %(term)s » mal écrit : %(problem)s"),
}
SUGGESTION = _l("Vouliez-vous dire « %(suggestion)s » ?")
EXPECTED_TYPES = {
    "text": _l("un texte"),
    "integer": _l("un nombre entier"),
    "number": _l("un nombre"),
    "boolean": _l("oui ou non (true/false)"),
    "list": _l("une liste"),
    "mapping": _l("un dictionnaire"),
}
BOUNDS = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<", "max_length": _l("longueur ≤")}
SECTIONS = {
    "scenarios": _l("scénarios"),
    "delegation": _l("règles de délégation"),
    "route": _l("règles d'affectation"),
}
EDIT_ERRORS = {
    "anchor": _l(
        "Ce bloc définit l'ancre YAML « &%(name)s » (ligne %(line)s) : modifiez-le dans "
        "l'éditeur YAML."
    ),
    "not_mapping": _l("Le YAML n'a pas la forme attendue à cet endroit : utilisez l'éditeur YAML."),
    "not_list": _l("Une liste est attendue à cet endroit : utilisez l'éditeur YAML."),
    "missing": _l("Élément introuvable dans le playbook."),
}


def _params(code: str, params: dict[str, Any]) -> dict[str, Any]:
    out = {k: ("" if v is None else v) for k, v in params.items()}
    if code == "wrong_type":
        out["expected"] = str(EXPECTED_TYPES.get(str(out.get("expected")), out.get("expected")))
    if code == "out_of_range":
        out["bound"] = str(BOUNDS.get(str(out.get("bound")), out.get("bound")))
    if code == "duplicate_id":
        out["what"] = str(SECTIONS.get(str(out.get("what")), out.get("what")))
    if code in ("unknown_scenario", "unknown_lexicon") and not out.get("known"):
        out["known"] = _("aucun")
    if code == "bad_approver" and not out.get("allowed"):
        out["allowed"] = _("aucun")
    return out


def issue_text(issue: ValidationIssue) -> str:
    """The issue's message in the UI's language (its English message for unknown codes)."""
    template = TEMPLATES.get(issue.code)
    if template is None:
        return issue.message
    params = _params(issue.code, dict(issue.params))
    try:
        text = str(template) % params
    except (KeyError, TypeError, ValueError):
        return issue.message
    if params.get("suggestion"):
        text = f"{text} {SUGGESTION % {'suggestion': params['suggestion']}}"
    return text


def edit_error_text(error: EditError) -> str:
    """Why a form's edit could not be written into the YAML, in the UI's language."""
    template = EDIT_ERRORS.get(error.code, EDIT_ERRORS["missing"])
    try:
        return str(template) % error.params
    except (KeyError, TypeError, ValueError):
        return str(EDIT_ERRORS["missing"])
