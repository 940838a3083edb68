"""Mastodon (any instance) over its REST API with httpx.

Credentials: `{"access_token": ...}` (scopes read:notifications, write:statuses, profile).
`base_url` is the instance URL (required). Options: `include_quotes` (default True),
`page_size` (1-80, default 40), `max_pages` (default 20).

Cursor: the highest notification id stored. Polling asks for the page immediately above it
(`min_id`) and follows `Link: rel="prev"` upwards until an empty page, so each page extends a
contiguous range and the cursor can advance page by page even when a pass is interrupted.
The first poll (no cursor) takes the most recent page only. Notification ids come from the
instance's database sequence when the notification is created, not from the status's date
(status ids are timestamp-based, notification ids are not), so a back-dated or late-delivered
status still gets an id above the cursor: `min_id` cannot skip it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from connectors.base import (
    AuthError,
    AuthorInfo,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimitState,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.html_text import html_to_text
from connectors.http_support import (
    HttpConnector,
    json_body,
    parse_int,
    parse_iso,
    raise_for_status,
    send,
)
from connectors.net_policy import same_origin

log = logging.getLogger(__name__)

# From most public to most private; a reply never goes more public than the mention.
VISIBILITY_ORDER = ("public", "unlisted", "private", "direct")
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=5)
# Pages of our own statuses read back when looking for a reply whose mention is gone.
MAX_CHECK_PAGES = 10


def notification_id_key(notification_id: str) -> tuple[int, str]:
    """Sort key for Mastodon's opaque string ids (numeric strings of varying length)."""
    return (len(notification_id), notification_id)


def narrowest_visibility(original: str | None, requested: str | None) -> str:
    """Return the more private of the mention's and the requested visibility."""
    ranks = [VISIBILITY_ORDER.index(v) for v in (original, requested) if v in VISIBILITY_ORDER]
    return VISIBILITY_ORDER[max(ranks)] if ranks else "public"


def ensure_mention(text: str, acct: str) -> str:
    """Prefix `@acct` unless the text already mentions the author (Mastodon adds nothing)."""
    acct = acct.lstrip("@")
    if not acct:
        return text
    # "@zsc@other.example" must match exactly: "@zsc" alone would address a local "zsc".
    pattern = r"(?<![\w@])@" + re.escape(acct) + r"(?!\.?[\w@-])"
    if re.search(pattern, text, flags=re.IGNORECASE):
        return text
    return f"@{acct} {text}"


def mastodon_rate_limit(headers: httpx.Headers) -> RateLimitState:
    """Read X-RateLimit-* headers (the reset is an ISO-8601 date on Mastodon)."""
    return RateLimitState(
        limit=parse_int(headers.get("X-RateLimit-Limit")),
        remaining=parse_int(headers.get("X-RateLimit-Remaining")),
        reset_at=parse_iso(headers.get("X-RateLimit-Reset")),
    )


def _oldest_first(mentions: list[FetchedMention]) -> list[FetchedMention]:
    return sorted(mentions, key=lambda m: notification_id_key(str(m.raw["id"])))


