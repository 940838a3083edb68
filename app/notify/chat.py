"""Chat tools' incoming webhooks: Slack (and Mattermost, Rocket.Chat) and Microsoft Teams.

Each tool has its own body: Slack takes ``{"text": …}``; Teams takes a message whose
attachment is an Adaptive Card (what Teams workflows and the older connectors both accept).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from sqlmodel import Session

from app.models import OutgoingMessage
from app.notify.webhook import post_once
from app.security.outbound import redact

CHAT_TIMEOUT_SECONDS = 5.0
CHAT_KINDS = ("slack", "teams")


@dataclass(frozen=True)
class ChatAlert:
    """What a chat message says: a title, a few lines and links to act."""

    title: str
    lines: tuple[str, ...]
    links: tuple[tuple[str, str], ...]  # (label, url)


def slack_payload(alert: ChatAlert) -> dict[str, Any]:
    """Slack incoming-webhook body: mrkdwn text, links as <url|label>."""
    links = " · ".join(f"<{url}|{label}>" for label, url in alert.links)
    text = "\n".join([f"*{alert.title}*", *alert.lines, *([links] if links else [])])
    return {"text": text}


def teams_payload(alert: ChatAlert) -> dict[str, Any]:
    """Teams incoming-webhook body: one message carrying an Adaptive Card."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": alert.title,
            "weight": "Bolder",
            "size": "Medium",
            "color": "Attention",
            "wrap": True,
        },
        *({"type": "TextBlock", "text": line, "wrap": True} for line in alert.lines),
    ]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [
            {"type": "Action.OpenUrl", "title": label, "url": url} for label, url in alert.links
        ],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


def deliver_chat(
    *,
    session: Session,
    brand_id: int,
    kind: str,
    url: str,
    alert: ChatAlert,
    escalation_id: int | None = None,
    client: httpx.Client | None = None,
    allow_private: bool = False,
) -> OutgoingMessage:
    """POST the alert once in the tool's format; the outcome is stored, never raised."""
    payload = slack_payload(alert) if kind == "slack" else teams_payload(alert)
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Vigie-Alerts/1"}
    status, error = post_once(
        url,
        body,
        headers,
        client=client,
        timeout=CHAT_TIMEOUT_SECONDS,
        allow_private=allow_private,
    )
    row = OutgoingMessage(
        brand_id=brand_id,
        channel=kind,
        transport="http",
        recipient=redact(url),  # the URL is the credential: keep the host only
        subject=alert.title[:300],
        body=body.decode(),
        status=status,
        error=error,
        escalation_id=escalation_id,
    )
    session.add(row)
    return row
