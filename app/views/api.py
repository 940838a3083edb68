"""The inbound mentions API: any channel we do not poll (web form, e-mail gateway, SMS)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from sqlmodel import Session, select

from app.extensions import csrf, db
from app.models import ConnectorAccount, Mention
from app.security import webhook_quota
from app.security.push_signature import push_refusal
from app.services import bulk, ingest, push_tokens, savepoints, table_statistics, triage
from app.services.coalesce import Arrival, Coalescer
from app.views.openapi import openapi_document
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

log = logging.getLogger("vigie.ingest")

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated machine calls: CSRF protects cookie sessions, not bearer tokens.
csrf.exempt(bp)


LARGE_BATCH = 50
# Single pushes of one account that overlap are stored and triaged together (group commit).
SINGLES: Coalescer[FetchedMention, tuple[bool, int | None, Any]] = Coalescer()


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
    assert account.id is not None  # a stored account
    # From here a leader of this account's group commit waits for this push (briefly).
    with SINGLES.announce(account.id) as arrival:
        return _push_one(account, data, len(body), arrival)


def _account_from_token() -> ConnectorAccount:
    """The pushing account (read once every few seconds per process, checked again by the
    batch that stores: ``push_tokens``)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise ApiError(401, "Authorization: Bearer <token> required")
    account = push_tokens.TOKENS.account(session=db(), token=header[7:].strip())
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


def _store_and_triage(
    account: ConnectorAccount, items: list[FetchedMention]
) -> tuple[set[str], dict[str, tuple[int | None, Any]]]:
    """Store the mentions not stored yet and triage those; returns their external ids, and
    our mention id and case id for each of them."""
    session = db()
    # The token may have been revoked since this process read it (``push_tokens``): refused
    # now, in the transaction that would store.
    if not push_tokens.TOKENS.still_current(session=session, account=account):
        raise ApiError(401, "unknown or disabled token")
    # A fresh database has no statistics: plan the big batches that follow on real ones (and
    # keep them whatever happens to this batch).
    if len(items) >= LARGE_BATCH and table_statistics.analyse_if_never_done(session=session):
        session.commit()
    if session.connection().dialect.name == "postgresql":
        # First without the savepoints that isolate a failing step (six round trips a batch):
        # any failure, a push racing ours for the same ids included, rolls it all back and
        # the guarded way below runs instead, to the same outcome.
        try:
            with savepoints.one_shot(session):
                return _store_and_triage_once(session, account, items)
        except Exception:
            log.info("one-shot push of %d mentions rolled back; guarded", len(items), exc_info=True)
            session.rollback()
    return _store_and_triage_once(session, account, items)


def _store_and_triage_once(
    session: Session, account: ConnectorAccount, items: list[FetchedMention]
) -> tuple[set[str], dict[str, tuple[int | None, Any]]]:
    # Stored and triaged in one transaction: nobody sees these mentions before they are
    # triaged (no claim, no reading back), and a triage that fails in its savepoint leaves
    # them stored and untriaged for the worker's sweeper, as a separate commit did.
    # Each row inserted once, already triaged (PostgreSQL), not inserted then rewritten.
    result = ingest.store_mentions(session=session, account=account, items=items, defer=True)
    placed: dict[str, tuple[int | None, Any]] = {}
    if result.new:
        assert account.id is not None  # a stored account
        # Only what this request stored: other requests and the worker triage theirs. The
        # brand is read with each batch (its settings steer triage), not kept with the token.
        placed.update(
            triage.triage_stored(
                session=session,
                account_id=account.id,
                external_ids=result.new,
                stored=result.rows,
                insert=result.deferred,
                people=result.people,
            )
        )
    session.commit()
    # Deferred inserts: what a concurrent push stored first is a duplicate, not ours.
    return {e for e in result.new if not result.deferred or e in placed}, placed


def _push_one(account: ConnectorAccount, data: Any, size: int, arrival: Arrival) -> Any:
    if size > WEBHOOK_MAX_BYTES:
        raise ApiError(413, f"body larger than {WEBHOOK_MAX_BYTES} bytes")
    _spend_quota(account, 1)
    try:
        fetched = parse_webhook_payload(data)
    except WebhookPayloadError as exc:
        raise ApiError(422, str(exc), exc.field) from None
    assert account.id is not None
    new, mention_id, case_id = SINGLES.submit(
        account.id, fetched, lambda items: _store_singles(account, items), arrival
    )
    return _accepted({"id": mention_id, "case_id": case_id, "duplicate": not new})


def _store_singles(
    account: ConnectorAccount, items: Sequence[FetchedMention]
) -> list[tuple[bool, int | None, Any] | Exception]:
    """Single pushes of one account that arrived together, stored and triaged as one batch;
    (new, mention id, case id) for each. The same id twice: the first one is new. If the batch
    fails (a value the database refuses), each push is tried on its own, so that only the
    faulty one fails."""
    try:
        new, placed = _store_and_triage(account, list(items))
    except ApiError as exc:  # the token revoked: every push of the batch is refused
        db().rollback()
        return [exc] * len(items)
    except Exception as exc:
        db().rollback()
        if len(items) == 1:
            return [exc]
        return [outcome for item in items for outcome in _store_singles(account, [item])]
    known = {
        **placed,
        **_stored(account, [i.external_id for i in items if i.external_id not in placed]),
    }
    outcomes: list[tuple[bool, int | None, Any] | Exception] = []
    for item in items:
        mention_id, case_id = known.get(item.external_id, (None, None))
        outcomes.append((item.external_id in new, mention_id, case_id))
        new.discard(item.external_id)  # a second push of the same id is a duplicate
    return outcomes


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
    new, stored = _store_and_triage(account, valid) if valid else (set(), {})
    # Duplicates (stored before) are looked up; what this request stored is known already.
    stored.update(_stored(account, [i.external_id for i in valid if i.external_id not in stored]))
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
    return _accepted({"results": results, **counts})


def _accepted(body: dict[str, Any]) -> Response:
    """202 with `body` as compact JSON (what jsonify does, without its per-call lookups)."""
    return Response(json.dumps(body, separators=(",", ":")), 202, mimetype="application/json")


def _stored(
    account: ConnectorAccount, external_ids: list[str]
) -> dict[str, tuple[int | None, Any]]:
    """Our mention id and case id for each of the account's external ids."""
    if not external_ids:
        return {}
    rows = db().exec(
        select(Mention.external_id, Mention.id, Mention.case_id).where(
            Mention.account_id == account.id,
            bulk.one_of(db(), Mention.external_id, set(external_ids)),
        )
    )
    return {external_id: (mention_id, case_id) for external_id, mention_id, case_id in rows}


@bp.get("/openapi.json")
def openapi() -> Any:
    """The OpenAPI description of this API."""
    return jsonify(openapi_document(url_for("api.push_mention", _external=True)))
