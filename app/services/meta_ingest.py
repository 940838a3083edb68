"""Meta webhooks: subscription check, signature check, deliveries stored as mentions.

One endpoint serves every Facebook/Instagram account (a Meta app subscribes once per
object type): the GET handshake's `hub.verify_token` is compared with every Meta account's
verify token, and a POST is accepted when its `X-Hub-Signature-256` matches the app secret of
at least one account; its entries then go to the accounts whose Page id or Instagram user id
they name. Storage goes through `ingest.store_mentions` (unique per account and external id),
so Meta's retries and the poller's catch-up never store a comment twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from app.models import ConnectorAccount
from app.security import outbound
from app.security.secrets_box import CredentialsError, SecretsBox
from app.services import ingest, triage
from connectors import AuthError, ConnectorError, FetchedMention, PermanentError, get_connector
from connectors.meta import MetaConnector
from connectors.meta_facebook import FacebookConnector
from connectors.meta_instagram import InstagramConnector

log = logging.getLogger("vigie.meta")

META_PLATFORMS = ("facebook", "instagram")
#: The `object` of a delivery → the platform of the accounts it concerns.
OBJECT_PLATFORM = {"page": "facebook", "instagram": "instagram"}
SIGNATURE_HEADER = "X-Hub-Signature-256"


class DeliveryRefused(Exception):
    """A POST that is not Meta's (401) or not a delivery (400)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class DeliveryResult:
    stored: int = 0
    duplicates: int = 0
    ignored: int = 0  # changes that are not new comments (edits, likes, our own replies…)
    retry: bool = False  # a mention could not be read now: ask Meta to deliver again
    mention_ids: list[str] = field(default_factory=list)


def _meta_accounts(session: Session, box: SecretsBox) -> list[tuple[ConnectorAccount, dict]]:
    """Active Meta accounts with their decrypted credentials."""
    found = []
    for account in session.exec(
        select(ConnectorAccount)
        .where(col(ConnectorAccount.platform).in_(META_PLATFORMS), ConnectorAccount.is_active)
        .order_by(col(ConnectorAccount.id))
    ):
        try:
            credentials = (
                box.open(account.credentials_encrypted) if account.credentials_encrypted else {}
            )
        except CredentialsError:
            log.warning("meta webhook: account %s credentials unreadable", account.id)
            continue
        found.append((account, credentials))
    return found


def _same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets of any length (digests compared)."""
    return hmac.compare_digest(
        hashlib.sha256(a.encode()).digest(), hashlib.sha256(b.encode()).digest()
    )


def subscription_ok(*, session: Session, box: SecretsBox, verify_token: str) -> bool:
    """Whether `verify_token` is some Meta account's webhook verify token."""
    matched = False
    for _, credentials in _meta_accounts(session, box):
        expected = str(credentials.get("verify_token") or "")
        # Every account compared, no early exit: the time says nothing about which matched.
        matched |= bool(expected) and _same(verify_token, expected)
    return matched


def signature_ok(body: bytes, secret: str, header: str | None) -> bool:
    """`sha256=<hex HMAC-SHA256 of the raw body keyed with the app secret>`."""
    if not header or not header.startswith("sha256=") or not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].strip().lower().encode(), expected.encode())


def _connector(account: ConnectorAccount, credentials: dict[str, Any]) -> MetaConnector:
    cls = get_connector(account.platform)
    connector = cls(
        credentials=credentials,
        base_url=account.base_url,
        account_handle=account.handle or None,
        options=dict(account.options or {}),
        net_policy=outbound.policy(),
    )
    assert isinstance(connector, MetaConnector)
    return connector


def handle_delivery(
    *, session: Session, box: SecretsBox, body: bytes, signature: str | None
) -> DeliveryResult:
    """Check, parse and store one delivery; commits. DeliveryRefused when it is not Meta's."""
    # One HMAC per distinct app secret: many Pages usually share one Meta app.
    verdicts: dict[str, bool] = {}
    accounts = []
    for account, creds in _meta_accounts(session, box):
        secret = str(creds.get("app_secret") or "")
        if secret not in verdicts:
            verdicts[secret] = signature_ok(body, secret, signature)
        if verdicts[secret]:
            accounts.append((account, creds))
    if not accounts:
        raise DeliveryRefused(401, f"{SIGNATURE_HEADER} missing or wrong")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise DeliveryRefused(400, "body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
        raise DeliveryRefused(400, "a delivery has an object and a list of entries")
    platform = OBJECT_PLATFORM.get(str(data.get("object")))
    result = DeliveryResult()
    if platform is None:
        result.ignored += 1
        return result
    by_account: dict[int, tuple[ConnectorAccount, list[FetchedMention]]] = {}
    for entry in data["entry"]:
        if not isinstance(entry, dict):
            continue
        targets = [
            (a, c)
            for a, c in accounts
            if a.platform == platform
            and str(c.get("page_id" if platform == "facebook" else "ig_user_id") or "")
            == str(entry.get("id"))
        ]
        changes = entry.get("changes")
        events = entry.get("messaging")  # private messages (Messenger, Instagram direct)
        for account, credentials in targets:
            items = by_account.setdefault(account.id, (account, []))[1]  # type: ignore[arg-type]
            connector = _connector(account, credentials)
            with connector:
                for change in changes if isinstance(changes, list) else []:
                    mention = _mention(connector, change, result)
                    if mention is not None:
                        items.append(mention)
                    else:
                        result.ignored += 1
                for event in events if isinstance(events, list) else []:
                    message = (
                        connector.message_from_webhook(event) if isinstance(event, dict) else None
                    )
                    if message is not None:
                        items.append(message)
                    else:
                        result.ignored += 1  # echoes of ours, reads, reactions
    for account, items in by_account.values():
        stored = ingest.store_mentions(session=session, account=account, items=items)
        session.commit()
        result.stored += len(stored.new)
        result.duplicates += stored.duplicates
        result.mention_ids += stored.new
        if stored.new:
            triage.triage_pending(
                session=session,
                account_id=account.id,
                external_ids=stored.new,
                limit=len(stored.new),
            )
            session.commit()
    return result


def _mention(
    connector: MetaConnector, change: Any, result: DeliveryResult
) -> FetchedMention | None:
    if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
        return None
    field_name, value = str(change.get("field")), change["value"]
    if isinstance(connector, FacebookConnector):
        return connector.mention_from_webhook(value) if field_name == "feed" else None
    assert isinstance(connector, InstagramConnector)
    if field_name != "mentions":
        return connector.mention_from_webhook(field_name, value)
    # An @mention only carries ids: its text is read from the Graph API now.
    media_id = str(value.get("media_id") or "")
    if not media_id:
        return None
    try:
        return connector.fetch_mentioned(media_id, str(value.get("comment_id") or "") or None)
    except (PermanentError, AuthError) as exc:
        # Gone, or the token no longer works (polling flags the account): retrying won't help.
        log.info("meta webhook: mention %s not readable: %s", media_id, exc.message)
        return None
    except ConnectorError as exc:
        log.warning("meta webhook: mention %s not read now: %s", media_id, exc.message)
        result.retry = True
        return None