class MastodonConnector(HttpConnector):
    """A brand account on a Mastodon instance: mentions and quotes, replies; no hiding."""

    platform: ClassVar[str] = "mastodon"
    supports_hide: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[str, ...]] = ("access_token",)
    option_fields: ClassVar[tuple[str, ...]] = ("include_quotes", "page_size", "max_pages")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.base_url:
            raise ValueError("Mastodon needs the instance URL (base_url)")

    # -- plumbing -------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        *,
        action: str,
        refusal_is_permanent: bool = False,
        write: bool = False,
        **kw: Any,
    ) -> httpx.Response:
        if not self.credentials.get("access_token"):
            raise AuthError("Mastodon: no access token configured")
        if url.startswith("/"):
            url = f"{self.base_url}{url}"
        headers = {"Authorization": f"Bearer {self.credentials['access_token']}"}
        headers.update(kw.pop("headers", {}))
        response = send(self.client, method, url, action=action, write=write, headers=headers, **kw)
        if any(h in response.headers for h in ("X-RateLimit-Remaining", "X-RateLimit-Reset")):
            self.rate_limit = mastodon_rate_limit(response.headers)
        raise_for_status(
            response,
            self.rate_limit,
            action=action,
            default_wait=DEFAULT_RATE_LIMIT_WAIT,
            refusal_is_permanent=refusal_is_permanent,
            write=write,
        )
        return response

    def _check_page_link(self, url: str, action: str) -> None:
        """A `Link` page on another host would get our bearer token: never follow it."""
        if not same_origin(url, self.base_url):
            host = urlsplit(url).hostname if url.startswith(("http://", "https://")) else url[:60]
            raise PermanentError(f"{action}: the next page's link leaves the instance ({host})")

    @property
    def _types(self) -> list[str]:
        return ["mention", "quote"] if self.options.get("include_quotes", True) else ["mention"]

    # -- contract -------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> FetchResult:
        """Fetch mention (and quote) notifications above `cursor`, oldest pages last."""
        page_size = min(max(int(self.options.get("page_size", 40)), 1), 80)
        max_pages = max(int(self.options.get("max_pages", 20)), 1)
        url = "/api/v1/notifications"
        params: dict[str, Any] | None = {
            "types[]": self._types,
            "include_filtered": "true",  # else "filtered" senders (new accounts…) are hidden
            "limit": page_size,
        }
        if cursor:
            assert params is not None
            params["min_id"] = cursor
        mentions: list[FetchedMention] = []
        seen: set[str] = set()
        high = cursor
        pages = 0
        try:
            while True:
                response = self._request("GET", url, action="list notifications", params=params)
                page = json_body(response)
                if not isinstance(page, list):
                    raise TransientError("list notifications: expected a JSON array")
                pages += 1
                page_high = high
                for notification in page:
                    if not isinstance(notification, dict) or "id" not in notification:
                        log.warning("Mastodon: skipped a notification without id")
                        continue
                    nid = str(notification["id"])
                    if page_high is None or notification_id_key(nid) > notification_id_key(
                        page_high
                    ):
                        page_high = nid
                    mention = self._to_mention(notification)
                    if mention is not None and mention.external_id not in seen:
                        seen.add(mention.external_id)
                        mentions.append(mention)
                # Only a fully processed page moves the high-water mark.
                high = page_high
                if not cursor or not page:
                    break
                prev = response.links.get("prev", {}).get("url")
                if not prev:
                    break
                self._check_page_link(prev, "list notifications")
                if pages >= max_pages:
                    return FetchResult(
                        _oldest_first(mentions),
                        high,
                        self.rate_limit,
                        complete=False,
                        error=f"stopped after {pages} pages; more remain",
                    )
                url, params = prev, None
        except ConnectorError as exc:
            if pages == 0:
                raise
            return FetchResult(
                _oldest_first(mentions),
                high,
                self.rate_limit,
                complete=False,
                retry_at=exc.retry_at,
                error=str(exc),
            )
        return FetchResult(_oldest_first(mentions), high, self.rate_limit)

    def _to_mention(self, notification: dict[str, Any]) -> FetchedMention | None:
        if notification.get("type") not in self._types:
            return None
        status = notification.get("status")
        if not isinstance(status, dict) or "id" not in status:
            return None  # the status was deleted or is not visible to us
        account = status.get("account") or notification.get("account") or {}
        posted_at = parse_iso(status.get("created_at")) or parse_iso(notification.get("created_at"))
        text = html_to_text(status.get("content") or "")
        if status.get("spoiler_text"):
            # Content warnings hide the body in clients; the reviewer must read both.
            text = f"{status['spoiler_text']}\n\n{text}".strip()
        in_reply_to = status.get("in_reply_to_id")
        return FetchedMention(
            external_id=str(status["id"]),
            text=text,
            author=AuthorInfo(
                external_id=str(account.get("id", "")),
                handle=str(account.get("acct") or account.get("username") or ""),
                name=account.get("display_name") or None,
                followers=account.get("followers_count"),
                verified=False,  # Mastodon has no verified accounts, only verified links
                url=account.get("url"),
            ),
            posted_at=posted_at or utcnow(),
            url=status.get("url") or status.get("uri"),
            lang=status.get("language"),
            channel="mastodon",
            # Notifications do not carry the thread root; the parent is the best cheap hint.
            thread_id=str(in_reply_to) if in_reply_to else str(status["id"]),
            in_reply_to=str(in_reply_to) if in_reply_to else None,
            visibility=status.get("visibility"),
            raw=notification,
        )

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Post a reply status: author @mentioned, visibility mirrored, Idempotency-Key set.

        The instance keeps idempotency keys for an hour, but only once the status is stored
        (a retry racing a slow first request posts twice) and some proxies drop the header:
        after OutcomeUnknown the outbox asks `find_reply` rather than trusting the key.
        """
        raw = reply.in_reply_to_raw or {}
        status = raw.get("status") if isinstance(raw.get("status"), dict) else raw
        account = (status or {}).get("account") or raw.get("account") or {}
        acct = account.get("acct") or reply.author_handle
        data = {
            "status": ensure_mention(reply.text, acct),
            "in_reply_to_id": reply.in_reply_to_external_id,
            "visibility": narrowest_visibility((status or {}).get("visibility"), reply.visibility),
        }
        if reply.language:
            data["language"] = reply.language
        response = self._request(
            "POST",
            "/api/v1/statuses",
            action="post reply",
            refusal_is_permanent=True,
            write=True,
            data=data,
            headers={"Idempotency-Key": reply.idempotency_key},
        )
        body = json_body(response, write=True)
        if not isinstance(body, dict) or "id" not in body:
            raise OutcomeUnknown("post reply: answer without a status id")
        return PostResult(external_id=str(body["id"]), url=body.get("url") or body.get("uri"))

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look for our reply among the mention's descendants (its thread context).

        The context shows every visibility we may see, direct replies included; when the
        mention is gone (404) our own statuses since `posted_after` are read instead.
        """
        me = self._me()
        parent = reply.in_reply_to_external_id
        try:
            response = self._request(
                "GET", f"/api/v1/statuses/{parent}/context", action="check reply"
            )
        except PermanentError as exc:
            if exc.status != 404:
                raise
            candidates = self._own_statuses(me, posted_after)
        else:
            body = json_body(response)
            if not isinstance(body, dict) or not isinstance(body.get("descendants"), list):
                raise TransientError("check reply: context without descendants")
            candidates = body["descendants"]
        for status in candidates:
            if not isinstance(status, dict) or "id" not in status:
                continue
            if str(status.get("in_reply_to_id")) != parent:
                continue
            if str((status.get("account") or {}).get("id")) != me:
                continue
            if same_reply_text(html_to_text(str(status.get("content") or "")), reply.text):
                return PostResult(
                    external_id=str(status["id"]), url=status.get("url") or status.get("uri")
                )
        return None

    def _me(self) -> str:
        """Our account's id (the author of our replies)."""
        response = self._request(
            "GET", "/api/v1/accounts/verify_credentials", action="verify credentials"
        )
        body = json_body(response)
        if not isinstance(body, dict) or "id" not in body:
            raise TransientError("verify credentials: answer without an account id")
        return str(body["id"])

    def _own_statuses(self, me: str, posted_after: datetime) -> list[dict[str, Any]]:
        """Our statuses newest-first back to `posted_after`; raises when it cannot get there."""
        url = f"/api/v1/accounts/{me}/statuses"
        params: dict[str, Any] | None = {"limit": 40, "exclude_reblogs": "true"}
        found: list[dict[str, Any]] = []
        for _ in range(MAX_CHECK_PAGES):
            response = self._request("GET", url, action="list our statuses", params=params)
            page = json_body(response)
            if not isinstance(page, list):
                raise TransientError("list our statuses: expected a JSON array")
            found += [s for s in page if isinstance(s, dict)]
            oldest = parse_iso(page[-1].get("created_at")) if page else None
            nxt = response.links.get("next", {}).get("url")
            if not page or not nxt or (oldest is not None and oldest < posted_after):
                return found
            self._check_page_link(nxt, "list our statuses")
            url, params = nxt, None
        raise TransientError(f"list our statuses: more than {MAX_CHECK_PAGES} pages to read back")

    def verify(self) -> str:
        """Return the account as `user@instance` if the token works."""
        response = self._request(
            "GET", "/api/v1/accounts/verify_credentials", action="verify credentials"
        )
        body = json_body(response)
        if not isinstance(body, dict):
            raise TransientError("verify credentials: expected a JSON object")
        acct = str(body.get("acct") or body.get("username") or "")
        if "@" not in acct:
            acct = f"{acct}@{urlsplit(self.base_url or '').hostname}"
        return acct
