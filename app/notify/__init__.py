"""Alerts that leave Vigie: e-mail (SMTP or a local sink) and signed outgoing webhooks."""

from app.notify.mail import Mail, Mailer, SinkMailer, SmtpMailer, deliver_mail, mailer_from_url
from app.notify.webhook import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    deliver_webhook,
    sign,
    verify,
)

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "Mail",
    "Mailer",
    "SinkMailer",
    "SmtpMailer",
    "deliver_mail",
    "deliver_webhook",
    "mailer_from_url",
    "sign",
    "verify",
]
