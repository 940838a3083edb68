"""A brand's answer-clock settings: deadlines, fallback chain and alert contacts.

Stored on ``Brand.settings["portal"]`` with the defaults below; the webhook signing secret is
sealed and never shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from app.models import Brand, User
from app.security.outbound import redact
from app.security.secrets_box import CredentialsError, SecretsBox
from app.services import brands

SETTINGS_KEY = "portal"


@dataclass
class ClockSettings:
    """A brand's deadlines, fallback chain and alert contacts, with the seeds' defaults."""

    approval_minutes: int = 120
    escalation_minutes: dict[str, int] = field(
        default_factory=lambda: {"normal": 240, "urgent": 15}
    )
    # After the deadline, how often the clock reminds (and widens the circle).
    reminder_minutes: dict[str, int] = field(default_factory=lambda: {"normal": 60, "urgent": 5})
    owner_chain: list[int] = field(default_factory=list)  # brand owners' user ids, in order
    lead_fallback: bool = False
    on_call: list[str] = field(default_factory=list)  # e-mail addresses
    webhook_url: str = ""
    webhook_secret_sealed: str = ""
    slack_url: str = ""  # Slack-compatible incoming webhook
    teams_url: str = ""  # Microsoft Teams incoming webhook
    # A customer waiting on the brand this long is owed a holding update (case_references).
    holding_update_minutes: int = 240

    def answer_minutes(self, target_type: str, urgency: str) -> int:
        if target_type == "reply":
            return self.approval_minutes
        return int(self.escalation_minutes.get(urgency, self.escalation_minutes["normal"]))

    def remind_every(self, urgency: str) -> timedelta:
        return timedelta(minutes=int(self.reminder_minutes.get(urgency, 60)))


def clock_settings(brand: Brand) -> ClockSettings:
    """The brand's clock settings, defaults filled in for anything unset or malformed."""
    raw = (brand.settings or {}).get(SETTINGS_KEY) or {}
    base = ClockSettings()
    values: dict[str, Any] = {}
    for name, default in asdict(base).items():
        value = raw.get(name, default)
        if isinstance(default, dict):
            value = {**default, **{k: int(v) for k, v in dict(value).items()}}
        elif isinstance(default, bool):
            value = bool(value)
        elif isinstance(default, int):
            value = int(value)
        values[name] = value
    return ClockSettings(**values)


def save_clock_settings(
    *, session: Session, brand: Brand, actor: User, settings: ClockSettings, box: SecretsBox
) -> None:
    """Store a brand's clock settings and audit the change (the webhook secret never shows)."""
    brands.save_settings_section(
        session=session,
        brand=brand,
        actor=actor,
        key=SETTINGS_KEY,
        value=asdict(settings),
        action="brand.alert_settings_changed",
        before_public=_public_settings(clock_settings(brand)),
        after_public=_public_settings(settings),
    )


def _public_settings(settings: ClockSettings) -> dict[str, Any]:
    values = asdict(settings)
    values["webhook_secret_sealed"] = "(défini)" if settings.webhook_secret_sealed else ""
    for name in ("slack_url", "teams_url"):  # the URL is the credential
        values[name] = redact(values[name]) if values[name] else ""
    return values


def seal_webhook_secret(box: SecretsBox, secret: str) -> str:
    """Encrypt a webhook signing secret for storage in the brand settings."""
    return box.seal({"secret": secret})


def webhook_secret(box: SecretsBox, settings: ClockSettings) -> str | None:
    """The brand's webhook signing secret, or None when unset or unreadable."""
    try:
        return box.open(settings.webhook_secret_sealed).get("secret") or None
    except CredentialsError:
        return None
