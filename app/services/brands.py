"""Brands and their settings: timezone, languages, business hours, answer deadlines.

Answer deadlines have one rule (`playbooks.answer_target`): a severity the brand set itself in
its settings wins, any other follows the published playbook's `sla.minutes`. `deadlines`
gives the effective value per severity and where it comes from, for every page that shows one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

import playbooks
from app.models import SEVERITIES, Brand, Playbook, User
from app.services import audit

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class BrandError(ValueError):
    """Invalid brand settings; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def validate_settings(
    *,
    slug: str,
    name: str,
    timezone: str,
    languages: list[str],
    business_hours: dict[str, Any],
    sla_minutes: dict[str, int],
) -> None:
    """Check brand settings, raising BrandError naming the field."""
    if not SLUG_RE.match(slug):
        raise BrandError("slug", "Identifiant : minuscules, chiffres et tirets (2 à 63).")
    if not name.strip():
        raise BrandError("name", "Le nom est obligatoire.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BrandError("timezone", f"Fuseau horaire inconnu : {timezone}") from exc
    if not languages or any(lang not in ("fr", "en") for lang in languages):
        raise BrandError("languages", "Langues possibles : fr, en.")
    for day, span in business_hours.items():
        if day not in DAYS or len(span) != 2 or not all(TIME_RE.match(t) for t in span):
            raise BrandError("business_hours", f"Horaires invalides pour {day} (HH:MM).")
        if span[0] >= span[1]:
            raise BrandError(
                "business_hours", f"Horaires de {day} : l'ouverture suit la fermeture."
            )
    # A severity left out follows the playbook; one given is the brand's own deadline.
    for severity, minutes in sla_minutes.items():
        if severity not in SEVERITIES:
            raise BrandError("sla_minutes", f"Gravité inconnue : {severity}.")
        if not isinstance(minutes, int) or not 1 <= minutes <= 7 * 24 * 60:
            raise BrandError(f"sla_{severity}", f"Délai {severity} : minutes entre 1 et 10080.")


def _snapshot(brand: Brand) -> dict[str, Any]:
    return {
        "slug": brand.slug,
        "name": brand.name,
        "timezone": brand.timezone,
        "languages": brand.languages,
        "business_hours": brand.business_hours,
        "sla_minutes": brand.sla_minutes,
    }


def create_brand(
    *,
    session: Session,
    slug: str,
    name: str,
    timezone: str = "Europe/Paris",
    languages: list[str] | None = None,
    business_hours: dict[str, Any] | None = None,
    sla_minutes: dict[str, int] | None = None,
    actor: User | None = None,
) -> Brand:
    """Create a brand; the creator becomes its admin."""
    brand = Brand(slug=slug, name=name, timezone=timezone)
    if languages is not None:
        brand.languages = languages
    if business_hours is not None:
        brand.business_hours = business_hours
    brand.sla_minutes = dict(sla_minutes or {})
    validate_settings(
        slug=brand.slug,
        name=brand.name,
        timezone=brand.timezone,
        languages=brand.languages,
        business_hours=brand.business_hours,
        sla_minutes=brand.sla_minutes,
    )
    if session.exec(select(Brand).where(Brand.slug == slug)).first():
        raise BrandError("slug", "Cet identifiant est déjà pris.")
    session.add(brand)
    session.flush()
    audit.record(
        session=session,
        action="brand.created",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        after=_snapshot(brand),
    )
    if actor is not None:
        from app.services.users import grant

        grant(session=session, user=actor, brand=brand, role="admin", actor=actor)
    return brand


def update_brand(*, session: Session, brand: Brand, actor: User | None, **values: Any) -> Brand:
    """Change a brand's settings, recording before/after."""
    before = _snapshot(brand)
    merged = {**before, **values}
    validate_settings(**merged)
    for key, value in values.items():
        setattr(brand, key, value)
    session.add(brand)
    old, new = audit.changes(before, _snapshot(brand))
    if new:
        audit.record(
            session=session,
            action="brand.updated",
            target_type="brand",
            target_id=brand.id,
            brand_id=brand.id,
            actor=actor,
            before=old,
            after=new,
        )
    return brand


def by_slug(*, session: Session, slug: str) -> Brand | None:
    return session.exec(select(Brand).where(Brand.slug == slug)).first()


def playbook_context(brand: Brand) -> playbooks.BrandContext:
    """The brand settings the playbook engine applies: timezone, opening hours, own deadlines."""
    return playbooks.BrandContext(
        timezone=brand.timezone, business_hours=brand.business_hours, sla_minutes=brand.sla_minutes
    )


@dataclass(frozen=True)
class Deadlines:
    """The answer deadline applied per severity, with its source, and the playbook behind it."""

    targets: dict[str, playbooks.AnswerTarget]
    playbook: Playbook | None
    playbook_minutes: dict[str, int]

    @property
    def from_brand(self) -> list[str]:
        """Severities whose deadline the brand set itself."""
        return [sev for sev, t in self.targets.items() if t.source == "brand"]

    @property
    def rest(self) -> playbooks.AnswerTarget | None:
        """The target of a severity the brand did not set (they all share its source)."""
        return next((t for t in self.targets.values() if t.source != "brand"), None)


def deadlines(*, session: Session, brand: Brand) -> Deadlines:
    """Effective answer deadlines of a brand, as triage applies them to new mentions."""
    row = session.exec(
        select(Playbook).where(
            Playbook.brand_id == brand.id,
            Playbook.status == "published",
            Playbook.kind == "normal",
        )
    ).first()
    minutes = None
    if row is not None:
        try:
            minutes = playbooks.read_sla_minutes(row.source)
        except playbooks.PlaybookError:
            minutes = None  # a published text that no longer loads: triage falls back too
    context = playbook_context(brand)
    targets = {sev: playbooks.answer_target(sev, minutes, context) for sev in SEVERITIES}
    return Deadlines(targets, row, minutes or dict(playbooks.DEFAULT_SLA_MINUTES))


def save_settings_section(
    *,
    session: Session,
    brand: Brand,
    actor: User | None,
    key: str,
    value: dict[str, Any],
    action: str,
    before_public: dict[str, Any],
    after_public: dict[str, Any],
) -> None:
    """Store one section of the brand's settings (``brand.settings[key]``) and audit what
    changed, in the forms given (``*_public``: secrets already masked by the caller)."""
    from sqlalchemy.orm.attributes import flag_modified

    data = dict(brand.settings or {})
    data[key] = value
    brand.settings = data
    flag_modified(brand, "settings")
    session.add(brand)
    before_diff, after_diff = audit.changes(before_public, after_public)
    if after_diff:
        audit.record(
            session=session,
            action=action,
            target_type="brand",
            target_id=brand.id,
            brand_id=brand.id,
            actor=actor,
            before=before_diff,
            after=after_diff,
        )
