"""Playbook forms: scenarios, their words, the delegation table and the SLA without YAML.

Each form edits the version it was opened on and saves a new draft (never published: the
draft goes to the backtest and the four-eyes review); the YAML editor stays for the rest.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

import playbooks
from app.extensions import db
from app.models import SEVERITIES, Brand, Playbook
from app.security.auth import permission_required
from app.services import playbook_form_edits as edits
from app.services import playbook_forms
from app.ui.labels import DECISION_LABELS
from app.ui.playbook_issues import edit_error_text, issue_text
from playbooks import yaml_edit
from playbooks.actions import ACTIONS
from playbooks.yaml_edit import EditError

bp = Blueprint("playbook_forms", __name__, url_prefix="/playbooks")
EDIT = "playbook.edit"
SCENARIO_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
INPUT_ERRORS = {
    "empty": _l("Ce champ est obligatoire."),
    "term": _l("Un terme tient sur une ligne, en 200 caractères au plus."),
    "too_many": _l("Trop d'éléments."),
    "duplicate": _l("Ce terme y est déjà."),
    "absent": _l("Ce terme n'y est pas."),
    "rule": _l("Cette règle est trop riche pour le formulaire : modifiez-la dans l'éditeur YAML."),
    "number": _l("Un nombre entier de minutes est attendu."),
    "choice": _l("Valeur non prévue."),
    "missing": _l("Scénario introuvable dans cette version."),
    "id": _l("Identifiant : minuscules, chiffres, « _ », « - » ou « . » (80 caractères au plus)."),
}
APPROVER_LABELS = {"": _l("par défaut"), "lead": _l("superviseur"), "brand": _l("la marque")}
# Where a load error shows: the form field its path names (else above the form).
_SCENARIO_FIELDS = {"when": "terms", "unless": "exceptions", "unless_scope": "exceptions"}


def _version(playbook_id: int) -> tuple[Playbook, Brand]:
    playbook = g.scope.get_or_404(db(), Playbook, playbook_id, EDIT)
    brand = db().get(Brand, playbook.brand_id)
    assert brand is not None
    return playbook, brand


def _source(playbook: Playbook) -> str:
    """The version's text; a version whose YAML does not parse cannot be edited by form."""
    try:
        yaml_edit.parse(playbook.source)
    except (playbooks.PlaybookError, EditError):
        abort(404)
    return playbook.source


