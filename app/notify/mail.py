"""E-mail alerts: SMTP when VIGIE_SMTP_URL is set, else a sink that only stores them.

Every message, whatever the transport, is kept as an OutgoingMessage so an admin can read
what was sent (the demo has no mail server: `/admin/mail` is its inbox).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlmodel import Session

from app.models import OutgoingMessage

SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Mail:
    """One plain-text e-mail to one recipient."""

    to: str
    subject: str
    body: str


class Mailer(Protocol):
    """Something that sends a Mail; ``transport`` names it in the stored copy."""

    transport: str

    def send(self, mail: Mail) -> None: ...


class SinkMailer:
    """Sends nothing: the stored copy is the delivery (demo, tests, no SMTP configured)."""

    transport = "sink"

    def send(self, mail: Mail) -> None:
        return None


class DemoInboxMailer:
    """The demo's mail server: its inbox is /admin/mail, where every message is read.

    Only `vigie demo` without VIGIE_SMTP_URL uses it: there a stored copy is a delivered mail
    (the demo's people read that page), whereas a real installation without SMTP reaches nobody.
    """

    transport = "demo-inbox"

    def send(self, mail: Mail) -> None:
        return None


class SmtpMailer:
    """Sends over SMTP: smtp://[user:password@]host[:port][?starttls=1] or smtps://…"""

    transport = "smtp"

    def __init__(
        self,
        url: str,
        sender: str,
        smtp_factory: Callable[..., Any] | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("VIGIE_SMTP_URL must look like smtp://host:port")
        self.sender = sender
        self.host = parts.hostname
        self.ssl = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.ssl else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self._factory = smtp_factory or (smtplib.SMTP_SSL if self.ssl else smtplib.SMTP)

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        with self._factory(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def mailer_from_url(url: str | None, sender: str = "vigie@localhost", demo: bool = False) -> Mailer:
    """The SMTP mailer for a configured URL, else the demo's inbox (demo mode) or the sink."""
    if url:
        return SmtpMailer(url, sender)
    return DemoInboxMailer() if demo else SinkMailer()


def deliver_mail(
    *,
    session: Session,
    mailer: Mailer,
    brand_id: int,
    mail: Mail,
    escalation_id: int | None = None,
) -> OutgoingMessage:
    """Send one e-mail and keep its copy; a failure is recorded, never raised (alerts go on)."""
    status, error = ("stored" if mailer.transport == "sink" else "sent"), None
    try:
        mailer.send(mail)
    except (OSError, smtplib.SMTPException) as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
    row = OutgoingMessage(
        brand_id=brand_id,
        channel="email",
        transport=mailer.transport,
        recipient=mail.to,
        subject=mail.subject[:300],
        body=mail.body,
        status=status,
        error=error,
        escalation_id=escalation_id,
    )
    session.add(row)
    return row
