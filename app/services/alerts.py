"""Urgent alerts: who they reach, by which channels, and the truth about each delivery.

An urgent escalation reaches, on its brand: every brand owner, the agency leads, the community
managers on shift (each in the console and by e-mail), the brand's on-call addresses, and its
Slack, Teams and signed webhooks. Each delivery is kept (AlertDelivery) with its outcome. An
alert that reached nobody outside the console (no recipient, every send failed) is audited as
``escalation.alert_failed`` and shown at once to the brand's admins and leads — never as sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import httpx
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import AlertDelivery, Brand, Escalation, User, utcnow
from app.notify.chat import ChatAlert, deliver_chat
from app.notify.mail import Mail, Mailer, deliver_mail
from app.notify.mail_templates import language, render_mail, when
from app.notify.webhook import deliver_webhook
from app.security.outbound import OutboundURLError, check_outbound_url, redact
from app.security.secrets_box import SecretsBox
from app.services import audit, notification_messages, notifications, queue_changes, shifts
from app.services.answer_settings import ClockSettings, webhook_secret

# Roles told of every urgent escalation of their brand (community managers only on shift).
ALERTED_ROLES = ("brand_owner", "lead")
# Roles that see an alert that reached nobody, and may acknowledge any urgent alert.
FAILURE_ROLES = ("admin", "lead")
EXTERNAL_CHANNELS = ("email", "slack", "teams", "webhook")
CHANNEL_LABELS = {
    "console": _l("console"),
    "email": _l("e-mail"),
    "slack": _l("Slack"),
    "teams": _l("Teams"),
    "webhook": _l("webhook signé"),
    "none": _l("aucun canal"),
}


@dataclass
class AlertContext:
    """What a tick needs to reach people outside the app."""

    mailer: Mailer
    box: SecretsBox
    secret_key: str
    public_url: str
    http: httpx.Client | None = None
    allow_private_urls: bool = False  # VIGIE_ALLOW_PRIVATE_URLS: loopback hooks (tests, labs)


@dataclass(frozen=True)
class Person:
    """A user the alert reaches in the console and by e-mail, and why."""

    user_id: int
    email: str
    label: str
    role: str
    locale: str = "fr"  # the language of their mails


@dataclass
class AlertPlan:
    """Everyone and everything one urgent alert goes to."""

    people: list[Person] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # on-call e-mails of no user above
    endpoints: list[tuple[str, str]] = field(default_factory=list)  # (channel, url)

    @property
    def empty(self) -> bool:
        return not (self.people or self.addresses or self.endpoints)


@dataclass
class AlertOutcome:
    """What one round of an alert did."""

    deliveries: list[AlertDelivery]
    reached: bool

    @property
    def external(self) -> int:
        return sum(1 for d in self.deliveries if d.channel in EXTERNAL_CHANNELS)


def plan_for(
    *, session: Session, brand: Brand, settings: ClockSettings, webhook_secret: str | None
) -> AlertPlan:
    """Resolve recipients and channels of an urgent alert on a brand (the one place that does)."""
    assert brand.id is not None
    ids: list[int] = []
    roles: dict[int, str] = {}
    for role in ALERTED_ROLES:
        for user_id in notifications.users_with_role(session=session, brand_id=brand.id, role=role):
            roles.setdefault(user_id, role)
    for user_id in shifts.on_shift_user_ids(session=session, brand_id=brand.id):
        roles.setdefault(user_id, shifts.SHIFT_ROLE)
    ids = sorted(roles)
    users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
    people = [
        Person(user_id=i, email=u.email, label=u.name or u.email, role=roles[i], locale=u.locale)
        for i in ids
        if (u := users.get(i)) is not None
    ]
    known = {p.email.lower() for p in people}
    addresses = []
    for address in settings.on_call:
        if address.lower() not in known:
            known.add(address.lower())
            addresses.append(address)
    endpoints = [
        (channel, url)
        for channel, url in (
            ("slack", settings.slack_url),
            ("teams", settings.teams_url),
            # An unsigned call could be forged by anyone: the webhook needs its secret.
            ("webhook", settings.webhook_url if webhook_secret else ""),
        )
        if url
    ]
    return AlertPlan(people=people, addresses=addresses, endpoints=endpoints)


def _chat_alert(
    lang: str, brand: Brand, escalation: Escalation, again: bool, urls: tuple[str, str, str]
) -> ChatAlert:
    """The urgent alert as Slack and Teams show it, in `lang`."""
    variant = "again" if again else "first"
    params = {"variant": variant, "brand": brand.name, "id": escalation.case_id}
    title = notification_messages.in_language("urgent_alert", params, lang)
    words = notification_messages.URGENT_CHAT
    phrase = notification_messages.phrase_in
    case_url, portal_url, ack_url = urls
    return ChatAlert(
        title=title or "",
        lines=(
            phrase(lang, words["reason"], reason=escalation.reason),
            phrase(lang, words["deadline"], deadline=when(escalation.deadline_at, lang)),
        ),
        links=(
            (phrase(lang, words["open"]), case_url),
            (phrase(lang, words["portal"]), portal_url),
            (phrase(lang, words["ack"]), ack_url),
        ),
    )


def send(
    *,
    session: Session,
    ctx: AlertContext,
    brand: Brand,
    settings: ClockSettings,
    escalation: Escalation,
    ack_url: str,
    round_no: int,
    now: datetime,
) -> AlertOutcome:
    """Send one round of an urgent alert on every channel; record and audit each delivery."""
    assert brand.id is not None and escalation.id is not None
    secret = webhook_secret(ctx.box, settings) if settings.webhook_url else None
    plan = plan_for(session=session, brand=brand, settings=settings, webhook_secret=secret)
    base = ctx.public_url.rstrip("/")
    portal_url = f"{base}/portal?brand={brand.id}#escalation-{escalation.id}"
    case_url = f"{base}/cases/{escalation.case_id}"
    again = round_no > 0
    deliveries: list[AlertDelivery] = []

    def keep(
        channel: str,
        status: str,
        recipient: str,
        user_id: int | None = None,
        error: str | None = None,
    ) -> None:
        row = AlertDelivery(
            brand_id=brand.id,  # type: ignore[arg-type]
            escalation_id=escalation.id,  # type: ignore[arg-type]
            case_id=escalation.case_id,
            round=round_no,
            user_id=user_id,
            recipient=recipient[:500],
            channel=channel,
            status=status,
            error=(error or None) and error[:2000],
            created_at=now,
        )
        session.add(row)
        deliveries.append(row)

    # The console: the bell now, the banner on every page until someone acknowledges.
    for person in plan.people:
        link = portal_url if person.role == "brand_owner" else case_url
        notifications.notify(
            session=session,
            user_ids=[person.user_id],
            brand_id=brand.id,
            kind="urgent_alert",
            params={
                "variant": "again" if again else "first",
                "brand": brand.name,
                "id": escalation.case_id,
            },
            link=link.removeprefix(base),
        )
        keep("console", "delivered", person.email, person.user_id)

    def mail_to(address: str, link: str, lang: str) -> Mail:
        subject, body = render_mail(
            "urgent_alert",
            lang,
            again=again,
            brand=brand.name,
            case_id=escalation.case_id,
            reason=escalation.reason,
            link=link,
            ack_url=ack_url,
            deadline=escalation.deadline_at,
        )
        return Mail(to=address, subject=subject, body=body)

    # Each person reads it in their own language; on-call addresses in the brand's.
    brand_lang = language(*(brand.languages or []))
    mails: list[tuple[str, int | None, str, str]] = [
        (p.email, p.user_id, portal_url if p.role == "brand_owner" else case_url, p.locale)
        for p in plan.people
    ]
    mails += [(address, None, portal_url, brand_lang) for address in plan.addresses]
    for address, user_id, link, lang in mails:
        sent = deliver_mail(
            session=session,
            mailer=ctx.mailer,
            brand_id=brand.id,
            mail=mail_to(address, link, lang),
            escalation_id=escalation.id,
        )
        if sent.status == "sent":
            keep("email", "delivered", address, user_id)
        elif sent.status == "stored":
            keep(
                "email",
                "failed",
                address,
                user_id,
                str(_l("aucun serveur SMTP configuré (VIGIE_SMTP_URL), copie dans /admin/mail")),
            )
        else:
            keep("email", "failed", address, user_id, sent.error)

    # Slack and Teams are read by the brand's team: in the brand's first language.
    chat = _chat_alert(brand_lang, brand, escalation, again, (case_url, portal_url, ack_url))
    for channel, url in plan.endpoints:
        try:
            url = check_outbound_url(url, allow_private=ctx.allow_private_urls)
        except OutboundURLError as exc:
            keep(channel, "failed", _shown(channel, url), error=str(exc))
            continue
        if channel == "webhook":
            sent = deliver_webhook(
                session=session,
                brand_id=brand.id,
                url=url,
                secret=secret or "",
                payload={
                    "event": "escalation.urgent.reminder" if again else "escalation.urgent",
                    "brand": brand.slug,
                    "case_id": escalation.case_id,
                    "escalation_id": escalation.id,
                    "reason": escalation.reason,
                    "deadline_at": escalation.deadline_at.isoformat()
                    if escalation.deadline_at
                    else None,
                    "portal_url": portal_url,
                    "case_url": case_url,
                    "ack_url": ack_url,
                },
                escalation_id=escalation.id,
                client=ctx.http,
                allow_private=ctx.allow_private_urls,
                now=now,
            )
        else:
            sent = deliver_chat(
                session=session,
                brand_id=brand.id,
                kind=channel,
                url=url,
                alert=chat,
                escalation_id=escalation.id,
                client=ctx.http,
                allow_private=ctx.allow_private_urls,
            )
        keep(
            channel,
            "delivered" if sent.status == "sent" else "failed",
            _shown(channel, url),
            error=sent.error,
        )

    if plan.empty:
        keep("none", "failed", "", error=str(_l("aucun destinataire")))
    reached = any(d.status == "delivered" and d.channel in EXTERNAL_CHANNELS for d in deliveries)
    delivered = sum(1 for d in deliveries if d.status == "delivered")
    audit.case_event(
        session=session,
        case=audit.case_of(escalation),
        action=("escalation.realerted" if again else "escalation.alerted")
        if reached
        else "escalation.alert_failed",
        target_type="escalation",
        target_id=escalation.id,
        actor_label="worker",
        after={
            "round": round_no,
            "recipients": len(plan.people) + len(plan.addresses) + len(plan.endpoints),
            "delivered": delivered,
            "failed": len(deliveries) - delivered,
        },
        note=summary(deliveries),
    )
    if not reached:
        _tell_of_failure(session, brand, escalation)
    return AlertOutcome(deliveries=deliveries, reached=reached)


def _shown(channel: str, url: str) -> str:
    """How an endpoint appears in records: chat URLs are secrets, only their host shows."""
    return redact(url) if channel in ("slack", "teams") else url


def summary(deliveries: list[AlertDelivery]) -> str:
    """One readable line per round: "e-mail à x@… délivré ; Slack échec : HTTP 404"."""
    parts = []
    for d in deliveries:
        channel = str(CHANNEL_LABELS.get(d.channel, d.channel))
        target = f" à {d.recipient}" if d.recipient and d.channel in ("console", "email") else ""
        if d.status == "delivered":
            parts.append(str(_l("%(channel)s%(target)s délivré", channel=channel, target=target)))
        else:
            parts.append(
                str(
                    _l(
                        "%(channel)s%(target)s échec : %(error)s",
                        channel=channel,
                        target=target,
                        error=d.error or "?",
                    )
                )
            )
    return str(_l("Alerte urgente : ")) + " ; ".join(parts)


def _tell_of_failure(session: Session, brand: Brand, escalation: Escalation) -> None:
    """The brand's admins and leads hear at once that nobody outside the console was reached."""
    assert brand.id is not None
    users: set[int] = set()
    for role in FAILURE_ROLES:
        users |= set(notifications.users_with_role(session=session, brand_id=brand.id, role=role))
    notifications.notify(
        session=session,
        user_ids=users,
        brand_id=brand.id,  # type: ignore[arg-type]
        kind="alert_failed",
        params={"id": escalation.case_id, "brand": brand.name},
        link=f"/cases/{escalation.case_id}",
    )


def acknowledge(
    *,
    session: Session,
    escalation: Escalation,
    actor: User | None,
    via: str,
    now: datetime | None = None,
) -> bool:
    """Record that a person has the alert (re-notification stops); False if already done.

    One conditional UPDATE: when two people click at once, one acknowledgement is recorded.
    """
    now = now or utcnow()
    result = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Escalation), [escalation.brand_id])
        .where(col(Escalation.id) == escalation.id, col(Escalation.acknowledged_at).is_(None))
        .values(acknowledged_at=now)
    )
    if not result.rowcount:
        session.refresh(escalation)
        return False
    session.refresh(escalation)
    audit.case_event(
        session=session,
        case=audit.case_of(escalation),
        action="escalation.acknowledged",
        target_type="escalation",
        target_id=escalation.id,
        actor=actor,
        actor_label=via,
        after={"acknowledged_at": now.isoformat(), "via": via},
    )
    return True
