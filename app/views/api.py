"""The inbound mentions API: any channel we do not poll (web form, e-mail gateway, SMS)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from sqlmodel import col, select

from app.extensions import csrf, db
from app.models import ConnectorAccount, Mention
from app.security import webhook_quota
from app.security.push_signature import push_refusal
from app.services import accounts, ingest, table_statistics, triage
from connectors import FetchedMention
from connectors.webhook import (
    WEBHOOK_BATCH_MAX_BYTES,
    WEBHOOK_BATCH_MAX_ITEMS,
    WEBHOOK_MAX_BYTES,
    WebhookPayloadError,
    load_webhook_json,
    parse_webhook_batch,
    parse_webhook_payload,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine calls: CSRF protects cookie sessions, not bearer tokens.
csrf.exempt(bp)


LARGE_BATCH = 50


class ApiError(Exception):
    """An answer other than 202: status, message, the offending field, extra headers."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field
        self.headers = headers or {}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Any:
    body: dict[str, Any] = {"error": exc.message}
    if exc.field:
        body["field"] = exc.field
    return jsonify(body), exc.status, exc.headers


@bp.errorhandler(413)
def _too_large(_exc: Exception) -> Any:
    # A body without Content-Length that outgrows the limit while it is read.
    return jsonify({"error": f"body larger than {WEBHOOK_BATCH_MAX_BYTES} bytes"}), 413


@bp.post("/mentions")
def push_mention() -> Any:
    """Store one pushed mention or a batch of them (idempotent on their ids), triage them,
    answer 202 with our ids."""
    account = _account_from_token()
    body = _read_body()
    if refusal := push_refusal(account, body, request.headers):
        raise ApiError(401, refusal)
    data = _decode(body)
    if isinstance(data, list):
        return _push_batch(account, data)
    return _push_one(account, data, len(body))


def _account_from_token() -> ConnectorAccount:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "Authorization: Bearer <token> required")
    account = accounts.by_webhook_token(session=db(), token=header[7:].strip())
    if account is None or not account.is_active:
        raise ApiError(401, "unknown or disabled token")
    return account


def _read_body() -> bytes:
    """The raw body, at most a batch's size (a single mention is held to less, once parsed)."""
    limit = WEBHOOK_BATCH_MAX_BYTES
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"body larger than {limit} bytes: split the batch")
    request.max_content_length = limit
    return request.get_data(cache=False)


def _decode(body: bytes) -> Any:
    try:
        return load_webhook_json(body, max_bytes=WEBHOOK_BATCH_MAX_BYTES)
    except WebhookPayloadError as exc:
        raise ApiError(422, str(exc), exc.field) from None


