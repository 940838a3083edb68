"""Playbook editors' pages: versions, a validating editor, sentence tests, backtests, publishing."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select

import playbooks
from app.extensions import db, htmx
from app.models import SEVERITIES, TIERS, Brand, Mention, Playbook, Triage, User
from app.params import digits
from app.security.auth import permission_required
from app.services import backtest, brand_lexicons, brands, content, playbook_reviews
from app.ui.labels import DECISION_LABELS
from app.ui.text_markup import highlight
from app.views import playbook_reviews as review_views

bp = Blueprint("playbooks", __name__, url_prefix="/playbooks")
EDIT = "playbook.edit"
SOURCE_NAME = "playbook.yaml"
MAX_SOURCE_CHARS = 500_000
CHANNELS = (
    "x",
    "mastodon",
    "bluesky",
    "facebook",
    "instagram",
    "youtube",
    "google_business",
    "webhook",
    "demo",
)
TIER_LABELS = {
    "platine": "Platine",
    "or": "Or",
    "argent": "Argent",
    "cuivre": "Cuivre",
    "fer_blanc": "Fer blanc",
}


@dataclass(frozen=True)
class Checked:
    """The editor's text after validation: the compiled engine or the issues, plus warnings."""

    source: str
    engine: playbooks.Playbook | None
    errors: list[playbooks.ValidationIssue]
    warnings: list[str]

    @property
    def error_lines(self) -> set[int]:
        return {issue.line for issue in self.errors}

    @property
    def line_count(self) -> int:
        return max(1, self.source.count("\n") + 1)


def _brands() -> list[Brand]:
    return list(db().exec(g.scope.select(Brand, EDIT).order_by(Brand.name)).all())


def _brand(raw: str | None) -> Brand:
    """The brand asked for (404 when not the editor's), else the editor's first brand."""
    if raw and digits(raw):
        return g.scope.get_or_404(db(), Brand, int(raw), EDIT)
    brands = _brands()
    if not brands:
        abort(404)
    return brands[0]


def _playbook(playbook_id: int) -> Playbook:
    return g.scope.get_or_404(db(), Playbook, playbook_id, EDIT)


def _published(brand: Brand, kind: str = "normal") -> Playbook | None:
    query = select(Playbook).where(Playbook.brand_id == brand.id, Playbook.status == "published")
    return db().exec(query.where(Playbook.kind == kind)).first()


def _kind(playbook: Playbook | None) -> str:
    """A version's variant: its own, else the one asked for (a new crisis draft: kind=crisis)."""
    return playbook.kind if playbook else request.values.get("kind", "normal")


