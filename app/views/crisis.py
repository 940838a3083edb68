"""The crisis page: a brand's volumes against its usual hours, storm alerts, crisis mode on and
off, storm-watch settings, and the report of each crisis."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app import demo_storm
from app.extensions import db, htmx
from app.models import Brand, CrisisPeriod, SpikeAlert, User, utcnow
from app.params import digits
from app.security.auth import login_required
from app.services import audit, crisis, crisis_report, spikes
from app.services import spike_detector as detector
from app.ui import page_header, spike_chart
from app.ui.navigation import NavItem, register

bp = Blueprint("crisis", __name__)
register(NavItem("crisis.index", _l("Crise"), "reports.view"), before="reports.index")
# Who sees a brand's crisis page: the agency's leads and admins, the brand's owners.
VIEW_ROLES = frozenset({"lead", "admin", "brand_owner"})
CHART_HOURS = 12


@bp.app_context_processor
def _crisis_banner() -> dict[str, Any]:
    def crisis_banner() -> list[tuple[CrisisPeriod, Brand, bool]]:
        """Open crisis periods of the user's brands (read with the shift switch, every page)."""
        scope = g.get("scope")
        if g.get("user") is None or scope is None:
            return []
        return [
            (period, brand, bool(scope.roles(period.brand_id) & VIEW_ROLES))
            for period, brand in page_header.header_state().crises
        ]

    return {"crisis_banner": crisis_banner}


def _brands() -> list[Brand]:
    ids = [b for b, roles in g.scope.roles_by_brand.items() if roles & VIEW_ROLES]
    if not ids:
        return []
    return list(db().exec(select(Brand).where(col(Brand.id).in_(ids)).order_by(Brand.name)))


def _brand(slug: str | None) -> Brand:
    """The brand asked for by slug (404 unless the user may see its crisis page)."""
    brands = _brands()
    if not brands:
        abort(403)
    if not slug:
        return brands[0]
    for brand in brands:
        if brand.slug == slug:
            return brand
    abort(404)


def _chart(
    brand: Brand, end: Any = None, hours: int = CHART_HOURS, period: CrisisPeriod | None = None
) -> dict[str, Any]:
    now = end or utcnow()
    session = db()
    series = spikes.series_for_chart(
        session=session,
        brand_id=brand.id,  # type: ignore[arg-type]
        now=now,
        hours=hours,  # type: ignore[arg-type]
    )
    since = now - timedelta(hours=hours)
    alerts = [
        a
        for a in spikes.recent_alerts(session=session, brand_id=brand.id, since=since)  # type: ignore[arg-type]
        if a.detected_at <= now
    ]
    settings = spikes.watch_settings(brand)
    if period is None:
        period = crisis.open_period(session=session, brand_id=brand.id)  # type: ignore[arg-type]
    title = _("Mentions par tranche de 10 minutes, %(brand)s", brand=brand.name)
    svg = spike_chart.render(
        series,
        chart_id=f"spikes-{brand.slug}",
        title=title,
        timezone=brand.timezone,
        alerts=[a.detected_at for a in alerts],
        crisis_start=period.started_at if period is not None else None,
        sensitivity=settings.sensitivity,
    )
    return {"chart_svg": svg, "chart_title": title}


@bp.get("/crisis")
@login_required
def index() -> Any:
    """A brand's storm watch: its volumes, its alerts, crisis mode and its past crises."""
    brand = _brand(request.args.get("brand"))
    session = db()
    period = crisis.open_period(session=session, brand_id=brand.id)  # type: ignore[arg-type]
    alerts = spikes.recent_alerts(
        session=session,
        brand_id=brand.id,  # type: ignore[arg-type]
        since=utcnow() - timedelta(days=7),
    )
    focus = request.args.get("alert", "")
    people_ids = {p for p in ((period.started_by_id,) if period else ()) if p}
    people = {
        u.id: u.name or u.email
        for u in session.exec(select(User).where(col(User.id).in_(people_ids)))
    }
    return render_template(
        "crisis/index.html",
        brand=brand,
        brands=_brands(),
        period=period,
        alerts=list(reversed(alerts)),
        focus=int(focus) if digits(focus) else None,
        describe=spikes.describe,
        describe_trigger=spikes.describe_trigger,
        settings=spikes.watch_settings(brand),
        sensitivities=detector.SENSITIVITIES,
        playbook=crisis.crisis_playbook(session=session, brand_id=brand.id),  # type: ignore[arg-type]
        may_manage=crisis.may_manage(g.scope, brand.id),  # type: ignore[arg-type]
        may_tune=bool(g.scope.roles(brand.id) & {"lead", "admin"}),
        past=crisis_report.periods(session=session, brand_id=brand.id),  # type: ignore[arg-type]
        people=people,
        demo=bool(current_app.config.get("VIGIE_DEMO")),
        **_chart(brand),
    )


@bp.get("/crisis/_chart")
@login_required
def chart() -> Any:
    """The volume chart of one brand (the dashboard loads it per brand)."""
    brand = _brand(request.args.get("brand"))
    return render_template("crisis/_chart.html", brand=brand, compact=True, **_chart(brand))


def _back(brand: Brand) -> Any:
    return redirect(url_for("crisis.index", brand=brand.slug))


def _hours(raw: str | None) -> float | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        abort(400)


