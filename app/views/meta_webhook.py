"""The Meta webhook receiver: `/api/v1/meta/webhook` (Facebook `feed`, Instagram
`comments` and `mentions`), with the `hub.challenge` handshake and signed deliveries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from app.extensions import csrf, db
from app.services import meta_ingest
from app.services.accounts import secrets_box
from connectors.webhook import WEBHOOK_BATCH_MAX_BYTES

bp = Blueprint("meta_webhook", __name__, url_prefix="/api/v1/meta")
# Meta signs its deliveries; there is no cookie session to protect.
csrf.exempt(bp)

MAX_CHALLENGE = 200


@bp.get("/webhook")
def verify() -> Any:
    """Meta's subscription handshake: echo `hub.challenge` when the verify token is ours."""
    mode = request.args.get("hub.mode", "")
    token = request.args.get("hub.verify_token", "")
    challenge = request.args.get("hub.challenge", "")
    if mode != "subscribe" or not token or not challenge or len(challenge) > MAX_CHALLENGE:
        return jsonify({"error": "hub.mode=subscribe, hub.verify_token and hub.challenge"}), 400
    if not meta_ingest.subscription_ok(session=db(), box=secrets_box(), verify_token=token):
        return jsonify({"error": "unknown verify token"}), 403
    return Response(challenge, 200, mimetype="text/plain")


@bp.post("/webhook")
def deliver() -> Any:
    """Store the comments and mentions of a signed delivery; 200 once stored (Meta retries
    anything else), 503 when a mention could not be read yet (Meta delivers it again)."""
    if request.content_length is not None and request.content_length > WEBHOOK_BATCH_MAX_BYTES:
        return jsonify({"error": f"body larger than {WEBHOOK_BATCH_MAX_BYTES} bytes"}), 413
    request.max_content_length = WEBHOOK_BATCH_MAX_BYTES
    body = request.get_data(cache=False)
    try:
        result = meta_ingest.handle_delivery(
            session=db(),
            box=secrets_box(),
            body=body,
            signature=request.headers.get(meta_ingest.SIGNATURE_HEADER),
        )
    except meta_ingest.DeliveryRefused as exc:
        return jsonify({"error": exc.message}), exc.status
    answer = {"stored": result.stored, "duplicates": result.duplicates, "ignored": result.ignored}
    return jsonify(answer), 503 if result.retry else 200
