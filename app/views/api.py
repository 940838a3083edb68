"""The inbound mentions API: any channel we do not poll (web form, e-mail gateway, SMS)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for
from sqlmodel import select

from app.extensions import csrf, db, limiter
from app.models import Mention
from app.security.push_signature import push_refusal
from app.services import accounts, ingest

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine calls: CSRF protects cookie sessions, not bearer tokens.
csrf.exempt(bp)


def _error(status: int, message: str, field: str | None = None) -> Any:
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


# Per token; tests and big installations set VIGIE_WEBHOOK_RATE_LIMIT in the app config.
DEFAULT_RATE_LIMIT = "600 per minute"


def _rate_limit() -> str:
    return str(current_app.config.get("VIGIE_WEBHOOK_RATE_LIMIT", DEFAULT_RATE_LIMIT))


@bp.errorhandler(429)
def _too_many(_exc: Exception) -> Any:
    return _error(429, f"rate limit exceeded: at most {_rate_limit()} per token")


def _token_key() -> str:
    return "webhook:" + request.headers.get("Authorization", "")[-16:]


@bp.post("/mentions")
@limiter.limit(_rate_limit, key_func=_token_key)
def push_mention() -> Any:
    """Store one pushed mention (idempotent on its id), triage it, answer 202 with our id."""
    from connectors.webhook import WEBHOOK_MAX_BYTES, WebhookPayloadError, parse_webhook_payload

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return _error(401, "Authorization: Bearer <token> required")
    account = accounts.by_webhook_token(session=db(), token=header[7:].strip())
    if account is None or not account.is_active:
        return _error(401, "unknown or disabled token")
    if request.content_length is not None and request.content_length > WEBHOOK_MAX_BYTES:
        return _error(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes")
    body = request.get_data(cache=False)
    if len(body) > WEBHOOK_MAX_BYTES:
        return _error(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes")
    if refusal := push_refusal(account, body, request.headers):
        return _error(401, refusal)
    try:
        fetched = parse_webhook_payload(body)
    except WebhookPayloadError as exc:
        return _error(422, str(exc), exc.field)
    session = db()
    result = ingest.store_mentions(session=session, account=account, items=[fetched])
    session.commit()
    if result.new:
        # Only what this request stored: other requests and the worker triage theirs.
        ingest.triage_pending(session=session, account_id=account.id, external_ids=result.new)
        session.commit()
    mention = session.exec(
        select(Mention).where(
            Mention.account_id == account.id, Mention.external_id == fetched.external_id
        )
    ).one()
    return jsonify({"id": mention.id, "case_id": mention.case_id, "duplicate": not result.new}), 202


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
            "schemas": {"Mention": mention},
        },
        "security": [{"bearer": []}],
        "webhooks": {"reply": _reply_delivery()},
        "paths": {
            "/mentions": {
                "post": {
                    "summary": "Push one mention for triage",
                    "description": (
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
                            "application/json": {"schema": {"$ref": "#/components/schemas/Mention"}}
                        },
                    },
                    "responses": {
                        "202": {"description": "Stored (or already stored): our id and case id"},
                        "401": {
                            "description": (
                                "Missing or unknown token; or, for an account with a secret, "
                                "a missing, wrong or stale signature"
                            )
                        },
                        "413": {"description": "Body too large (64 KiB)"},
                        "422": {"description": "Invalid field; `field` names it"},
                        "429": {
                            "description": "Over 600 mentions a minute on this token: retry later"
                        },
                    },
                }
            }
        },
    }


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