def _seen() -> int:
    raw = request.form.get("seen_number", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else -1


def _field_of(path: tuple[Any, ...], index: int | None) -> str:
    """The form field a load issue's path points to ("" for the top of the form)."""
    if len(path) >= 3 and path[:2] == ("scenarios", index):
        return _SCENARIO_FIELDS.get(str(path[2]), str(path[2]))
    if path[:1] == ("lexicons",):
        return "terms"
    if path[:2] == ("sla", "minutes") and len(path) >= 3:
        return f"sla_{path[2]}"
    if path[:1] == ("severities",) and len(path) >= 2:
        return f"action_{path[1]}"
    return ""


def _load_errors(exc: playbooks.PlaybookError, index: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for issue in exc.errors[:30]:
        where = _field_of(issue.path, index)
        text = issue_text(issue)
        if not where:
            text = _("Ligne %(line)s : %(text)s", line=issue.line, text=text)
        errors.setdefault(where, []).append(text)
    return errors


def _save(
    playbook: Playbook, brand: Brand, source: str, form: str, changes: dict[str, Any], index: Any
) -> tuple[Any, dict[str, list[str]], int]:
    """Store the edited text as a new draft: (redirect, {}, 303) or (None, errors, status)."""
    try:
        draft = playbook_forms.save_form_draft(
            session=db(),
            brand=brand,
            base=playbook,
            source=source,
            actor=g.user,
            seen_number=_seen(),
            form=form,
            changes=changes,
        )
    except playbook_forms.NoChange:
        db().rollback()
        return None, {"": [_("Aucune modification à enregistrer.")]}, 422
    except playbook_forms.StaleForm as exc:
        db().rollback()
        message = _(
            "La version n° %(n)s a été enregistrée depuis l'ouverture de ce formulaire : "
            "rien n'a été enregistré. Vos saisies sont conservées ci-dessous ; ouvrez la "
            "dernière version pour les reporter.",
            n=exc.number,
        )
        return None, {"": [message]}, 409
    except playbooks.PlaybookError as exc:
        db().rollback()
        return None, _load_errors(exc, index), 422
    db().commit()
    flash(
        _(
            "Brouillon n° %(n)s enregistré (non publié) : rejouez-le puis proposez-le.",
            n=draft.number,
        ),
        "success",
    )
    return redirect(url_for("playbooks.edit", playbook_id=draft.id), 303), {}, 303


def _context(playbook: Playbook, brand: Brand, **extra: Any) -> dict[str, Any]:
    # A form shown again after an error keeps the number it was opened with: resubmitting a
    # stale form is refused again rather than undoing the newer version.
    seen = _seen() if request.method == "POST" else -1
    if seen < 0:
        seen = playbook_forms.latest_number(db(), brand.id, playbook.kind)  # type: ignore[arg-type]
    return {
        "playbook": playbook,
        "brand": brand,
        "seen_number": seen,
        "latest": playbook_forms.latest_version(db(), brand.id, playbook.kind),  # type: ignore[arg-type]
        "severities": SEVERITIES,
        "errors": {},
        **extra,
    }


@bp.get("/<int:playbook_id>/scenarios")
@permission_required(EDIT)
def scenarios(playbook_id: int) -> Any:
    """The version's scenarios, each with its form, and the delegation and SLA forms."""
    playbook, brand = _version(playbook_id)
    data, _smap = yaml_edit.parse(_source(playbook))
    rows = [s for s in data.get("scenarios") or [] if isinstance(s, dict) and "id" in s]
    return render_template(
        "playbooks/forms_index.html", **_context(playbook, brand, scenarios=rows)
    )


def _scenario_input(old: edits.ScenarioFields) -> edits.ScenarioFields:
    form = request.form
    new = edits.ScenarioFields(index=old.index, terms_mode=old.terms_mode, lexicon=old.lexicon)
    new.exceptions_editable = old.exceptions_editable
    new.id = old.id if old.index is not None else form.get("id", "").strip()
    if old.index is None and not SCENARIO_ID_RE.match(new.id):
        raise edits.FormInputError("id", "id")
    new.label = form.get("label", "").strip()[: edits.MAX_LABEL_CHARS]
    if not new.label or "\x00" in new.label:
        raise edits.FormInputError("label", "empty")
    new.severity = form.get("severity", "")
    if new.severity not in SEVERITIES:
        raise edits.FormInputError("severity", "choice")
    new.categories = edits.word_list(form.get("categories", ""), "categories")
    new.replies = edits.word_list(form.get("replies", ""), "replies")
    new.note = form.get("note", "").strip()[:500].replace("\x00", "")
    new.terms = (
        edits.term_lines(form.get("terms", ""), "terms") if old.terms_mode != "rule" else old.terms
    )
    if old.index is None and not new.terms:
        raise edits.FormInputError("terms", "empty")
    if old.exceptions_editable:
        new.exceptions = edits.term_lines(form.get("exceptions", ""), "exceptions")
    return new


def _scenario_page(
    playbook: Playbook, brand: Brand, fields: edits.ScenarioFields, **kw: Any
) -> Any:
    status = kw.pop("status", 200)
    typed = request.form if request.method == "POST" else {}
    return (
        render_template(
            "playbooks/scenario_form.html",
            **_context(playbook, brand, fields=fields, typed=typed, **kw),
        ),
        status,
    )


@bp.route("/<int:playbook_id>/scenarios/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new_scenario(playbook_id: int) -> Any:
    """A new scenario (label, severity, keywords, exceptions, replies) saved as a draft."""
    playbook, brand = _version(playbook_id)
    return _scenario(playbook, brand, edits.ScenarioFields(index=None))


@bp.route("/<int:playbook_id>/scenarios/<scenario_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def scenario(playbook_id: int, scenario_id: str) -> Any:
    """One scenario's form; saving writes only its block (and its lexicon's terms)."""
    playbook, brand = _version(playbook_id)
    fields = (
        edits.scenario_fields(_source(playbook), scenario_id)
        if SCENARIO_ID_RE.match(scenario_id)
        else None
    )
    if fields is None:
        abort(404)
    return _scenario(playbook, brand, fields)


def _scenario(playbook: Playbook, brand: Brand, old: edits.ScenarioFields) -> Any:
    if request.method == "GET":
        return _scenario_page(playbook, brand, old)
    source = _source(playbook)
    try:
        new = _scenario_input(old)
        edited, changes = edits.edit_scenario(source, old, new)
    except edits.FormInputError as exc:
        errors = {exc.field: [str(INPUT_ERRORS.get(exc.code, exc.code))]}
        return _scenario_page(playbook, brand, old, errors=errors, status=422)
    except EditError as exc:
        return _scenario_page(playbook, brand, old, errors={"": [edit_error_text(exc)]}, status=422)
    changes = {"scenario": new.id, **changes}
    index = old.index if old.index is not None else len(_scenario_count(source))
    done, errors, status = _save(playbook, brand, edited, "scenario", changes, index)
    if done is not None:
        return done
    return _scenario_page(playbook, brand, old, errors=errors, status=status)


def _scenario_count(source: str) -> list[Any]:
    data, _smap = yaml_edit.parse(source)
    return list(data.get("scenarios") or [])


@bp.post("/<int:playbook_id>/scenarios/<scenario_id>/terms")
@permission_required(EDIT)
def scenario_term(playbook_id: int, scenario_id: str) -> Any:
    """Add or remove one word of a scenario (its keywords or lexicon, or its exceptions)."""
    playbook, brand = _version(playbook_id)
    source = _source(playbook)
    old = edits.scenario_fields(source, scenario_id) if SCENARIO_ID_RE.match(scenario_id) else None
    if old is None:
        abort(404)
    target = "exceptions" if request.form.get("target") == "exceptions" else "terms"
    field_name = "new_exception" if target == "exceptions" else "new_term"
    try:
        term = edits.clean_term(request.form.get("term", ""), field_name)
        remove = request.form.get("action") == "remove"
        edited, change = edits.edit_term(source, scenario_id, target, term, remove)
    except edits.FormInputError as exc:
        errors = {field_name: [str(INPUT_ERRORS.get(exc.code, exc.code))]}
        return _scenario_page(playbook, brand, old, errors=errors, status=422)
    except EditError as exc:
        return _scenario_page(playbook, brand, old, errors={"": [edit_error_text(exc)]}, status=422)
    done, errors, status = _save(playbook, brand, edited, "term", change, old.index)
    if done is not None:
        return done
    return _scenario_page(playbook, brand, old, errors=errors, status=status)


def _table_page(playbook: Playbook, brand: Brand, **kw: Any) -> Any:
    status = kw.pop("status", 200)
    source = playbook.source
    return (
        render_template(
            "playbooks/delegation_form.html",
            **_context(
                playbook,
                brand,
                rows=edits.delegation_rows(source),
                sla=edits.sla_minutes(source),
                actions=list(ACTIONS),
                approvers=APPROVER_LABELS,
                action_labels=DECISION_LABELS,
                typed=request.form if request.method == "POST" else {},
                **kw,
            ),
        ),
        status,
    )


@bp.get("/<int:playbook_id>/delegation")
@permission_required(EDIT)
def delegation(playbook_id: int) -> Any:
    """The delegation table (action and approver per severity) and the SLA per severity."""
    playbook, brand = _version(playbook_id)
    _source(playbook)
    return _table_page(playbook, brand)


@bp.post("/<int:playbook_id>/delegation")
@permission_required(EDIT)
def save_delegation(playbook_id: int) -> Any:
    """Write the delegation table's changed severities into a new draft."""
    playbook, brand = _version(playbook_id)
    source = _source(playbook)
    wanted: dict[str, dict[str, str]] = {}
    for sev in SEVERITIES:
        action = request.form.get(f"action_{sev}", "")
        approver = request.form.get(f"approver_{sev}", "")
        if action not in ACTIONS:
            return _table_page(
                playbook, brand, errors={f"action_{sev}": [str(INPUT_ERRORS["choice"])]}, status=422
            )
        if approver not in APPROVER_LABELS:
            return _table_page(
                playbook, brand, errors={f"action_{sev}": [str(INPUT_ERRORS["choice"])]}, status=422
            )
        wanted[sev] = {"action": action, "approver": approver}
    try:
        edited, changes = edits.edit_delegation(source, wanted)
    except EditError as exc:
        return _table_page(playbook, brand, errors={"": [edit_error_text(exc)]}, status=422)
    done, errors, status = _save(playbook, brand, edited, "delegation", changes, None)
    return done if done is not None else _table_page(playbook, brand, errors=errors, status=status)


@bp.post("/<int:playbook_id>/sla")
@permission_required(EDIT)
def save_sla(playbook_id: int) -> Any:
    """Write the answer targets per severity (minutes) into a new draft."""
    playbook, brand = _version(playbook_id)
    source = _source(playbook)
    wanted: dict[str, int | None] = {}
    for sev in SEVERITIES:
        raw = request.form.get(f"sla_{sev}", "").strip()
        if not raw:
            wanted[sev] = None
            continue
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
            return _table_page(
                playbook, brand, errors={f"sla_{sev}": [str(INPUT_ERRORS["number"])]}, status=422
            )
        wanted[sev] = int(raw)
    try:
        edited, changes = edits.edit_sla(source, wanted)
    except EditError as exc:
        return _table_page(playbook, brand, errors={"": [edit_error_text(exc)]}, status=422)
    done, errors, status = _save(playbook, brand, edited, "sla", changes, None)
    return done if done is not None else _table_page(playbook, brand, errors=errors, status=status)
