"""The brand's CRM, asked about the customer on the case page (issue 20, part 3).

A brand may give Vigie an HTTPS endpoint of its own. When a CM opens a case, the person panel
asks it — a POST of the person's identities and references, signed like the alert webhook
(``X-Vigie-Signature: sha256=<HMAC of the body>``, timestamp in the body) — and shows what it
answers: the customer's tier, their open orders, a short note. The answer (or the failure) is
cached per person so that opening a case again does not call the CRM again; the URL goes
through the outbound-URL policy when saved and on every connection.

The endpoint answers JSON::

    {"customer_id": "C-1029", "name": "Jeanne M.", "tier": "gold",
     "open_orders": [{"reference": "CMD-123456", "status": "en livraison",
                      "label": "Lave-linge", "url": "https://crm.example/orders/123456"}],
     "note": "Client depuis 2014"}

Every key is optional; unknown keys are ignored; longer texts are cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from app.models import Author, Brand, CrmProfile, Person, User, utcnow
from app.notify.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, encode, sign
from app.security.outbound import check_outbound_url, http_client, redact
from app.security.secrets_box import CredentialsError, SecretsBox
from app.services import audit
from connectors import net_policy

SETTINGS_KEY = "crm"
TIMEOUT_SECONDS = 3.0
FRESH_FOR = timedelta(minutes=15)  # an answer is reused this long
RETRY_AFTER = timedelta(minutes=2)  # a failure is not retried before this
MAX_BODY_BYTES = 64_000
MAX_ORDERS = 10
_TEXT_LIMITS = {"customer_id": 64, "name": 120, "tier": 32, "note": 300}
_ORDER_LIMITS = {"reference": 64, "status": 64, "label": 120}


class CrmError(ValueError):
    """The CRM setting is refused, or the CRM's answer cannot be used; the message says why."""


@dataclass(frozen=True)
class CrmSettings:
    url: str
    secret_sealed: str


@dataclass(frozen=True)
class CrmOrder:
    reference: str
    status: str = ""
    label: str = ""
    url: str | None = None  # https only: a link for the CM, never fetched by Vigie


@dataclass(frozen=True)
class CrmAnswer:
    customer_id: str = ""
    name: str = ""
    tier: str = ""
    note: str = ""
    open_orders: list[CrmOrder] = field(default_factory=list)


@dataclass(frozen=True)
class CrmCard:
    """What the person panel shows: the answer, or why there is none, and when it was read."""

    answer: CrmAnswer | None
    error: str | None
    fetched_at: datetime


def crm_settings(brand: Brand) -> CrmSettings | None:
    """The brand's CRM endpoint, or None when it has none."""
    raw = (brand.settings or {}).get(SETTINGS_KEY) or {}
    if not isinstance(raw, dict) or not raw.get("url") or not raw.get("secret_sealed"):
        return None
    return CrmSettings(url=str(raw["url"]), secret_sealed=str(raw["secret_sealed"]))


def save_crm_settings(
    *,
    session: Session,
    brand: Brand,
    actor: User,
    url: str,
    secret: str,
    box: SecretsBox,
    allow_private: bool,
) -> None:
    """Set the brand's CRM endpoint (checked by the outbound-URL policy) and signing secret.

    An empty secret keeps the stored one; the secret is never shown again. Audited, with the
    URL reduced to its host (a URL may carry a token in its path)."""
    from app.security.outbound import OutboundURLError

    try:
        url = check_outbound_url(url.strip(), allow_private=allow_private)
    except OutboundURLError as exc:
        raise CrmError(str(exc)) from exc
    current = crm_settings(brand)
    secret = secret.strip()
    if secret and len(secret) < 16:
        raise CrmError("secret_too_short")
    if not secret and current is None:
        raise CrmError("secret_missing")
    sealed = box.seal({"secret": secret}) if secret else current.secret_sealed  # type: ignore[union-attr]
    _store(brand, {"url": url, "secret_sealed": sealed})
    session.add(brand)
    audit.record(
        session=session,
        action="brand.crm_configured",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        before={"url": redact(current.url)} if current else None,
        after={"url": redact(url), "secret": "(changé)" if secret else "(inchangé)"},
    )


def remove_crm_settings(*, session: Session, brand: Brand, actor: User) -> None:
    """Stop asking the brand's CRM; cached answers go too (they would be stale)."""
    current = crm_settings(brand)
    if current is None:
        return
    _store(brand, None)
    session.add(brand)
    for row in session.exec(select(CrmProfile).where(CrmProfile.brand_id == brand.id)):
        session.delete(row)
    audit.record(
        session=session,
        action="brand.crm_removed",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        before={"url": redact(current.url)},
    )


def _store(brand: Brand, value: dict[str, str] | None) -> None:
    data = dict(brand.settings or {})
    if value is None:
        data.pop(SETTINGS_KEY, None)
    else:
        data[SETTINGS_KEY] = value
    brand.settings = data
    flag_modified(brand, "settings")


