"""Configuration from environment variables, with defaults that are safe for the demo."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
# The languages of the interface (French first: the msgids are French).
LANGUAGES = ("fr", "en")


def normalise_database_url(url: str) -> str:
    """Accept URLs as users write them: a plain postgresql:// URL uses psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _persistent_secret(instance: Path, name: str, make: Any) -> str:
    """Read a secret kept in the instance folder, creating it once (mode 600) when missing."""
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


@dataclass(frozen=True)
class OIDCProvider:
    """One OpenID Connect identity provider the operator configured (Google Workspace, Entra…)."""

    key: str  # in the URLs: /login/sso/<key>, /login/sso/<key>/callback
    name: str  # shown on the button: "Se connecter avec <name>"
    issuer: str  # discovery is <issuer>/.well-known/openid-configuration
    client_id: str
    client_secret: str
    # E-mail domains whose users may sign in through this provider (empty: any domain).
    allowed_domains: tuple[str, ...] = ()


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in (value or "").split(",") if v.strip())


def oidc_providers_from_env(env: dict[str, str]) -> tuple[OIDCProvider, ...]:
    """VIGIE_OIDC_ISSUER/_CLIENT_ID/_CLIENT_SECRET/_NAME/_ALLOWED_DOMAINS for one provider
    (key "default"), or VIGIE_OIDC_PROVIDERS=google,entra with VIGIE_OIDC_GOOGLE_ISSUER… for
    several. A provider missing its issuer, client id or secret is a configuration error."""
    keys = _csv(env.get("VIGIE_OIDC_PROVIDERS"))
    prefixes = [(k, f"VIGIE_OIDC_{k.upper()}_") for k in keys]
    if not keys and env.get("VIGIE_OIDC_ISSUER"):
        prefixes = [("default", "VIGIE_OIDC_")]
    providers = []
    for key, prefix in prefixes:
        if not key.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"VIGIE_OIDC_PROVIDERS: {key!r} is not a plain name")
        missing = [
            prefix + name
            for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
            if not env.get(prefix + name)
        ]
        if missing:
            raise ValueError("OpenID Connect provider incomplete: set " + ", ".join(missing))
        providers.append(
            OIDCProvider(
                key=key,
                name=env.get(prefix + "NAME") or key,
                issuer=env[prefix + "ISSUER"].strip(),
                client_id=env[prefix + "CLIENT_ID"].strip(),
                client_secret=env[prefix + "CLIENT_SECRET"].strip(),
                allowed_domains=_csv(env.get(prefix + "ALLOWED_DOMAINS")),
            )
        )
    return tuple(providers)


@dataclass
class Settings:
    """The settings the app reads, resolved once at start."""

    instance_path: Path
    database_url: str
    secret_key: str
    encryption_key: str
    demo_mode: bool = False
    ratelimit_storage_url: str = "memory://"
    smtp_url: str | None = None
    mail_from: str = "vigie@localhost"
    public_url: str = "http://127.0.0.1:5000"
    # Alert webhooks to loopback / plain http (tests, a lab); never in production.
    allow_private_urls: bool = False
    # Roles that must use two-factor authentication (VIGIE_2FA_ROLES, comma-separated; ignored
    # in demo mode). Admins can also require it for every member of a brand.
    two_factor_roles: tuple[str, ...] = ("admin", "lead")
    # Reverse proxies whose X-Forwarded-For is believed: a count or a list of addresses/CIDR.
    trusted_proxies: str | None = None
    # Single sign-on (OpenID Connect) providers, and the e-mail domains whose users must use
    # it (their password no longer opens Vigie; superadmins keep it as a break-glass).
    oidc_providers: tuple[OIDCProvider, ...] = ()
    oidc_only_domains: tuple[str, ...] = ()
    # The agency's name and logo (a PNG, JPEG or SVG file) on the monthly client report.
    agency_name: str = "Vigie"
    agency_logo: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        instance = Path(env.get("VIGIE_INSTANCE_PATH", str(DEFAULT_INSTANCE)))
        database_url = env.get("VIGIE_DATABASE_URL") or f"sqlite:///{instance / 'vigie.db'}"
        secret_key = env.get("VIGIE_SECRET_KEY") or _persistent_secret(
            instance, "secret_key", lambda: secrets.token_urlsafe(48)
        )
        encryption_key = env.get("VIGIE_ENCRYPTION_KEY") or _persistent_secret(
            instance, "encryption_key", lambda: Fernet.generate_key().decode()
        )
        return cls(
            instance_path=instance,
            database_url=normalise_database_url(database_url),
            secret_key=secret_key,
            encryption_key=encryption_key,
            demo_mode=env.get("VIGIE_DEMO", "") in ("1", "true", "yes"),
            # Login limits are shared by every process through Redis when one is configured.
            ratelimit_storage_url=env.get("VIGIE_RATELIMIT_STORAGE_URL")
            or env.get("VIGIE_REDIS_URL")
            or "memory://",
            smtp_url=env.get("VIGIE_SMTP_URL") or None,
            mail_from=env.get("VIGIE_MAIL_FROM", "vigie@localhost"),
            public_url=env.get("VIGIE_PUBLIC_URL", "http://127.0.0.1:5000"),
            allow_private_urls=env.get("VIGIE_ALLOW_PRIVATE_URLS", "") in ("1", "true", "yes"),
            two_factor_roles=tuple(
                r.strip() for r in env.get("VIGIE_2FA_ROLES", "admin,lead").split(",") if r.strip()
            ),
            trusted_proxies=env.get("VIGIE_TRUSTED_PROXIES") or None,
            oidc_providers=oidc_providers_from_env(env),
            oidc_only_domains=_csv(env.get("VIGIE_OIDC_ONLY_DOMAINS")),
            agency_name=env.get("VIGIE_AGENCY_NAME", "Vigie"),
            agency_logo=Path(env["VIGIE_AGENCY_LOGO"]) if env.get("VIGIE_AGENCY_LOGO") else None,
        )
