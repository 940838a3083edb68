"""The connector contract: what every platform module takes and returns.

The worker calls `fetch` with the cursor it stored, upserts the returned mentions, commits,
and only then stores `FetchResult.cursor`. Errors come back as exceptions (nothing fetched)
or as a `FetchResult` with `complete=False` (partial progress) so the scheduler can wait,
back off or flag the account.

Credentials: a connector may rotate credentials during any call (Bluesky refreshes its
tokens). Whenever `connector.updated_credentials` is not None after a call, persist it
(encrypted) — including when the call raised: the old refresh token is already revoked.
The same dict is also returned in `FetchResult.credentials`, `PostResult.credentials` and
`ConnectorError.credentials` for convenience.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from connectors.net_policy import NetPolicy

#: What an account's credentials may allow (`Connector.access`).
OPERATIONS = ("read", "reply", "hide")
#: Channel names used by the built-in connectors (a webhook may name its own channel).
CHANNELS = (
    "x",
    "mastodon",
    "bluesky",
    "webhook",
    "demo",
    "facebook",
    "instagram",
    "youtube",
    "google_business",
    "messenger",
    "instagram_dm",
)


@dataclass(frozen=True)
class AuthorInfo:
    """Who wrote a mention, as the platform describes them."""

    external_id: str
    handle: str
    name: str | None = None
    followers: int | None = None
    verified: bool = False
    url: str | None = None


@dataclass(frozen=True)
class FetchedMention:
    """One mention of the brand's account, normalised across platforms."""

    external_id: str  # unique per account; the id to reply to
    text: str  # plain text: HTML stripped and entities unescaped
    author: AuthorInfo
    posted_at: datetime  # tz-aware, UTC
    url: str | None
    lang: str | None
    channel: str  # "x" | "mastodon" | "bluesky" | "webhook" | "demo" | a webhook's channel
    thread_id: str | None = None  # conversation/root id when the platform gives one
    in_reply_to: str | None = None  # external id of the post this one answers
    visibility: str | None = None  # Mastodon: public | unlisted | private | direct
    # Earlier ids of the same post (X edits give a post a new id): the stored mention carrying
    # one of them is updated to this version instead of a second mention being stored.
    previous_ids: tuple[str, ...] = ()
    # A review's stars, 1 to 5 (Google Business Profile); None where the platform has none.
    rating: int | None = None
    # The platform's JSON for this mention: enough to reply or hide later. Excluded from
    # equality and hashing because it is a mutable dict.
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass
class RateLimitState:
    """The rate-limit window the platform reported on the last response (None = unknown)."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None


@dataclass
class FetchResult:
    """What one polling pass produced.

    `cursor` is the value to store AFTER the caller committed `mentions`; it equals the
    input cursor when advancing would skip unfetched mentions (newest-first platforms
    interrupted mid-way). `complete` is False when the pass stopped early (rate limit,
    transient error, page cap); `retry_at` then says when to poll again (None = at the
    normal interval) and `error` says why.
    """

    mentions: list[FetchedMention]
    cursor: str | None
    rate_limit: RateLimitState = field(default_factory=RateLimitState)
    complete: bool = True
    retry_at: datetime | None = None
    error: str | None = None
    credentials: dict[str, Any] | None = None
    # Seconds between polls the platform's limits sustain for these credentials (X: from the
    # mentions window, which depends on the API tier); None = no advice.
    min_interval: int | None = None


@dataclass(frozen=True)
class OutgoingReply:
    """A reply to post on the platform, answering one stored mention."""

    text: str
    in_reply_to_external_id: str
    in_reply_to_raw: dict[str, Any] = field(compare=False)  # FetchedMention.raw of the target
    author_handle: str  # handle of the mention's author (to @mention them where needed)
    idempotency_key: str  # stable per reply: retries must send the same key
    language: str | None = None
    visibility: str | None = None  # requested; a connector never widens the original's
    # A private message to the mention's author (Meta's private reply to a comment), not a
    # public answer under it.
    private: bool = False


@dataclass
class PostResult:
    """The reply as the platform stored it."""

    external_id: str
    url: str | None
    credentials: dict[str, Any] | None = None


class ConnectorError(Exception):
    """Base of every error a connector raises; `retry_at` says when trying again makes sense."""

    def __init__(
        self,
        message: str,
        *,
        retry_at: datetime | None = None,
        status: int | None = None,
        credentials: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retry_at = retry_at
        self.status = status  # HTTP status when the platform answered, else None
        self.credentials = credentials  # rotated credentials to persist, see module docstring


class RateLimited(ConnectorError):
    """The platform refused because of a rate limit: wait until `retry_at` (always set)."""

    def __init__(
        self,
        message: str,
        *,
        retry_at: datetime | None = None,
        status: int | None = 429,
        credentials: dict[str, Any] | None = None,
        default_wait: timedelta = timedelta(minutes=5),
    ) -> None:
        super().__init__(
            message,
            retry_at=retry_at or utcnow() + default_wait,
            status=status,
            credentials=credentials,
        )


class TransientError(ConnectorError):
    """5xx, timeouts, network failures, malformed JSON: back off exponentially and retry.

    For a write (`post_reply`) this promises that nothing reached the platform (the
    connection was never made): otherwise the connector raises OutcomeUnknown.
    """


class OutcomeUnknown(ConnectorError):
    """A write may have reached the platform: read timeout after the request was sent, a
    connection dropped mid-answer, a 5xx or a garbled answer to a POST.

    Never retry blindly: ask `find_reply` first (the platform may have committed the post).
    """


class AuthError(ConnectorError):
    """Credentials missing, invalid or revoked (401/403): stop polling and flag the account."""


class AccountMisconfigured(AuthError):
    """The platform refuses the account's set-up, not this request: the app's permissions, its
    project enrolment, a kind of token that cannot do this. The message says what to change;
    no reply is at fault, so the outbox holds them while the account is flagged."""


class UsageCapped(RateLimited):
    """A monthly usage cap is reached (X `usage-capped`): nothing works until `retry_at`."""


class CreditsExhausted(AuthError):
    """The platform wants payment (X answers 402 when the credit balance is empty).

    An AuthError because the cure is the same: a human must act on the account; polling
    again burns nothing but pointless requests.
    """


class PermanentError(ConnectorError):
    """A refusal that retrying will not fix (reply refused, text too long, unknown post)."""


class DuplicateReply(PermanentError):
    """The platform says this exact reply was already posted (a retry after a lost answer)."""


class UnsupportedAction(ConnectorError):
    """The platform (or this account's configuration) cannot do this action."""


_LEADING_MENTIONS = re.compile(r"^(?:\s*@[\w.@:-]+)+\s*")


def normalise_reply_text(text: str) -> str:
    """The text as platforms keep it, for comparison: leading @handles (which platforms
    add to replies) dropped, Unicode NFC, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    text = _LEADING_MENTIONS.sub("", text.strip())
    return " ".join(text.split())


def same_reply_text(posted: str, ours: str) -> bool:
    """Whether a post found on the platform carries the text of our reply."""
    return normalise_reply_text(posted) == normalise_reply_text(ours)


def utcnow() -> datetime:
    """Return the current time, tz-aware in UTC."""
    return datetime.now(UTC)


class Connector(ABC):
    """One platform account: fetch its mentions, reply, hide, verify credentials.

    Parameters (keyword-only):
    - credentials: the decrypted secrets for this account (keys per platform, see
      `credential_fields`).
    - base_url: instance/PDS/entryway URL for federated platforms; ignored by X.
    - account_handle: the brand account's handle, when known (used in messages and checks).
    - options: per-account settings (see each connector's `option_fields`).
    - http_timeout: seconds before a request counts as a transient failure.
    - net_policy: where the connector may connect (connectors.net_policy; default from the
      environment's VIGIE_ALLOW_PRIVATE_URLS).
    """

    platform: ClassVar[str]
    supports_hide: ClassVar[bool] = False
    #: Keys this connector reads from `credentials` (for the admin form); alternatives are
    #: documented on each class.
    credential_fields: ClassVar[tuple[str, ...]] = ()
    #: Other names accepted for a credential key (alias → key), normalised on input.
    credential_aliases: ClassVar[dict[str, str]] = {}
    #: Keys this connector reads from `options`.
    option_fields: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        credentials: dict[str, Any],
        base_url: str | None = None,
        account_handle: str | None = None,
        options: dict[str, Any] | None = None,
        http_timeout: float = 10.0,
        net_policy: NetPolicy | None = None,
    ) -> None:
        self.credentials: dict[str, Any] = dict(credentials or {})
        self.base_url = (base_url or self.default_base_url or "").rstrip("/") or None
        self.account_handle = account_handle
        self.options: dict[str, Any] = dict(options or {})
        self.http_timeout = http_timeout
        self.net_policy = net_policy or NetPolicy.from_env()
        self.rate_limit = RateLimitState()
        # Set when the connector rotated credentials that the caller must persist.
        self.updated_credentials: dict[str, Any] | None = None

    @abstractmethod
    def fetch(self, cursor: str | None) -> FetchResult:
        """Fetch mentions newer than `cursor` (None = first poll: the most recent page only).

        Raises RateLimited, TransientError or AuthError only when nothing was fetched; after
        partial progress it returns a FetchResult with complete=False instead.
        """

    @abstractmethod
    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Post `reply` in answer to its mention; raises the ConnectorError subclasses.

        OutcomeUnknown when the request may have reached the platform; TransientError only
        when it surely did not (connection refused, rate limit before the write…).
        """

    @abstractmethod
    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look on the platform for `reply` posted by our account since `posted_after`.

        Matches the reply's parent (the mention), our account as author and the text after
        `same_reply_text`. Returns the post when found, None only when the platform answered
        for sure that it is not there, and raises a ConnectorError when it cannot tell.
        """

    def access(self) -> dict[str, Any]:
        """What these credentials allow, as far as the connector knows (after `verify`).

        {"kind": a short code of the credential kind, "operations": a subset of OPERATIONS,
        "notes": codes of warnings}. Platforms with one kind of credentials allow everything.
        """
        ops = ("read", "reply", "hide") if self.supports_hide else ("read", "reply")
        return {"kind": "default", "operations": list(ops), "notes": []}

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Hide (or unhide) a mention on the platform; UnsupportedAction where impossible."""
        raise UnsupportedAction(f"{self.platform} cannot hide mentions")

    @abstractmethod
    def verify(self) -> str:
        """Check the credentials against the platform and return the account's handle."""

    def close(self) -> None:  # noqa: B027 - optional hook: only HTTP connectors hold resources
        """Release network resources (HTTP connection pools)."""

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _set_credentials(self, credentials: dict[str, Any]) -> None:
        """Adopt rotated credentials and remember that the caller must persist them."""
        self.credentials = dict(credentials)
        self.updated_credentials = dict(credentials)
