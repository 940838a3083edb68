"""Canned replies: a searchable library, an editor with live proofreading and preview, approval."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, or_
from sqlmodel import col, select

import canned_replies
from app.extensions import db, htmx
from app.models import Brand, CannedReply, CannedReplyVersion, User
from app.params import digits
from app.security.auth import permission_required
from app.services import content, proofreading_overrides, public_text
from app.services.content import ContentError
from app.ui.text_markup import mark_findings

bp = Blueprint("canned_replies", __name__, url_prefix="/canned-replies")
EDIT = "playbook.edit"
LANGUAGES = ("fr", "en")
STATUSES = ("draft", "approved")
CHANNELS = (
    "x",
    "bluesky",
    "mastodon",
    "facebook",
    "instagram",
    "youtube",
    "google_business",
    "webhook",
)
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,119}$")
MAX_BODY = 5000
# A fictitious author the preview fills variables from; anything else shows as missing.
SAMPLE_VALUES = {
    "prenom": "Camille",
    "first_name": "Camille",
    "nom": "Camille Martin",
    "name": "Camille Martin",
    "pseudo": "@camille_m",
    "handle": "@camille_m",
    "reference": "ABC123",
    "reference_reservation": "QKZ4TR",
    "reference_commande": "CMD-48213",
    "numero_train": "6612",
    "gare": "Lyon Part-Dieu",
    "date": "14 juin",
    "delai": "48 heures",
    "agent": "Léa",
    "signature": "Léa",
}


@dataclass(frozen=True)
class Review:
    """Everything the editor shows about a body: findings, preview, lengths, template error."""

    body: str
    findings: list[canned_replies.Finding]
    unavailable: str | None
    preview: Markup
    missing: list[str]
    lengths: list[tuple[str, canned_replies.LengthCheck]]
    template_error: str | None

    @property
    def blocking(self) -> bool:
        """Approval needs an override reason: mistakes found, or proofreading unavailable."""
        return any(f.blocking for f in self.findings) or not self.proofreading_ok

    @property
    def proofreading_ok(self) -> bool:
        """False when no checker could read the body (missing engine, unsupported language)."""
        return self.unavailable is None

    def marked_body(self) -> Markup:
        """The body escaped, each finding wrapped in a numbered <mark>."""
        return mark_findings(self.body, self.findings)


def review(body: str, language: str, brand: Brand, channels: list[str]) -> Review:
    """Proofread a body and render its preview with the sample author."""
    # The publish gate's proofreading: a missing checker is reported, other errors are bugs.
    proofreading = public_text.proofread(brand=brand, text=body, language=language)
    template_error = None
    try:
        rendered = canned_replies.render(body, {**SAMPLE_VALUES, "marque": brand.name})
        text, missing = rendered.text, rendered.missing
    except canned_replies.TemplateError as exc:
        text, missing, template_error = body, [], str(exc)
    preview = Markup("").join(
        Markup('<mark class="missing">{}</mark>').format(part) if i % 2 else escape(part)
        for i, part in enumerate(canned_replies.split_markers(text))
    )
    lengths = [(c, canned_replies.check_length(text, c)) for c in (channels or CHANNELS)]
    return Review(
        body,
        proofreading.findings,
        proofreading.unavailable,
        preview,
        missing,
        lengths,
        template_error,
    )


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())


def _reply(canned_reply_id: int) -> CannedReply:
    return g.scope.get_or_404(db(), CannedReply, canned_reply_id, EDIT)


def _brand_of(reply: CannedReply) -> Brand:
    brand = db().get(Brand, reply.brand_id)
    assert brand is not None
    return brand


def _list_form(name: str) -> list[str]:
    """A list field sent as repeated values or as one comma-separated string."""
    items: list[str] = []
    for raw in request.form.getlist(name):
        items += [part.strip() for part in raw.split(",") if part.strip()]
    return list(dict.fromkeys(items))[:30]


def _form_values() -> dict[str, Any]:
    return {
        "key": request.form.get("key", "").strip().lower()[:120],
        "language": request.form.get("language", "fr"),
        "title": request.form.get("title", "").strip()[:200],
        "body": request.form.get("body", "").replace("\r\n", "\n")[:MAX_BODY],
        "scenarios": _list_form("scenarios"),
        "channels": [c for c in _list_form("channels") if c in CHANNELS],
    }


def _problems(values: dict[str, Any], *, new: bool) -> list[str]:
    problems = []
    if new and not KEY_RE.match(values["key"]):
        problems.append(
            _("La clé doit faire 2 à 120 caractères : minuscules, chiffres, « . », « _ », « - ».")
        )
    if values["language"] not in LANGUAGES:
        problems.append(_("Langue inconnue."))
    if not values["title"]:
        problems.append(_("Donnez un titre à la réponse."))
    if not values["body"].strip():
        problems.append(_("Le texte de la réponse est vide."))
    return problems


def _emails(ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = db().exec(select(User.id, User.email).where(col(User.id).in_(wanted))).all()
    return {uid: email for uid, email in rows if uid is not None}


@bp.get("")
@permission_required(EDIT)
def index() -> Any:
    """The library: search by key, title or text; filter by brand, language, status, scenario."""
    brands = _brands()
    allowed = {b.id for b in brands}
    args = request.args
    stmt = g.scope.select(CannedReply, EDIT)
    brand_id = args.get("brand_id", "")
    if digits(brand_id) and int(brand_id) in allowed:
        stmt = stmt.where(CannedReply.brand_id == int(brand_id))
    if args.get("language") in LANGUAGES:
        stmt = stmt.where(CannedReply.language == args["language"])
    if args.get("status") in STATUSES:
        stmt = stmt.where(CannedReply.status == args["status"])
    q = args.get("q", "").strip()[:100]
    if q:
        pattern = "%" + q.lower().replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                func.lower(CannedReply.key).like(pattern, escape="\\"),
                func.lower(CannedReply.title).like(pattern, escape="\\"),
                func.lower(CannedReply.body).like(pattern, escape="\\"),
            )
        )
    rows = list(db().exec(stmt.order_by(CannedReply.key, CannedReply.language)).all())
    scenario = args.get("scenario", "").strip()
    scenarios = sorted({s for r in rows for s in (r.scenarios or [])})
    if scenario:
        rows = [r for r in rows if scenario in (r.scenarios or [])]
    context = {
        "rows": rows,
        "brands": brands,
        "brand_names": {b.id: b.name for b in brands},
        "filters": args,
        "scenarios": scenarios,
        "languages": LANGUAGES,
    }
    if htmx and htmx.target == "cr-results":
        return render_template("canned_replies/_results.html", **context)
    return render_template("canned_replies/index.html", **context)


def _editor(
    brand: Brand | None,
    reply: CannedReply | None,
    values: dict[str, Any],
    problems: list[str] | None = None,
    status: int = 200,
) -> Any:
    brands = _brands()
    shown = brand or (brands[0] if brands else None)
    rv = review(values["body"], values["language"], shown, values["channels"]) if shown else None
    return render_template(
        "canned_replies/editor.html",
        brand=brand,
        brands=brands,
        reply=reply,
        values=values,
        problems=problems or [],
        review=rv,
        languages=LANGUAGES,
        channels=CHANNELS,
        emails=_emails({reply.updated_by_id} if reply else set()),
    ), status


@bp.get("/overrides")
@permission_required(EDIT)
def overrides() -> Any:
    """Proofreading rules that writers override, with their reasons, for the user's brands."""
    brands = _brands()
    allowed = [b.id for b in brands if b.id is not None]
    raw = request.args.get("brand_id", "")
    chosen = [int(raw)] if digits(raw) and int(raw) in allowed else allowed
    rules = proofreading_overrides.report(session=db(), brand_ids=chosen)
    return render_template(
        "canned_replies/overrides.html",
        rules=rules,
        brands=brands,
        brand_names={b.id: b.name for b in brands},
        brand_id=raw if digits(raw) and int(raw) in allowed else "",
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new() -> Any:
    """Write a new canned reply; it starts as a draft until approved."""
    if request.method == "GET":
        brands = _brands()
        raw = request.args.get("brand_id", "")
        brand = next((b for b in brands if str(b.id) == raw), brands[0] if brands else None)
        if brand is None:
            abort(404)
        values: dict[str, Any] = {
            "key": "",
            "language": "fr",
            "title": "",
            "body": "",
            "scenarios": [],
            "channels": list(CHANNELS),
        }
        return _editor(brand, None, values)
    raw = request.form.get("brand_id", "")
    if not digits(raw):
        abort(404)
    brand = g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    values = _form_values()
    problems = _problems(values, new=True)
    existing = (
        db()
        .exec(
            select(CannedReply.id).where(
                CannedReply.brand_id == brand.id,
                CannedReply.key == values["key"],
                CannedReply.language == values["language"],
            )
        )
        .first()
    )
    if existing is not None:
        problems.append(_("Cette clé existe déjà dans cette langue pour cette marque."))
    if problems:
        return _editor(brand, None, values, problems, 422)
    reply = content.upsert_canned_reply(
        session=db(), brand=brand, status="draft", actor=g.user, **values
    )
    db().commit()
    flash(_("Réponse type créée (brouillon)."), "success")
    return redirect(url_for("canned_replies.edit", canned_reply_id=reply.id))


@bp.route("/<int:canned_reply_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(canned_reply_id: int) -> Any:
    """Edit a canned reply; changing its text or title sends it back to draft."""
    reply = _reply(canned_reply_id)
    brand = _brand_of(reply)
    if request.method == "GET":
        values: dict[str, Any] = {
            "key": reply.key,
            "language": reply.language,
            "title": reply.title,
            "body": reply.body,
            "scenarios": list(reply.scenarios or []),
            "channels": list(reply.channels or []),
        }
        return _editor(brand, reply, values)
    values = {**_form_values(), "key": reply.key, "language": reply.language}
    problems = _problems(values, new=False)
    if problems:
        return _editor(brand, reply, values, problems, 422)
    text_changed = (values["title"], values["body"]) != (reply.title, reply.body)
    was_approved = reply.status == "approved"
    # An approval covers one text: a new text must be approved again before use.
    status = "draft" if text_changed else reply.status
    version = reply.version
    content.upsert_canned_reply(session=db(), brand=brand, status=status, actor=g.user, **values)
    db().commit()
    if reply.version == version:
        flash(_("Aucun changement."), "info")
    elif was_approved and status == "draft":
        flash(_("Version %(v)s enregistrée : à approuver avant usage.", v=reply.version), "success")
    else:
        flash(_("Version %(v)s enregistrée.", v=reply.version), "success")
    return redirect(url_for("canned_replies.edit", canned_reply_id=reply.id))


@bp.post("/check")
@permission_required(EDIT)
def check() -> Any:
    """Live proofreading and preview of the body being typed (a fragment for htmx)."""
    raw = request.form.get("brand_id", "")
    if not digits(raw):
        abort(404)
    brand = g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    values = _form_values()
    if values["language"] not in LANGUAGES:
        values["language"] = "fr"
    if not htmx:
        reply = None
        raw_reply = request.form.get("canned_reply_id", "")
        if digits(raw_reply):
            reply = _reply(int(raw_reply))
            if reply.brand_id != brand.id:
                abort(404)
        return _editor(brand, reply, values)
    rv = review(values["body"], values["language"], brand, values["channels"])
    return render_template("canned_replies/_review.html", review=rv)


@bp.post("/<int:canned_reply_id>/approve")
@permission_required(EDIT)
def approve(canned_reply_id: int) -> Any:
    """Approve the stored text; proofreading findings need an override reason (audited)."""
    reply = _reply(canned_reply_id)
    brand = _brand_of(reply)
    rv = review(reply.body, reply.language, brand, list(reply.channels or []))
    try:
        content.approve_canned_reply(
            session=db(),
            reply=reply,
            actor=g.user,
            blocking=[f for f in rv.findings if f.blocking],
            unproofread=not rv.proofreading_ok,
            override_reason=request.form.get("override_reason", "")[:1000],
        )
    except ContentError as exc:
        db().rollback()
        flash(str(exc), "error")
        return redirect(url_for("canned_replies.edit", canned_reply_id=reply.id))
    db().commit()
    flash(_("Réponse approuvée : elle peut être proposée aux community managers."), "success")
    return redirect(url_for("canned_replies.edit", canned_reply_id=reply.id))


def word_diff(old: str, new: str) -> Markup:
    """An inline word diff: removed words in <del>, added ones in <ins>, all escaped."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if j2 > j1:
            parts.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(parts)


@bp.get("/<int:canned_reply_id>/versions")
@permission_required(EDIT)
def versions(canned_reply_id: int) -> Any:
    """Every version of a canned reply, newest first, each with its changes."""
    reply = _reply(canned_reply_id)
    rows = list(
        db().exec(
            select(CannedReplyVersion)
            .where(CannedReplyVersion.canned_reply_id == reply.id)
            .order_by(col(CannedReplyVersion.version))
        )
    )
    items = []
    for i, row in enumerate(rows):
        prev = rows[i - 1] if i else None
        items.append(
            {
                "row": row,
                "diff": word_diff(prev.body, row.body) if prev else escape(row.body),
                "title_changed": bool(prev and prev.title != row.title),
                "status_changed": bool(prev and prev.status != row.status),
            }
        )
    items.reverse()
    return render_template(
        "canned_replies/versions.html",
        reply=reply,
        brand=_brand_of(reply),
        items=items,
        emails=_emails({r.changed_by_id for r in rows}),
    )
