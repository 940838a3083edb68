"""The OpenAPI document of the push API (served by ``api.openapi``)."""

from __future__ import annotations

from typing import Any

from connectors.webhook import (
    WEBHOOK_BATCH_MAX_BYTES,
    WEBHOOK_BATCH_MAX_ITEMS,
)


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