def _spend_quota(account: ConnectorAccount, cost: int) -> None:
    """Count `cost` mentions against the account's limit; 429 with Retry-After when over."""
    rate = webhook_quota.rate_for(account.options)
    if cost > rate.amount:
        raise ApiError(
            413,
            f"{cost} mentions in one request, but this account may push at most "
            f"{webhook_quota.describe(rate)}: send smaller batches",
        )
    wait = webhook_quota.spend(account.id, rate, cost)  # type: ignore[arg-type]
    if wait is not None:
        raise ApiError(
            429,
            f"rate limit exceeded: this account may push at most {webhook_quota.describe(rate)}"
            f"; nothing was stored, retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )


def _store_and_triage(account: ConnectorAccount, items: list[FetchedMention]) -> set[str]:
    """Store the mentions not stored yet and triage those; returns their external ids."""
    session = db()
    if len(items) >= LARGE_BATCH:
        # A fresh database has no statistics: plan the big batches that follow on real ones.
        table_statistics.analyse_if_never_done(session=session)
    result = ingest.store_mentions(session=session, account=account, items=items)
    session.commit()
    if result.new:
        # Only what this request stored: other requests and the worker triage theirs.
        triage.triage_pending(
            session=session,
            account_id=account.id,
            external_ids=result.new,
            limit=len(result.new),
        )
        session.commit()
    return set(result.new)


def _push_one(account: ConnectorAccount, data: Any, size: int) -> Any:
    if size > WEBHOOK_MAX_BYTES:
        raise ApiError(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes")
    _spend_quota(account, 1)
    try:
        fetched = parse_webhook_payload(data)
    except WebhookPayloadError as exc:
        raise ApiError(422, str(exc), exc.field) from None
    new = _store_and_triage(account, [fetched])
    mention_id, case_id = _stored(account, [fetched.external_id])[fetched.external_id]
    return jsonify({"id": mention_id, "case_id": case_id, "duplicate": not new}), 202


def _push_batch(account: ConnectorAccount, data: list[Any]) -> Any:
    """Each item on its own: the valid ones stored even when others are invalid. Over the
    account's limit the whole batch is refused (429) and nothing is stored: retrying it as is
    later is safe, since ids already stored come back as duplicates."""
    try:
        parsed = parse_webhook_batch(data)
    except WebhookPayloadError as exc:
        status = 413 if len(data) > WEBHOOK_BATCH_MAX_ITEMS else 422
        raise ApiError(status, str(exc), exc.field) from None
    _spend_quota(account, len(parsed))
    valid = [item for item in parsed if isinstance(item, FetchedMention)]
    new = _store_and_triage(account, valid) if valid else set()
    stored = _stored(account, [item.external_id for item in valid])
    results = []
    for index, item in enumerate(parsed):
        if isinstance(item, WebhookPayloadError):
            raw = data[index]
            given = raw.get("id") if isinstance(raw, dict) else None
            results.append(
                {
                    "index": index,
                    "id": given if isinstance(given, str) else None,
                    "status": "invalid",
                    "error": str(item),
                    "field": item.field,
                }
            )
            continue
        accepted = item.external_id in new
        new.discard(item.external_id)  # the same id twice in one batch: once accepted
        mention_id, case_id = stored.get(item.external_id, (None, None))
        results.append(
            {
                "index": index,
                "id": item.external_id,
                "status": "accepted" if accepted else "duplicate",
                "mention_id": mention_id,
                "case_id": case_id,
            }
        )
    counts = {s: sum(r["status"] == s for r in results) for s in ("accepted", "duplicate")}
    counts["invalid"] = len(results) - counts["accepted"] - counts["duplicate"]
    return jsonify({"results": results, **counts}), 202


def _stored(account: ConnectorAccount, external_ids: list[str]) -> dict[str, tuple[int, Any]]:
    """Our mention id and case id for each of the account's external ids."""
    if not external_ids:
        return {}
    rows = db().exec(
        select(Mention.external_id, Mention.id, Mention.case_id).where(
            Mention.account_id == account.id, col(Mention.external_id).in_(set(external_ids))
        )
    )
    return {external_id: (mention_id, case_id) for external_id, mention_id, case_id in rows}


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI description of this API."""
    return jsonify(openapi_document(url_for("api.push_mention", _external=True)))


def openapi_document(server_url: str) -> dict[str, Any]:
    author = {
        "type": "object",
        "required": ["id", "handle"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "handle": {"type": "string"},
            "name": {"type": "string"},
            "followers": {"type": "integer", "minimum": 0},
        },
    }
    mention = {
        "type": "object",
        "required": ["id", "text", "author", "created_at"],
        "properties": {
            "id": {"type": "string", "description": "Your id: sending it again is harmless."},
            "text": {"type": "string", "maxLength": 10000},
            "author": author,
            "created_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
            "channel": {"type": "string", "description": "e.g. web_form, email, sms"},
            "in_reply_to": {"type": "string"},
            "lang": {"type": "string", "description": "ISO 639-1, e.g. fr"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Vigie inbound mentions",
            "version": "1",
            "description": (
                "Push mentions from channels Vigie does not poll. Replies go back to the "
                "account's reply URL (see `webhooks.reply`); an account without one shows "
                "each reply to copy by hand."
            ),
        },
        "servers": [{"url": server_url.rsplit("/mentions", 1)[0]}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Mention": mention, **_result_schemas()},
        },
        "security": [{"bearer": []}],
        "webhooks": {"reply": _reply_delivery()},
        "paths": {
            "/mentions": {
                "post": {
                    "summary": "Push one mention, or a batch of up to 500, for triage",
                    "description": (
                        "The body is one Mention object, or a JSON array of up to "
                        f"{WEBHOOK_BATCH_MAX_ITEMS} of them "
                        f"({WEBHOOK_BATCH_MAX_BYTES // 1024 // 1024} MiB at most). "
                        "Each item of a batch is checked on its own: valid items "
                        "are stored and triaged even when others are invalid, and an id already "
                        "stored comes back as `duplicate`, so replaying a batch is harmless. "
                        "Every item counts against the account's limit (600 a minute unless "
                        "the agency set another one for this account): over it, the whole "
                        "request is refused with 429 and `Retry-After`, nothing stored. "
                        "When the account has a secret, sign each push: `X-Vigie-Timestamp` "
                        "(Unix seconds) and `X-Vigie-Signature: sha256=` + hex HMAC-SHA256 of "
                        "`<timestamp>.` followed by the raw body, keyed with the secret. An "
                        "unsigned or wrongly signed push, or one whose timestamp is more than "
                        "5 minutes from now, is refused with 401."
                    ),
                    "parameters": [
                        {
                            "in": "header",
                            "name": "X-Vigie-Signature",
                            "required": False,
                            "schema": {"type": "string", "pattern": "^sha256=[0-9a-f]{64}$"},
                            "description": "Required when the account has a secret.",
                        },
                        {
                            "in": "header",
                            "name": "X-Vigie-Timestamp",
                            "required": False,
                            "schema": {"type": "string", "pattern": "^[0-9]+$"},
                            "description": "Unix seconds; required when the account has a secret.",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": "#/components/schemas/Mention"},
                                        {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": WEBHOOK_BATCH_MAX_ITEMS,
                                            "items": {"$ref": "#/components/schemas/Mention"},
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": {
                            "description": (
                                "One mention: our id and case id, `duplicate` when it was "
                                "already stored. A batch: one result per item, in order."
                            ),
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [
                                            {"$ref": "#/components/schemas/Stored"},
                                            {"$ref": "#/components/schemas/BatchResult"},
                                        ]
                                    }
                                }
                            },
                        },
                        "401": {
                            "description": (
                                "Missing or unknown token; or, for an account with a secret, "
                                "a missing, wrong or stale signature"
                            )
                        },
                        "413": {
                            "description": (
                                "Body too large: 64 KiB for one mention, 5 MiB or 500 items "
                                "for a batch, or more items than the account's limit a minute"
                            )
                        },
                        "422": {"description": "Invalid field (one mention); `field` names it"},
                        "429": {
                            "description": (
                                "Over the account's limit of mentions a minute (each item "
                                "counts): nothing stored; retry after `Retry-After` seconds"
                            ),
                            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        },
                    },
                }
            }
        },
    }


def _result_schemas() -> dict[str, Any]:
    """The 202 answers: one stored mention, or a batch's result per item."""
    stored = {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "description": "Our mention id."},
            "case_id": {"type": ["integer", "null"]},
            "duplicate": {"type": "boolean"},
        },
    }
    item = {
        "type": "object",
        "required": ["index", "id", "status"],
        "properties": {
            "index": {"type": "integer", "description": "Position of the item in the batch."},
            "id": {"type": ["string", "null"], "description": "Your id (null if missing)."},
            "status": {"enum": ["accepted", "duplicate", "invalid"]},
            "error": {"type": "string", "description": "Why the item is invalid."},
            "field": {"type": "string", "description": "e.g. `3.author.handle`"},
            "mention_id": {"type": "integer"},
            "case_id": {"type": ["integer", "null"]},
        },
    }
    batch = {
        "type": "object",
        "properties": {
            "results": {"type": "array", "items": item},
            "accepted": {"type": "integer"},
            "duplicate": {"type": "integer"},
            "invalid": {"type": "integer"},
        },
    }
    return {"Stored": stored, "BatchResult": batch}


