"""Platform connectors behind one small contract (see `connectors.base`)."""

from connectors.base import (
    AuthError,
    AuthorInfo,
    Connector,
    ConnectorError,
    CreditsExhausted,
    DuplicateReply,
    FetchedMention,
    FetchResult,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimited,
    RateLimitState,
    TransientError,
    UnsupportedAction,
)
from connectors.registry import CONNECTORS, get_connector
from connectors.webhook import (
    WEBHOOK_MAX_BYTES,
    WebhookPayloadError,
    parse_webhook_payload,
    sign_body,
    verify_signature,
)

__all__ = [
    "CONNECTORS",
    "WEBHOOK_MAX_BYTES",
    "AuthError",
    "AuthorInfo",
    "Connector",
    "ConnectorError",
    "CreditsExhausted",
    "DuplicateReply",
    "FetchResult",
    "FetchedMention",
    "OutgoingReply",
    "PermanentError",
    "PostResult",
    "RateLimitState",
    "RateLimited",
    "TransientError",
    "UnsupportedAction",
    "WebhookPayloadError",
    "get_connector",
    "parse_webhook_payload",
    "sign_body",
    "verify_signature",
]