def parse_answer(payload: Any) -> CrmAnswer:
    """The CRM's JSON answer as shown to CMs, or CrmError when it is not an object."""
    if not isinstance(payload, dict):
        raise CrmError("not_an_object")

    def text(source: dict[str, Any], key: str, limit: int) -> str:
        value = source.get(key)
        return str(value).strip()[:limit] if isinstance(value, str | int | float) else ""

    orders = []
    raw_orders = payload.get("open_orders")
    for item in raw_orders if isinstance(raw_orders, list) else []:
        if not isinstance(item, dict):
            continue
        reference = text(item, "reference", _ORDER_LIMITS["reference"])
        if not reference:
            continue
        link = item.get("url")
        orders.append(
            CrmOrder(
                reference=reference,
                status=text(item, "status", _ORDER_LIMITS["status"]),
                label=text(item, "label", _ORDER_LIMITS["label"]),
                url=link if isinstance(link, str) and _is_https(link) else None,
            )
        )
        if len(orders) == MAX_ORDERS:
            break
    return CrmAnswer(
        **{key: text(payload, key, limit) for key, limit in _TEXT_LIMITS.items()},
        open_orders=orders,
    )


def _is_https(link: str) -> bool:
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.netloc) and len(link) <= 500


def _answer_from_data(data: dict[str, Any] | None) -> CrmAnswer | None:
    if data is None:
        return None
    try:
        return parse_answer(data)
    except CrmError:
        return None


def request_body(
    brand: Brand, person: Person, authors: list[Author], references: list[dict[str, str]]
) -> dict[str, Any]:
    """What Vigie tells the CRM: the brand, the person's identities and references, no text."""
    return {
        "brand": brand.slug,
        "person": {"id": person.id, "name": person.display_name},
        "identities": [
            {"platform": a.platform, "handle": a.handle, "external_id": a.external_id}
            for a in authors
        ],
        "references": [{"kind": r["kind"], "value": r["value"]} for r in references],
    }


def lookup(
    *,
    session: Session,
    brand: Brand,
    person: Person,
    authors: list[Author],
    references: list[dict[str, str]],
    box: SecretsBox,
    allow_private: bool,
    refresh: bool = False,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> CrmCard | None:
    """The person's CRM card: cached when fresh, else asked once (None: the brand has no CRM)."""
    settings = crm_settings(brand)
    if settings is None or person.id is None:
        return None
    now = now or utcnow()
    cached = session.exec(
        select(CrmProfile).where(CrmProfile.brand_id == brand.id, CrmProfile.person_id == person.id)
    ).first()
    if cached is not None and not refresh:
        age = now - cached.fetched_at
        if age < (RETRY_AFTER if cached.error else FRESH_FOR):
            return CrmCard(_answer_from_data(cached.data), cached.error, cached.fetched_at)
    data, error = _ask(
        settings,
        request_body(brand, person, authors, references),
        box,
        now,
        allow_private=allow_private,
        client=client,
    )
    _upsert(session, brand.id or 0, person.id, data, error, now)
    return CrmCard(_answer_from_data(data), error, now)


def _ask(
    settings: CrmSettings,
    payload: dict[str, Any],
    box: SecretsBox,
    now: datetime,
    *,
    allow_private: bool,
    client: httpx.Client | None,
) -> tuple[dict[str, Any] | None, str | None]:
    """One signed POST to the CRM: (answer, None) or (None, why it failed)."""
    try:
        secret = box.open(settings.secret_sealed).get("secret") or ""
    except CredentialsError:
        return None, "secret_unreadable"
    body = encode(payload, now)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body),
        TIMESTAMP_HEADER: str(int(now.timestamp())),
    }
    try:
        if client is None:
            with http_client(timeout=TIMEOUT_SECONDS, allow_private=allow_private) as own:
                response = own.post(settings.url, content=body, headers=headers)
        else:
            response = client.post(settings.url, content=body, headers=headers)
    except net_policy.AddressRefused:
        return None, "private_address"
    except httpx.HTTPError:
        return None, "unreachable"
    if response.status_code == 404:
        return {}, None  # the CRM does not know this customer: an empty card, not a failure
    if response.status_code >= 300:
        return None, f"HTTP {response.status_code}"
    if len(response.content) > MAX_BODY_BYTES:
        return None, "too_large"
    try:
        answer = parse_answer(response.json())
    except (ValueError, CrmError):
        return None, "not_json"
    return _as_data(answer), None


def _as_data(answer: CrmAnswer) -> dict[str, Any]:
    return {
        "customer_id": answer.customer_id,
        "name": answer.name,
        "tier": answer.tier,
        "note": answer.note,
        "open_orders": [
            {"reference": o.reference, "status": o.status, "label": o.label, "url": o.url}
            for o in answer.open_orders
        ],
    }


def _upsert(
    session: Session,
    brand_id: int,
    person_id: int,
    data: dict[str, Any] | None,
    error: str | None,
    now: datetime,
) -> None:
    """Store the latest answer; two CMs opening the same case at once both land on one row."""
    values = {
        "brand_id": brand_id,
        "person_id": person_id,
        "data": data,
        "error": error,
        "fetched_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(CrmProfile).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["brand_id", "person_id"],
        set_={
            "data": stmt.excluded.data,
            "error": stmt.excluded.error,
            "fetched_at": stmt.excluded.fetched_at,
        },
    )
    session.execute(stmt)
