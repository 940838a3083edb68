"""Worker job: spike alerts sent outside the console, crisis periods ended at their set time."""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask

from app.extensions import session_scope
from app.models import utcnow
from app.notify.mail import mailer_from_url
from app.security.secrets_box import SecretsBox
from app.services import crisis, spike_delivery, spikes
from app.services.alerts import AlertContext

# A storm alert should leave within seconds of its detection, like urgent alerts.
INTERVAL_SECONDS = 15
PURGE_EVERY_SECONDS = 3600


class CrisisJob:
    """One tick = send the new spike alerts, end the crises whose planned end has come, and
    (hourly) drop rollup buckets too old for any baseline or report."""

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
        self.purged_at: float | None = None

    def tick(self, now: datetime | None = None) -> tuple[int, int]:
        """(spike alerts sent, crises ended), each in its own transaction."""
        now = now or utcnow()
        engine = self.app.extensions["vigie_engine"]
        with self.app.app_context():
            with session_scope(engine) as session:
                sent = spike_delivery.deliver_pending(session=session, ctx=self.ctx, now=now)
            with session_scope(engine) as session:
                ended = crisis.end_due(session=session, now=now)
            if self.purged_at is None or time.monotonic() - self.purged_at > PURGE_EVERY_SECONDS:
                with session_scope(engine) as session:
                    spikes.purge_old(session=session, now=now)
                self.purged_at = time.monotonic()
        return sent, ended