@bp.post("/crisis/<slug>/on")
@login_required
def switch_on(slug: str) -> Any:
    """Turn crisis mode on (from a spike alert in one click): the crisis playbook triages now."""
    brand = _brand(slug)
    if not crisis.may_manage(g.scope, brand.id):  # type: ignore[arg-type]
        abort(403)
    alert_id = request.form.get("alert_id", "")
    try:
        crisis.start(
            session=db(),
            brand=brand,
            actor=g.user,
            reason=request.form.get("reason", ""),
            hours=_hours(request.form.get("hours")),
            spike_alert_id=int(alert_id) if digits(alert_id) else None,
        )
    except crisis.CrisisError as exc:
        db().rollback()
        flash(str(exc), "error")
        return _back(brand)
    db().commit()
    flash(_("Mode crise activé : le playbook de crise trie les nouvelles mentions."), "success")
    return _back(brand)


@bp.post("/crisis/<slug>/off")
@login_required
def switch_off(slug: str) -> Any:
    """Turn crisis mode off by hand: the normal playbook triages again."""
    brand = _brand(slug)
    if not crisis.may_manage(g.scope, brand.id):  # type: ignore[arg-type]
        abort(403)
    period = crisis.open_period(session=db(), brand_id=brand.id)  # type: ignore[arg-type]
    done = period is not None and crisis.stop(
        session=db(), period=period, actor=g.user, note=request.form.get("note", "")
    )
    db().commit()
    if done:
        flash(_("Mode crise désactivé : le playbook normal trie de nouveau."), "success")
    else:
        flash(_("Le mode crise n'était plus actif."), "warning")
    return _back(brand)


@bp.post("/crisis/<slug>/end")
@login_required
def change_end(slug: str) -> Any:
    """Set, change or clear the planned end of the brand's crisis while it is on."""
    brand = _brand(slug)
    if not crisis.may_manage(g.scope, brand.id):  # type: ignore[arg-type]
        abort(403)
    clear = request.form.get("clear") == "1"
    hours = None if clear else _hours(request.form.get("hours"))
    if not clear and hours is None:
        flash(_("Indiquez dans combien d'heures le mode crise prendra fin."), "error")
        return _back(brand)
    period = crisis.open_period(session=db(), brand_id=brand.id)  # type: ignore[arg-type]
    try:
        if period is None:
            raise crisis.CrisisError(_l("Cette crise est déjà terminée."))
        crisis.set_end(session=db(), period=period, actor=g.user, hours=hours)
    except crisis.CrisisError as exc:
        db().rollback()
        flash(str(exc), "error")
        return _back(brand)
    db().commit()
    flash(
        _("Fin prévue supprimée : le mode crise se désactive à la main.")
        if clear
        else _("Fin prévue du mode crise modifiée."),
        "success",
    )
    return _back(brand)


@bp.post("/crisis/<slug>/settings")
@login_required
def save_settings(slug: str) -> Any:
    """A lead tunes the brand's storm watch: on/off, sensitivity, cooldown."""
    brand = _brand(slug)
    if not g.scope.roles(brand.id) & {"lead", "admin"}:
        abort(403)
    sensitivity = request.form.get("sensitivity", "")
    cooldown = request.form.get("cooldown", "")
    if sensitivity not in detector.SENSITIVITIES or not digits(cooldown):
        abort(400)
    before = spikes.watch_settings(brand)
    brand.settings = {
        **(brand.settings or {}),
        "spike_watch": request.form.get("enabled") == "1",
        "spike_sensitivity": sensitivity,
        "spike_cooldown_minutes": max(10, min(int(cooldown), 24 * 60)),
    }
    db().add(brand)
    after = spikes.watch_settings(brand)
    audit.record(
        session=db(),
        action="spike.settings_changed",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=g.user,
        before=before.__dict__,
        after=after.__dict__,
    )
    db().commit()
    flash(_("Réglages de la veille enregistrés."), "success")
    return _back(brand)


@bp.post("/crisis/<slug>/storm")
@login_required
def storm(slug: str) -> Any:
    """Demo mode only: a storm of similar complaints (a threat hidden inside) arrives now."""
    if not current_app.config.get("VIGIE_DEMO"):
        abort(404)
    brand = _brand(slug)
    if not crisis.may_manage(g.scope, brand.id):  # type: ignore[arg-type]
        abort(403)
    try:
        result = demo_storm.storm_now(session=db(), brand=brand, actor=g.user)
    except demo_storm.StormError as exc:
        db().rollback()
        flash(str(exc), "error")
        return _back(brand)
    db().commit()
    flash(_("Tempête déclenchée : %(n)s mentions arrivent.", n=result.stored), "success")
    return _back(brand)


@bp.get("/crisis/report/<int:crisis_id>")
@login_required
def report(crisis_id: int) -> Any:
    """The report of one crisis: timeline, volumes, waves, response times, replies, hides."""
    period = db().get(CrisisPeriod, crisis_id)
    if period is None or not g.scope.roles(period.brand_id) & VIEW_ROLES:
        abort(404)
    brand = db().get(Brand, period.brand_id)
    assert brand is not None
    data = crisis_report.build(session=db(), period=period)
    hours = min(48, int(data.minutes // 60) + 2)
    chart_end = data.end + timedelta(minutes=30)
    template = "crisis/_report.html" if htmx else "crisis/report.html"
    alert = db().get(SpikeAlert, period.spike_alert_id) if period.spike_alert_id else None
    return render_template(
        template,
        brand=brand,
        report=data,
        alert=alert,
        describe=spikes.describe,
        **_chart(brand, end=chart_end, hours=hours, period=period),
    )
