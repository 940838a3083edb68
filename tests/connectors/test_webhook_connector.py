from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from connectors import OutcomeUnknown, OutgoingReply, UnsupportedAction
from connectors.webhook import (
    SIGNATURE_HEADER,
    WEBHOOK_MAX_BYTES,
    WebhookConnector,
    WebhookPayloadError,
    parse_webhook_payload,
    sign_body,
    verify_signature,
)

VALID = {
    "id": "fb-123",
    "text": "Mon colis n'est jamais arrivé 😡",
    "author": {"id": "u42", "handle": "@marie", "name": "Marie", "followers": 120},
    "created_at": "2026-01-05T11:00:00+01:00",
    "url": "https://facebook.example/p/123",
    "channel": "facebook",
    "in_reply_to": "fb-100",
    "lang": "fr",
}


def test_a_valid_body_becomes_a_mention() -> None:
    mention = parse_webhook_payload(json.dumps(VALID).encode())
    assert mention.external_id == "fb-123"
    assert mention.text == "Mon colis n'est jamais arrivé 😡"
    assert mention.author.handle == "marie" and mention.author.followers == 120
    assert mention.posted_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert mention.channel == "facebook" and mention.in_reply_to == "fb-100"
    assert mention.raw["id"] == "fb-123"


def test_minimal_body_gets_the_default_channel() -> None:
    body = {k: VALID[k] for k in ("id", "text", "created_at")}
    body["author"] = {"id": "u1", "handle": "paul"}
    mention = parse_webhook_payload(body, channel="widget")
    assert mention.channel == "widget" and mention.url is None and mention.lang is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id": None}, "id", "string"),
        ({"text": ""}, "text", "empty"),
        ({"text": "a" * 10_001}, "text", "too long"),
        ({"created_at": "2026-01-05T10:00:00"}, "created_at", "time zone"),
        ({"created_at": "hier"}, "created_at", "ISO-8601"),
        ({"author": {"id": "u1"}}, "author.handle", "required"),
        ({"author": {"id": "u1", "handle": "a", "followers": -3}}, "author.followers", "negative"),
        ({"channel": "Face Book"}, "channel", "lower-case"),
        ({"url": "javascript:alert(1)"}, "url", "https://"),
    ],
)
def test_invalid_bodies_name_the_field(change: dict, field: str, message: str) -> None:
    body = {**VALID, **change}
    if change.get("id", "") is None:
        del body["id"]
        message = "required"
    with pytest.raises(WebhookPayloadError) as caught:
        parse_webhook_payload(body)
    assert caught.value.field == field
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b"\xff\xfe", "UTF-8"),
        (b" " * (WEBHOOK_MAX_BYTES + 1), "larger than"),
    ],
)
def test_unreadable_bodies(raw: bytes, message: str) -> None:
    with pytest.raises(WebhookPayloadError, match=message) as caught:
        parse_webhook_payload(raw)
    assert caught.value.field == "body"


def test_signatures() -> None:
    body = b'{"id": "1"}'
    header = sign_body(body, "s3cret")
    assert header.startswith("sha256=")
    assert verify_signature(body, "s3cret", header)
    assert not verify_signature(body + b" ", "s3cret", header)
    assert not verify_signature(body, "other", header)
    assert not verify_signature(body, "s3cret", None)


def reply() -> OutgoingReply:
    return OutgoingReply(
        text="Bonjour Marie, nous regardons votre colis.",
        in_reply_to_external_id="fb-123",
        in_reply_to_raw=VALID,
        author_handle="marie",
        idempotency_key="vigie-reply-7",
        language="fr",
    )


def test_reply_is_delivered_signed_to_the_brand_endpoint() -> None:
    connector = WebhookConnector(
        credentials={"secret": "s3cret"}, options={"reply_url": "https://brand.test/replies"}
    )
    with respx.mock:
        route = respx.post("https://brand.test/replies").mock(
            return_value=httpx.Response(201, json={"id": "fb-999", "url": "https://fb/p/999"})
        )
        posted = connector.post_reply(reply())
    request = route.calls[0].request
    assert verify_signature(request.content, "s3cret", request.headers[SIGNATURE_HEADER])
    assert request.headers["Idempotency-Key"] == "vigie-reply-7"
    sent = json.loads(request.content)
    assert sent["text"] == "Bonjour Marie, nous regardons votre colis."
    assert sent["in_reply_to"] == "fb-123" and sent["channel"] == "facebook"
    assert (posted.external_id, posted.url) == ("fb-999", "https://fb/p/999")


def test_reply_endpoint_failures_and_empty_answers() -> None:
    connector = WebhookConnector(
        credentials={"secret": "s"}, options={"reply_url": "https://brand.test/replies"}
    )
    with respx.mock:
        respx.post("https://brand.test/replies").mock(
            side_effect=[httpx.Response(503), httpx.Response(204)]
        )
        # The brand's system may have delivered it before failing: redelivered with the key.
        with pytest.raises(OutcomeUnknown):
            connector.post_reply(reply())
        assert connector.post_reply(reply()).external_id == "vigie-reply-7"


def test_without_reply_url_replies_are_unsupported_and_fetch_is_empty() -> None:
    connector = WebhookConnector(credentials={"secret": "s"}, account_handle="Boutique")
    with pytest.raises(UnsupportedAction):
        connector.post_reply(reply())
    result = connector.fetch("anything")
    assert result.mentions == [] and result.cursor == "anything" and result.complete
    assert connector.verify() == "Boutique"
