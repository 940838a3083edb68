"""Worker job: the answer clocks of approvals and escalations, and urgent alerts."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from app.extensions import session_scope
from app.models import utcnow
from app.notify.mail import mailer_from_url
from app.security.secrets_box import SecretsBox
from app.services.alerts import AlertContext
from app.services.answer_clocks import ClockReport, tick

# Urgent escalations must reach the on-call contacts within seconds, not a minute.
INTERVAL_SECONDS = 15


class AnswerClockJob:
    """One tick = start new clocks (alerts included), remind and widen the overdue ones."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        settings = app.config["VIGIE_SETTINGS"]
        self.ctx = AlertContext(
            mailer=mailer_from_url(settings.smtp_url, settings.mail_from, demo=settings.demo_mode),
            box=SecretsBox(app.config["VIGIE_ENCRYPTION_KEY"]),
            secret_key=app.config["SECRET_KEY"],
            public_url=settings.public_url,
            allow_private_urls=bool(app.config.get("VIGIE_ALLOW_PRIVATE_URLS")),
        )

    def tick(self, now: datetime | None = None) -> ClockReport:
        """Run one tick in its own transaction."""
        with self.app.app_context(), session_scope(self.app.extensions["vigie_engine"]) as s:
            return tick(session=s, ctx=self.ctx, now=now or utcnow())