def _emails(ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = db().exec(select(User.id, User.email).where(col(User.id).in_(wanted))).all()
    return {uid: email for uid, email in rows if uid is not None}


def _form_source() -> str:
    # Browsers send CRLF from textareas; the stored text and line numbers use LF.
    return request.form.get("source", "")[:MAX_SOURCE_CHARS].replace("\r\n", "\n")


@lru_cache(maxsize=4)
def _compile_draft(
    source: str, lexicons: tuple[playbooks.StoredLexicon, ...] = ()
) -> playbooks.Playbook:
    # Not compiled_playbooks.compile_playbook: every keystroke is a new text and a compiled playbook
    # weighs ~11 MB, so drafts being typed get a small cache of their own.
    return playbooks.load_playbook(
        source, source=SOURCE_NAME, stored_lexicons={s.name: s for s in lexicons}
    )


def check_source(source: str, brand: Brand) -> Checked:
    """Validate playbook text; unknown reply keys are warnings (the library may come later)."""
    if not source.strip():
        issue = playbooks.ValidationIssue(SOURCE_NAME, 1, 1, _("Le playbook est vide."))
        return Checked(source, None, [issue], [])
    try:
        stored = brand_lexicons.stored_for_playbook(
            session=db(),
            brand_id=brand.id,  # type: ignore[arg-type]
            source=source,
        )
        engine = _compile_draft(source, stored)
    except playbooks.PlaybookError as exc:
        return Checked(source, None, list(exc.errors), [])
    known = content.known_reply_keys(session=db(), brand_id=brand.id)  # type: ignore[arg-type]
    missing = sorted(set(engine.reply_keys) - known)
    warnings = [
        _("Réponse type « %(key)s » absente de la bibliothèque de la marque.", key=key)
        for key in missing
    ]
    return Checked(source, engine, [], warnings)


def source_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A unified line diff as (kind, line) pairs; kind is add, del, hunk or same."""
    lines: list[tuple[str, str]] = []
    diff = difflib.unified_diff(
        old.splitlines(), new.splitlines(), "publié", "brouillon", n=3, lineterm=""
    )
    for line in diff:
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines


def _int(raw: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(raw or default)))
    except ValueError:
        return default


def _page_context(brand: Brand, playbook: Playbook | None, checked: Checked) -> dict[str, Any]:
    published = _published(brand, _kind(playbook))
    return {
        "brand": brand,
        "brands": _brands(),
        "playbook": playbook,
        "kind": _kind(playbook),
        "published": published,
        "checked": checked,
        "diff": source_diff(published.source, checked.source) if published else None,
        "channels": CHANNELS,
        "tiers": TIERS,
        "tier_labels": TIER_LABELS,
        "action_labels": DECISION_LABELS,
        "highlight": highlight,
        "severities": SEVERITIES,
        "max_days": backtest.MAX_DAYS,
        "max_mentions": backtest.MAX_MENTIONS,
        "try_form": request.form if request.method == "POST" else {},
        "emails": _emails(
            {playbook.created_by_id, playbook.published_by_id} if playbook else set()
        ),
        "review": playbook_reviews.open_review(db(), playbook.id) if playbook else None,  # type: ignore[arg-type]
    }


def _editor(
    brand: Brand,
    playbook: Playbook | None,
    checked: Checked,
    status: int = 200,
    **extra: Any,
) -> Any:
    return render_template(
        "playbooks/editor.html", **_page_context(brand, playbook, checked), **extra
    ), status


@bp.get("")
@permission_required(EDIT)
def index() -> Any:
    """A brand's published playbook, its drafts and the history of every version."""
    brand = _brand(request.args.get("brand_id"))
    rows = list(
        db().exec(
            select(Playbook)
            .where(Playbook.brand_id == brand.id)
            .order_by(col(Playbook.number).desc())
        )
    )
    emails = _emails({r.created_by_id for r in rows} | {r.published_by_id for r in rows})
    overrides = len(
        db()
        .exec(select(Triage.id).where(Triage.brand_id == brand.id, Triage.source == "override"))
        .all()
    )
    return render_template(
        "playbooks/index.html",
        brand=brand,
        brands=_brands(),
        published=next((r for r in rows if r.status == "published" and r.kind == "normal"), None),
        crisis=next((r for r in rows if r.status == "published" and r.kind == "crisis"), None),
        drafts=[r for r in rows if r.status in ("draft", "proposed")],
        history=rows,
        emails=emails,
        overrides=overrides,
        deadlines=brands.deadlines(session=db(), brand=brand),
        severities=SEVERITIES,
        can_edit_brand=g.scope.can("admin.manage", brand.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(EDIT)
def new() -> Any:
    """Start a draft from the published version (or blank) and save it once it validates."""
    brand = _brand(request.values.get("brand_id"))
    if request.method == "GET":
        # A crisis variant starts from the published crisis one, else from the normal playbook.
        published = _published(brand, _kind(None)) or _published(brand)
        source = published.source if published else ""
        return _editor(brand, None, Checked(source, None, [], []))
    return _save(brand, None)


@bp.route("/<int:playbook_id>", methods=["GET", "POST"])
@permission_required(EDIT)
def edit(playbook_id: int) -> Any:
    """Edit a version: a draft is changed in place, any other version starts a new draft."""
    playbook = _playbook(playbook_id)
    brand = db().get(Brand, playbook.brand_id)
    assert brand is not None
    if request.method == "GET":
        return _editor(brand, playbook, check_source(playbook.source, brand))
    return _save(brand, playbook)


def _save(brand: Brand, playbook: Playbook | None) -> Any:
    """Store the editor's text as a draft (and propose it for approval when asked); refuse
    invalid text. Nobody publishes from here: someone else approves (four eyes)."""
    session = db()
    source = _form_source()
    propose = request.form.get("intent") in ("propose", "publish")
    checked = check_source(source, brand)
    if checked.errors:
        if propose:
            flash(_("Proposition refusée : corrigez les erreurs signalées."), "error")
        else:
            flash(_("Brouillon non enregistré : corrigez les erreurs signalées."), "error")
        return _editor(brand, playbook, checked, 422)
    if playbook is not None and playbook.status == "draft":
        content.update_playbook_draft(
            session=session, playbook=playbook, source=source, actor=g.user
        )
        row = playbook
    elif playbook is not None and playbook.source == source:
        row = playbook  # unchanged: proposing an old version again is a rollback
    else:
        row = content.save_playbook(
            session=session, brand=brand, source=source, actor=g.user, kind=_kind(playbook)
        )
    if not propose:
        flash(_("Brouillon %(number)s enregistré.", number=row.number), "success")
        session.commit()
        return redirect(url_for("playbooks.edit", playbook_id=row.id))
    return review_views.propose_or_rollback(row, request.form.get("comment", ""))


@bp.post("/validate")
@permission_required(EDIT)
def validate() -> Any:
    """Live validation while typing: the issues with their line, and the line gutter."""
    brand = _brand(request.form.get("brand_id"))
    checked = check_source(_form_source(), brand)
    if htmx:
        published = _published(brand, _kind(_optional_playbook(brand)))
        return render_template(
            "playbooks/_validation.html",
            checked=checked,
            oob=True,
            published=published,
            diff=source_diff(published.source, checked.source) if published else None,
        )
    return _editor(brand, _optional_playbook(brand), checked)


def _optional_playbook(brand: Brand) -> Playbook | None:
    raw = request.form.get("playbook_id", "")
    if not digits(raw):
        return None
    playbook = _playbook(int(raw))
    if playbook.brand_id != brand.id:
        abort(404)
    return playbook


@bp.post("/try")
@permission_required(EDIT)
def try_sentence() -> Any:
    """Run the editor's text on one sentence and show the decision with its evidence."""
    brand = _brand(request.form.get("brand_id"))
    checked = check_source(_form_source(), brand)
    text = request.form.get("try_text", "")[:5000]
    decision = None
    if checked.engine is not None and text.strip():
        mention = playbooks.MentionInput(
            text=text,
            lang=request.form.get("try_lang") or None,
            channel=request.form.get("try_channel") or "x",
            author=playbooks.AuthorProfile(
                tier=request.form.get("try_tier") or None,
                vip=request.form.get("try_vip") == "1",
                followers=_int(request.form.get("try_followers"), 0, 0, 10**9),
                verified=request.form.get("try_verified") == "1",
            ),
        )
        decision = checked.engine.decide(mention, brands.playbook_context(brand))
    extra: dict[str, Any] = {"decision": decision, "try_text": text}
    if htmx:
        return render_template(
            "playbooks/_decision.html",
            checked=checked,
            action_labels=DECISION_LABELS,
            highlight=highlight,
            **extra,
        )
    return _editor(brand, _optional_playbook(brand), checked, **extra)


@bp.post("/backtest")
@permission_required(EDIT)
def run_backtest() -> Any:
    """Replay the editor's text on the brand's recent mentions and compare with their triage."""
    brand = _brand(request.form.get("brand_id"))
    checked = check_source(_form_source(), brand)
    days = _int(request.form.get("days"), 30, 1, backtest.MAX_DAYS)
    result = None
    if checked.engine is not None:
        result = backtest.run_backtest(session=db(), brand=brand, engine=checked.engine, days=days)
    extra: dict[str, Any] = {"result": result, "days": days}
    if htmx:
        return render_template(
            "playbooks/_backtest.html", checked=checked, action_labels=DECISION_LABELS, **extra
        )
    return _editor(brand, _optional_playbook(brand), checked, **extra)


@bp.get("/overrides")
@permission_required(EDIT)
def overrides() -> Any:
    """Reviewers' corrections of the playbook's triage, newest first, to improve the playbook."""
    brand = _brand(request.args.get("brand_id"))
    session = db()
    rows = list(
        session.exec(
            select(Triage, Mention)
            .join(Mention, col(Mention.id) == col(Triage.mention_id))
            .where(Triage.brand_id == brand.id, Triage.source == "override")
            .order_by(col(Triage.created_at).desc(), col(Triage.id).desc())
            .limit(200)
        ).all()
    )
    mention_ids = [m.id for _, m in rows]
    engine_rows = list(
        session.exec(
            select(Triage)
            .where(col(Triage.mention_id).in_(mention_ids), Triage.source == "engine")
            .order_by(col(Triage.created_at), col(Triage.id))
        )
    )
    # The engine's decision just before each override is what the reviewer corrected.
    previous: dict[int, Triage] = {}
    for override, _mention in rows:
        for row in engine_rows:
            if row.mention_id == override.mention_id and row.created_at <= override.created_at:
                previous[override.id] = row  # type: ignore[index]
    moves: dict[tuple[str, str], int] = {}
    for override, _mention in rows:
        before = previous.get(override.id)  # type: ignore[arg-type]
        if before is not None:
            key = (before.severity, override.severity)
            moves[key] = moves.get(key, 0) + 1
    return render_template(
        "playbooks/overrides.html",
        brand=brand,
        brands=_brands(),
        rows=rows,
        previous=previous,
        moves=sorted(moves.items(), key=lambda kv: -kv[1]),
        emails=_emails({t.created_by_id for t, _ in rows}),
    )
