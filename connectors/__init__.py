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

__all__ = [
    "CONNECTORS",
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
    "get_connector",
]
