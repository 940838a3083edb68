"""Spike alerts outside the console: e-mail to the brand's leads and owners and its on-call
addresses, and its Slack, Teams and signed webhooks — the channels of urgent alerts.

The bell is rung at detection (``spikes``); the worker sends the rest here. Each alert is
claimed with a conditional UPDATE before sending, so two workers never send it twice; what
each channel did is kept on the alert and in the audit.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import Brand, SpikeAlert, User, utcnow
from app.notify.chat import ChatAlert, deliver_chat
from app.notify.mail import Mail, deliver_mail
from app.notify.webhook import deliver_webhook
from app.security.outbound import OutboundURLError, check_outbound_url
from app.services import audit, notifications
from app.services.alerts import AlertContext
from app.services.answer_settings import clock_settings, webhook_secret
from app.services.spikes import ALERTED_ROLES, describe

BATCH = 20


def deliver_pending(*, session: Session, ctx: AlertContext, now: datetime | None = None) -> int:
    """Send every spike alert not sent yet; returns how many were sent (no commit)."""
    now = now or utcnow()
    pending = session.exec(
        select(SpikeAlert.id)
        .where(col(SpikeAlert.delivered_at).is_(None))
        .order_by(col(SpikeAlert.id))
        .limit(BATCH)
    ).all()
    sent = 0
    for alert_id in pending:
        claimed = session.execute(
            update(SpikeAlert)
            .where(col(SpikeAlert.id) == alert_id, col(SpikeAlert.delivered_at).is_(None))
            .values(delivered_at=now)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            continue  # another worker has it
        alert = session.get(SpikeAlert, alert_id)
        brand = session.get(Brand, alert.brand_id) if alert else None
        if alert is None or brand is None:
            continue
        _send(session, ctx, brand, alert, now)
        sent += 1
    return sent


def _send(
    session: Session, ctx: AlertContext, brand: Brand, alert: SpikeAlert, now: datetime
) -> None:
    assert brand.id is not None
    base = ctx.public_url.rstrip("/")
    link = f"{base}/crisis?brand={brand.slug}&alert={alert.id}"
    title = str(_l("Alerte tempête — %(what)s", what=describe(alert, brand.name)))
    settings = clock_settings(brand)
    user_ids: set[int] = set()
    for role in ALERTED_ROLES:
        user_ids |= set(
            notifications.users_with_role(session=session, brand_id=brand.id, role=role)
        )
    emails = [u.email for u in session.exec(select(User).where(col(User.id).in_(user_ids)))]
    known = {e.lower() for e in emails}
    emails += [a for a in settings.on_call if a.lower() not in known]
    body = (
        f"{title}\n\n"
        + str(_l("Ouvrir la page de crise (volumes, vague, mode crise en un clic) :"))
        + f" {link}\n"
    )
    outcomes: list[str] = []
    for address in sorted(set(emails)):
        mail = Mail(to=address, subject=f"[Vigie] {title}", body=body)
        out = deliver_mail(session=session, mailer=ctx.mailer, brand_id=brand.id, mail=mail)
        outcomes.append(f"e-mail {address}: {out.status}")
    secret = webhook_secret(ctx.box, settings) if settings.webhook_url else None
    chat = ChatAlert(
        title=title,
        lines=(str(_l("Détecté le %(when)s UTC", when=f"{alert.detected_at:%d/%m/%Y %H:%M}")),),
        links=((str(_l("Ouvrir la page de crise")), link),),
    )
    endpoints = [("slack", settings.slack_url), ("teams", settings.teams_url)]
    if secret:  # an unsigned call could be forged by anyone
        endpoints.append(("webhook", settings.webhook_url))
    for channel, url in endpoints:
        if not url:
            continue
        try:
            url = check_outbound_url(url, allow_private=ctx.allow_private_urls)
        except OutboundURLError as exc:
            outcomes.append(f"{channel}: {exc}")
            continue
        if channel == "webhook":
            out = deliver_webhook(
                session=session,
                brand_id=brand.id,
                url=url,
                secret=secret or "",
                payload={
                    "event": "spike.detected",
                    "brand": brand.slug,
                    "alert_id": alert.id,
                    "kind": alert.kind,
                    "dim": alert.dim,
                    "key": alert.key,
                    "observed": alert.observed,
                    "expected": alert.expected,
                    "detected_at": alert.detected_at.isoformat(),
                    "crisis_url": link,
                },
                client=ctx.http,
                allow_private=ctx.allow_private_urls,
                now=now,
            )
        else:
            out = deliver_chat(
                session=session,
                brand_id=brand.id,
                kind=channel,
                url=url,
                alert=chat,
                client=ctx.http,
                allow_private=ctx.allow_private_urls,
            )
        outcomes.append(f"{channel}: {out.status}" + (f" ({out.error})" if out.error else ""))
    alert.delivery_note = "; ".join(outcomes) or str(_l("aucun canal hors console"))
    session.add(alert)
    audit.record(
        session=session,
        action="spike.alerted",
        target_type="spike_alert",
        target_id=alert.id,
        brand_id=brand.id,
        actor_label="worker",
        after={"channels": len(outcomes)},
        note=alert.delivery_note[:1000],
    )
