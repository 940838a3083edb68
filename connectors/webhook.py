"""Inbound webhook: any other channel pushes mentions to Vigie as JSON.

Body (UTF-8 JSON, at most `WEBHOOK_MAX_BYTES`)::

    {"id": "abc-123",                       # unique per account: retries are deduplicated
     "text": "Mon colis n'est jamais arrivé",
     "author": {"id": "u42", "handle": "marie", "name": "Marie", "followers": 120},
     "created_at": "2026-01-05T10:00:00+01:00",   # ISO-8601 with a time zone
     "url": "https://…", "channel": "facebook", "in_reply_to": "abc-100", "lang": "fr"}

A batch is a JSON array of such objects (at most `WEBHOOK_BATCH_MAX_ITEMS`, and
`WEBHOOK_BATCH_MAX_BYTES` in all): `parse_webhook_batch` checks each item on its own, so one
invalid item does not hold back the others.

When the account has a `secret` credential, pushes must be signed: header
`X-Vigie-Timestamp: <unix seconds>` and `X-Vigie-Signature: sha256=<hex HMAC-SHA256 of
"<timestamp>." + the raw body, keyed with the secret>` (`push_signature`). The app's route
refuses (401) a push without them, wrongly signed, or whose timestamp is more than
`PUSH_MAX_SKEW` away from now (a replay), before calling `parse_webhook_payload`
(`check_push_signature`).

Replies: the webhook connector cannot post on the brand's channel itself. When the account
has a `reply_url` option, `post_reply` POSTs the reply as JSON to it, signed the same way
(`X-Vigie-Signature` over the raw body, keyed with the `reply_secret` credential or else
`secret`; `X-Vigie-Timestamp`, also in the body; `Idempotency-Key`), and the brand's system
delivers it; the answer may carry `{"id", "url"}` of the published reply. A delivery that
times out or gets a 5xx is sent again with the SAME key: the receiver must dedupe on
`Idempotency-Key` (a second delivery of a key it already handled answers 2xx, with the same
`id` if it has one). Without `reply_url` it raises UnsupportedAction and the reply has to be
copied by hand.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from connectors.base import (
    AuthError,
    AuthorInfo,
    Connector,
    FetchedMention,
    FetchResult,
    OutgoingReply,
    PermanentError,
    PostResult,
    TransientError,
    UnsupportedAction,
    utcnow,
)
from connectors.http_support import (
    json_body,
    new_client,
    raise_for_status,
    send,
)
from connectors.net_policy import URLRefused

WEBHOOK_MAX_BYTES = 64 * 1024
# A batch (JSON array of mentions): 500 at most, 5 MiB at most (about 10 KB a mention).
WEBHOOK_BATCH_MAX_ITEMS = 500
WEBHOOK_BATCH_MAX_BYTES = 5 * 1024 * 1024
WEBHOOK_MAX_TEXT_CHARS = 10_000
SIGNATURE_HEADER = "X-Vigie-Signature"
TIMESTAMP_HEADER = "X-Vigie-Timestamp"
PUSH_MAX_SKEW = timedelta(minutes=5)  # a signed push older (or newer) than this is a replay
_DEFAULT_WAIT = timedelta(minutes=1)  # the brand's endpoint rate-limited us without a date
_CHANNEL = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WebhookPayloadError(ValueError):
    """The pushed body is not a valid mention; `field` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class WebhookAuthor(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: Id
    handle: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    name: Annotated[str, StringConstraints(max_length=200)] | None = None
    followers: Annotated[int, Field(ge=0)] | None = None
    verified: bool = False
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None


class WebhookMention(BaseModel):
    """The documented body of an inbound mention."""

    model_config = ConfigDict(extra="ignore")

    id: Id
    text: Annotated[str, StringConstraints(min_length=1, max_length=WEBHOOK_MAX_TEXT_CHARS)]
    author: WebhookAuthor
    created_at: AwareDatetime
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None
    channel: str | None = None
    in_reply_to: Id | None = None
    thread_id: Id | None = None
    lang: Annotated[str, StringConstraints(max_length=16)] | None = None

    @field_validator("channel")
    @classmethod
    def _channel_is_a_slug(cls, value: str | None) -> str | None:
        if value is not None and not _CHANNEL.match(value):
            raise ValueError("must be a short lower-case name like 'facebook' or 'google-reviews'")
        return value

    @field_validator("url")
    @classmethod
    def _url_is_web(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value


def _friendly(error: ErrorDetails) -> WebhookPayloadError:
    field = ".".join(str(part) for part in error["loc"]) or "body"
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    messages = {
        "missing": "is required",
        "timezone_aware": "must include a time zone, e.g. 2026-01-05T10:00:00+01:00",
        "string_too_long": f"is too long (max {context.get('max_length')})",
        "string_too_short": "must not be empty",
        "string_type": "must be a string",
        "int_type": "must be an integer",
        "int_parsing": "must be an integer",
        "greater_than_equal": "must not be negative",
        "model_type": "must be an object",
    }
    message = messages.get(kind)
    if message is None and kind.startswith("datetime"):
        message = "must be an ISO-8601 date-time with a time zone"
    return WebhookPayloadError(field, message or str(error["msg"]))


def load_webhook_json(data: bytes, *, max_bytes: int = WEBHOOK_MAX_BYTES) -> Any:
    """Decode a pushed body (UTF-8 JSON of at most `max_bytes`); WebhookPayloadError if not."""
    if len(data) > max_bytes:
        raise WebhookPayloadError("body", f"is larger than {max_bytes} bytes")
    try:
        return json.loads(bytes(data).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError("body", "must be UTF-8 encoded JSON") from exc
    except json.JSONDecodeError as exc:
        raise WebhookPayloadError("body", f"is not valid JSON ({exc.msg})") from exc
    except RecursionError as exc:  # "[[[[…" thousands deep
        raise WebhookPayloadError("body", "is nested too deeply") from exc


def parse_webhook_payload(
    data: bytes | dict[str, Any], *, channel: str = "webhook"
) -> FetchedMention:
    """Validate a pushed body and return it as a FetchedMention (`channel` when it has none)."""
    if isinstance(data, bytes | bytearray):
        data = load_webhook_json(bytes(data))
    if not isinstance(data, dict):
        raise WebhookPayloadError("body", "must be a JSON object")
    try:
        payload = WebhookMention.model_validate(data)
    except ValidationError as exc:
        raise _friendly(exc.errors()[0]) from None
    author = payload.author
    return FetchedMention(
        external_id=payload.id,
        text=payload.text,
        author=AuthorInfo(
            external_id=author.id,
            handle=author.handle.lstrip("@"),
            name=author.name,
            followers=author.followers,
            verified=author.verified,
            url=author.url,
        ),
        posted_at=payload.created_at.astimezone(UTC),
        url=payload.url,
        lang=payload.lang,
        channel=payload.channel or channel,
        thread_id=payload.thread_id or payload.in_reply_to or payload.id,
        in_reply_to=payload.in_reply_to,
        visibility=None,
        raw=data,
    )


def parse_webhook_batch(
    items: list[Any], *, channel: str = "webhook"
) -> list[FetchedMention | WebhookPayloadError]:
    """Validate each item of a pushed batch on its own: a mention, or the error naming the
    offending field (prefixed with the item's index, e.g. `3.author.handle`)."""
    if not items:
        raise WebhookPayloadError("body", "must hold at least one mention")
    if len(items) > WEBHOOK_BATCH_MAX_ITEMS:
        raise WebhookPayloadError(
            "body", f"holds {len(items)} mentions: at most {WEBHOOK_BATCH_MAX_ITEMS} per request"
        )
    parsed: list[FetchedMention | WebhookPayloadError] = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse_webhook_payload(item, channel=channel))
        except WebhookPayloadError as exc:
            field = str(index) if exc.field == "body" else f"{index}.{exc.field}"
            message = "must be a JSON object" if exc.field == "body" else exc.message
            parsed.append(WebhookPayloadError(field, message))
    return parsed


def sign_body(body: bytes, secret: str) -> str:
    """Return the `X-Vigie-Signature` value for `body`: "sha256=" + hex HMAC-SHA256."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    """Check a signature header against `body` in constant time."""
    if not header or not secret:
        return False
    return hmac.compare_digest(sign_body(body, secret), header.strip())


class PushSignatureError(ValueError):
    """A push to an account with a secret is unsigned, wrongly signed or stale."""


def push_signature(body: bytes, secret: str, timestamp: int | str) -> str:
    """The `X-Vigie-Signature` of a push: HMAC-SHA256 of "<timestamp>." + raw body."""
    return sign_body(f"{timestamp}.".encode("ascii") + body, secret)


def check_push_signature(
    body: bytes,
    secret: str,
    *,
    signature: str | None,
    timestamp: str | None,
    now: datetime | None = None,
) -> None:
    """Raise PushSignatureError unless the push is signed with `secret` and fresh.

    The timestamp is inside the signed bytes, so a captured push cannot be replayed with a
    new timestamp; one replayed within the window is deduplicated on its id anyway.
    """
    if not signature or not timestamp:
        raise PushSignatureError(
            f"signed pushes required: send {SIGNATURE_HEADER} and {TIMESTAMP_HEADER}"
        )
    stamp = timestamp.strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise PushSignatureError(f"{TIMESTAMP_HEADER} must be Unix seconds")
    if abs((now or utcnow()).timestamp() - int(stamp)) > PUSH_MAX_SKEW.total_seconds():
        raise PushSignatureError(
            f"{TIMESTAMP_HEADER} is more than {int(PUSH_MAX_SKEW.total_seconds())} s "
            "away from now: check your clock, or this is a replay"
        )
    if not hmac.compare_digest(
        push_signature(body, secret, stamp).encode(), signature.strip().encode("utf-8", "replace")
    ):
        raise PushSignatureError(f"{SIGNATURE_HEADER} does not match the body")


class WebhookConnector(Connector):
    """Mentions are pushed to Vigie; replies go back to the brand's `reply_url`, if any.

    Credentials: `{"secret": ...}` (signs both directions; `reply_secret`, when present,
    signs outgoing replies instead). Options: `reply_url`.
    """

    platform: ClassVar[str] = "webhook"
    credential_fields: ClassVar[tuple[str, ...]] = ("secret", "reply_secret")
    option_fields: ClassVar[tuple[str, ...]] = ("reply_url",)

    def fetch(self, cursor: str | None) -> FetchResult:
        """Nothing to poll: mentions arrive through the webhook route."""
        return FetchResult([], cursor)

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """POST the signed reply to the brand's `reply_url` for delivery by their system."""
        reply_url = self.options.get("reply_url")
        if not reply_url:
            raise UnsupportedAction("webhook: no reply_url configured; copy the reply by hand")
        secret = self.credentials.get("reply_secret") or self.credentials.get("secret")
        if not secret:
            raise AuthError("webhook: no secret configured to sign replies")
        try:  # stored before the policy existed, or the deployment's setting changed
            reply_url = self.net_policy.check_url(str(reply_url), resolve=False)
        except URLRefused as exc:
            raise PermanentError(f"deliver reply: reply_url refused ({exc})") from exc
        now = utcnow()
        body = json.dumps(
            {
                "idempotency_key": reply.idempotency_key,
                "in_reply_to": reply.in_reply_to_external_id,
                "channel": (reply.in_reply_to_raw or {}).get("channel"),
                "author_handle": reply.author_handle,
                "text": reply.text,
                "language": reply.language,
                "sent_at": now.isoformat().replace("+00:00", "Z"),
                "timestamp": int(now.timestamp()),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        with new_client(self.http_timeout, policy=self.net_policy) as client:
            response = send(
                client,
                "POST",
                str(reply_url),
                action="deliver reply",
                write=True,
                content=body,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    SIGNATURE_HEADER: sign_body(body, str(secret)),
                    TIMESTAMP_HEADER: str(int(now.timestamp())),
                    "Idempotency-Key": reply.idempotency_key,
                },
            )
            raise_for_status(
                response,
                self.rate_limit,
                action="deliver reply",
                default_wait=_DEFAULT_WAIT,
                refusal_is_permanent=True,
                write=True,
            )
            answer: Any = json_body(response, write=True) if response.content.strip() else {}
        if not isinstance(answer, dict):
            raise TransientError("deliver reply: expected a JSON object or an empty body")
        return PostResult(
            external_id=str(answer.get("id") or reply.idempotency_key),
            url=answer.get("url"),
        )

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """The brand's system cannot be asked, but it dedupes deliveries on Idempotency-Key
        (the documented contract of `reply_url`): delivering again with the same key IS the
        check, so an unconfirmed delivery counts as not there (None)."""
        if not self.options.get("reply_url"):
            raise UnsupportedAction("webhook: no reply_url configured; copy the reply by hand")
        return None

    def verify(self) -> str:
        """Nothing remote to check: returns the configured handle (or "webhook")."""
        if not self.credentials.get("secret"):
            raise AuthError("webhook: no secret configured")
        return self.account_handle or "webhook"