def _reply_delivery() -> dict[str, Any]:
    """How Vigie POSTs a reply to a webhook account's reply URL (OpenAPI `webhooks`)."""
    header = {"in": "header", "required": True, "schema": {"type": "string"}}
    reply = {
        "type": "object",
        "required": ["idempotency_key", "in_reply_to", "text", "sent_at", "timestamp"],
        "properties": {
            "idempotency_key": {"type": "string", "description": "Same as the header."},
            "in_reply_to": {"type": "string", "description": "The `id` of the pushed mention."},
            "channel": {"type": ["string", "null"]},
            "author_handle": {"type": "string", "description": "Who the mention came from."},
            "text": {"type": "string", "description": "The reply to publish, as approved."},
            "language": {"type": ["string", "null"]},
            "sent_at": {"type": "string", "format": "date-time"},
            "timestamp": {"type": "integer", "description": "Unix seconds, signed with the body."},
        },
    }
    return {
        "post": {
            "summary": "A reply to publish on your channel",
            "description": (
                "Sent to the account's reply URL (https only). Check `X-Vigie-Signature`: "
                "`sha256=` + hex HMAC-SHA256 of the raw body keyed with the account's reply "
                "secret (else its `secret`); reject old `timestamp`s. Dedupe on "
                "`Idempotency-Key`: when your answer is lost (timeout, connection cut, 5xx) "
                "Vigie delivers the same reply again with the same key, so publish each key "
                "once and answer a repeated key 2xx with the same `id`. A 2xx counts as "
                "published (the case's first response); 4xx other than 408/429 is a refusal "
                "shown to the agency, not retried; 429 is retried after `Retry-After`."
            ),
            "parameters": [
                {**header, "name": "X-Vigie-Signature"},
                {**header, "name": "X-Vigie-Timestamp"},
                {**header, "name": "Idempotency-Key"},
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": reply}},
            },
            "responses": {
                "200": {
                    "description": "Published (or already published under this key)",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "id": {"type": "string"},
                                    "url": {"type": "string", "format": "uri"},
                                },
                            }
                        }
                    },
                },
                "204": {"description": "Published; Vigie records the idempotency key as its id"},
                "422": {"description": "Refused: shown to the agency as a failed send"},
            },
        }
    }
