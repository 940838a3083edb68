"""Meta: a Facebook Page and an Instagram professional account over the Graph API (httpx).

This module is the Graph plumbing both share (`MetaConnector`: requests, errors, usage,
paging, the cursor); the Page's connector is `connectors.meta_facebook`, the Instagram
account's `connectors.meta_instagram`, private messages `connectors.meta_messages`.

Credentials (paste-a-token path): Facebook `{"page_id", "access_token"}` (a Page access
token; `page_access_token` is accepted too); Instagram `{"ig_user_id", "access_token"}` (the
access token of the Page the Instagram account is linked to). Both may add `app_secret` (the
Meta app's secret: signs `appsecret_proof` on every call and checks webhook signatures) and
`verify_token` (the webhook subscription's verify token). `base_url` defaults to
https://graph.facebook.com. Options: `graph_version` (default `DEFAULT_GRAPH_VERSION`),
`max_posts` (recent posts/media read per poll, default 25), `max_pages` (comment pages per
post and per poll, default 10), `usage_backoff_percent` (default 90).

What is read. Facebook: the comments (and replies, `filter=stream`) on the Page's most
recent `max_posts` posts of `/{page-id}/feed`, and visitors' posts on the Page; the feed
request expands each post's newest `NESTED_COMMENTS` comments, so a quiet Page costs one
request per poll and only busy posts cost more (one request per further page). Instagram:
comments and their replies on the account's most recent `max_posts` media, and media where
the account is tagged (`/{ig-user-id}/tags`). Comments on older posts, and Instagram
@mentions in other people's captions and comments, arrive by webhook
(`app/views/meta_webhook.py`); `fetch_mentioned` reads the latter's text.

Threads: a reply's `thread_id` is its top-level comment's id, and a top-level comment's is
its own, so a reply lands in the case of the comment it answers; `in_reply_to` is the parent
comment (or the post/media for a top-level comment).

Cursor: JSON `{"since": <unix seconds of the newest comment seen>}`. Each poll re-reads from
`since - OVERLAP` (comments show up in the API a little late; storage dedupes on the id), and
the cursor only moves after a complete pass, so an interrupted pass loses nothing.

Rate limits (`connectors/meta_usage.py`, shared by every call): Meta sends percentages
(`X-App-Usage`, `X-Page-Usage`, `X-Business-Use-Case-Usage`), not counts. `rate_limit` reports
`limit=100` and `remaining=100 - the highest percentage`; once usage passes
`usage_backoff_percent` no call goes out — a poll stops (partial, retried later), a reply, a
message, a hide or a delete raises RateLimited before sending — until Meta's estimated time.
Refusals (codes 4, 17, 32, 613, 80001, 80002…) are RateLimited, with Meta's
`estimated_time_to_regain_access` when given.
Code 190 (expired or revoked token) is an AuthError; codes 10 and 200–299 (permission
missing) a PermissionMissing naming what to grant; code 100 subcode 33 (deleted or unknown
object) a PermanentError with status 404, skipped while polling.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import httpx

from connectors.base import (
    AuthError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimited,
    TransientError,
    UnsupportedAction,
    same_reply_text,
    utcnow,
)
from connectors.http_support import HttpConnector, json_body, parse_iso, send
from connectors.meta_messages import MESSAGE_REFUSALS, WINDOW_SUBCODES, MetaMessaging
from connectors.meta_usage import DEFAULT_THRESHOLD, RATE_LIMIT_CODES, UsageGate

log = logging.getLogger(__name__)

DEFAULT_GRAPH_VERSION = "v26.0"
GRAPH_URL = "https://graph.facebook.com"
OVERLAP = timedelta(minutes=10)
NESTED_COMMENTS = 25  # comments per post in the feed request; more cost one request a page
MAX_CHECK_PAGES = 10
#: Codes of an invalid session: expired, revoked or changed-password token.
TOKEN_CODES = frozenset({102, 190})
#: What to grant, said when Meta answers "permission missing" (codes 10, 200-299).
NEEDED_PERMISSIONS = {
    "facebook": "pages_read_engagement, pages_read_user_content, pages_manage_engagement",
    "instagram": "instagram_basic, instagram_manage_comments, pages_read_engagement",
}
FB_COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},permalink_url,is_hidden"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from{id,username},parent_id,hidden,media{id}"


class PermissionMissing(AuthError):
    """The token lacks a permission (Graph codes 10, 200–299): an admin must grant it."""


def _graph_error(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _epoch(value: Any) -> datetime | None:
    """Graph dates: ISO-8601 with a +0000 offset ("2026-01-05T10:00:00+0000"); webhooks:
    Unix seconds."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
            text = f"{text[:-2]}:{text[-2:]}"
        return parse_iso(text)
    return None


def _read_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(json.loads(cursor)["since"])
    except (ValueError, KeyError, TypeError):
        log.warning("Meta: unreadable cursor %r, starting from the latest posts", cursor)
        return None


class MetaConnector(MetaMessaging, HttpConnector):
    """What Facebook Pages and Instagram share: Graph requests, errors, usage headers."""

    platform: ClassVar[str] = "meta"
    supports_hide: ClassVar[bool] = True
    supports_delete: ClassVar[bool] = True
    #: connectors.moderation: a comment can be deleted (a private message cannot).
    moderation_actions: ClassVar[tuple[str, ...]] = ("delete",)
    credential_aliases: ClassVar[dict[str, str]] = {"page_access_token": "access_token"}
    option_fields: ClassVar[tuple[str, ...]] = (
        "graph_version",
        "max_posts",
        "max_pages",
        "usage_backoff_percent",
        "direct_messages",
        "human_agent_tag",
    )
    default_base_url: ClassVar[str | None] = GRAPH_URL
    #: The credential naming the object the account reads (page_id or ig_user_id).
    object_key: ClassVar[str] = "page_id"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Meta's usage headers, read after every answer; every call waits while throttled.
        self.gate = UsageGate(self.platform, self._backoff_percent)
        self._listed_all = False  # whether the last `_pages` reached the end of its list

    # -- plumbing -------------------------------------------------------------------------

    @property
    def object_id(self) -> str:
        value = str(self.credentials.get(self.object_key) or "").strip()
        if not value:
            raise AuthError(f"{self.platform}: no {self.object_key} configured")
        return value

    @property
    def _version(self) -> str:
        return str(self.options.get("graph_version") or DEFAULT_GRAPH_VERSION).strip("/")

    @property
    def _backoff_percent(self) -> int:
        return int(self.options.get("usage_backoff_percent", DEFAULT_THRESHOLD))

    @property
    def usage(self) -> int | None:
        """The last usage percentage Meta reported (None before any answer)."""
        return self.gate.percent

    def restore_rate_limit(self, remaining: int | None, reset_at: datetime | None) -> None:
        """Start from the usage the account stored (a throttle another process saw)."""
        self.gate.restore(remaining, reset_at)
        self.rate_limit = self.gate.state

    def _request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        write: bool = False,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> Any:
        token = self.credentials.get("access_token")
        if not token:
            raise AuthError(f"{self.platform}: no access token configured")
        # Reads and writes alike: nothing goes out while the account is throttled.
        self.gate.check(action)
        params = dict(params or {})
        if self.credentials.get("app_secret"):
            # Proves the call comes from the app's server: Meta can require it per app.
            params["appsecret_proof"] = hmac.new(
                str(self.credentials["app_secret"]).encode(), str(token).encode(), hashlib.sha256
            ).hexdigest()
        url = f"{self.base_url}/{self._version}/{path.lstrip('/')}"
        response = send(
            self.client,
            method,
            url,
            action=action,
            write=write,
            params=params,
            data=data,
            headers={"Authorization": f"Bearer {token}"},
        )
        self._remember_usage(response.headers)
        if not 200 <= response.status_code < 300:
            self._raise_for(response, action, write=write)
        body = json_body(response, write=write)
        if not isinstance(body, dict):
            error = OutcomeUnknown if write else TransientError
            raise error(f"{action}: expected a JSON object", status=response.status_code)
        return body

    def _remember_usage(self, headers: httpx.Headers) -> None:
        self.gate.observe(headers)
        self.rate_limit = self.gate.state

    def _raise_for(self, response: httpx.Response, action: str, *, write: bool) -> None:
        status = response.status_code
        error = _graph_error(response)
        code = error.get("code") if isinstance(error.get("code"), int) else None
        subcode = error.get("error_subcode")
        detail = str(error.get("message") or "")[:300]
        message = f"{action}: HTTP {status}" + (f" (#{code}) {detail}" if code else "")
        if code in RATE_LIMIT_CODES or status == 429:
            retry_at = self.gate.refused(response.headers)
            self.rate_limit = self.gate.state
            raise RateLimited(message, retry_at=retry_at)
        if code in MESSAGE_REFUSALS or (code == 10 and subcode in WINDOW_SUBCODES):
            reason = MESSAGE_REFUSALS.get(code, "hors de la fenêtre de 24 heures")  # type: ignore[arg-type]
            raise PermanentError(f"{message} — {reason}", status=status)
        if code in TOKEN_CODES or status == 401:
            raise AuthError(
                f"{message} — the token expired or was revoked: paste a new Page access token",
                status=status,
            )
        if code == 10 or (code is not None and 200 <= code <= 299):
            raise PermissionMissing(
                f"{message} — grant the app {NEEDED_PERMISSIONS.get(self.platform, '')} "
                "and paste a new Page access token",
                status=status,
            )
        if code == 100 and subcode == 33:
            raise PermanentError(f"{message} (deleted or not visible)", status=404)
        if status >= 500 or code in (1, 2):
            raise (OutcomeUnknown if write else TransientError)(message, status=status)
        raise PermanentError(message, status=status)

    def _pages(
        self,
        path: str,
        params: dict[str, Any],
        *,
        action: str,
        max_pages: int,
        first: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Items of a Graph list, page after page through `cursors.after` (we build the
        next URL ourselves: `paging.next` carries the token and could name another host).

        `first`: the list's first page when a field expansion already brought it (a post's
        `comments{…}` in the feed), so that only the following pages cost a request.
        """
        params = dict(params)
        self._listed_all = False
        for _ in range(max_pages):
            if first is not None:
                body, first = first, None
            else:
                body = self._request("GET", path, action=action, params=params)
            data = body.get("data")
            if not isinstance(data, list):
                raise TransientError(f"{action}: answer without data")
            yield from (item for item in data if isinstance(item, dict) and item.get("id"))
            paging = _dict(body.get("paging"))
            after = _dict(paging.get("cursors")).get("after")
            if not paging.get("next") or not after:
                self._listed_all = True
                return
            params["after"] = after

    # -- contract -------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> FetchResult:
        """Comments newer than the cursor on the recent posts (see the module docstring)."""
        since = _read_cursor(cursor)
        floor = datetime.fromtimestamp(since, UTC) - OVERLAP if since is not None else None
        max_posts = min(max(int(self.options.get("max_posts", 25)), 1), 100)
        max_pages = max(int(self.options.get("max_pages", 10)), 1) if since is not None else 1
        found: dict[str, FetchedMention] = {}
        newest = since
        complete, error, retry_at = True, None, None
        try:
            for mention in self._poll_all(floor, max_posts, max_pages):
                found.setdefault(mention.external_id, mention)
                stamp = int(mention.posted_at.timestamp())
                newest = stamp if newest is None else max(newest, stamp)
        except (RateLimited, TransientError) as exc:
            if not found:
                raise
            complete, error, retry_at = False, str(exc), exc.retry_at
        mentions = sorted(found.values(), key=lambda m: (m.posted_at, m.external_id))
        new_cursor: str | None
        if complete:
            new_cursor = json.dumps({"since": newest if newest is not None else _now_epoch()})
        else:
            new_cursor = cursor  # re-read next time: storage dedupes, nothing is skipped
        return FetchResult(
            mentions,
            new_cursor,
            self.rate_limit,
            complete=complete,
            retry_at=retry_at,
            error=error,
        )

    def _poll(
        self, floor: datetime | None, max_posts: int, max_pages: int
    ) -> Iterator[FetchedMention]:
        raise NotImplementedError

    def _poll_all(
        self, floor: datetime | None, max_posts: int, max_pages: int
    ) -> Iterator[FetchedMention]:
        """Comments, then direct messages when the account reads them (`direct_messages`)."""
        yield from self._poll(floor, max_posts, max_pages)
        if self.options.get("direct_messages"):
            yield from self._poll_messages(floor, max_pages)

    def _fresh(self, when: datetime | None, floor: datetime | None) -> bool:
        return floor is None or (when is not None and when >= floor)

    @classmethod
    def moderation_actions_for(cls, mention_raw: dict[str, Any]) -> tuple[str, ...]:
        """Deletes are for comments only (messages and mentions of the Page stay)."""
        comment = (mention_raw or {}).get("kind") in ("comment", None)
        return cls.moderation_actions if comment else ()

    def moderate(self, mention_raw: dict[str, Any], action: str) -> None:
        """connectors.moderation: carry out `action` (delete) on the comment."""
        if action != "delete":
            raise UnsupportedAction(f"{self.platform} cannot {action}")
        self.delete(mention_raw)

    def moderation_status(self, mention_raw: dict[str, Any]) -> str | None:
        """connectors.moderation: "published" while the comment exists, None once gone."""
        return "published" if self.comment_exists(mention_raw) else None

    def delete(self, mention_raw: dict[str, Any]) -> None:
        """Delete a comment on the platform (the worker's moderation action "delete")."""
        comment_id = str(mention_raw.get("id") or "")
        if not comment_id or mention_raw.get("kind") not in ("comment", None):
            raise UnsupportedAction(f"{self.platform}: only comments can be deleted")
        self._request("DELETE", comment_id, action="delete comment", write=True)

    def _find_among(
        self, path: str, params: dict[str, Any], reply: OutgoingReply, posted_after: datetime
    ) -> PostResult | None:
        """Our reply among the replies listed at `path` (None only when surely absent)."""
        try:
            items = list(self._pages(path, params, action="check reply", max_pages=MAX_CHECK_PAGES))
        except PermanentError as exc:
            if exc.status == 404:
                return None  # the comment is gone, and our reply with it
            raise
        for item in items:
            if not self._is_ours(item):
                continue
            when = _epoch(item.get("created_time") or item.get("timestamp"))
            if when is not None and when < posted_after - timedelta(minutes=5):
                continue
            text = str(item.get("message") or item.get("text") or "")
            if same_reply_text(text, reply.text):
                url = item.get("permalink_url") or _thread_url(reply)
                return PostResult(external_id=str(item["id"]), url=url)
        if not self._listed_all:
            # Not among the first pages, and more remain: absent is not certain.
            raise TransientError(f"check reply: more than {MAX_CHECK_PAGES} pages of replies")
        return None

    def _is_ours(self, item: dict[str, Any]) -> bool:
        author = _dict(item.get("from"))
        if str(author.get("id") or "") == self.object_id:
            return True
        username = item.get("username") or author.get("username")
        return bool(username) and username == self.account_handle

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        raise NotImplementedError


def _thread_url(reply: OutgoingReply) -> str | None:
    raw = reply.in_reply_to_raw or {}
    url = raw.get("permalink_url") or raw.get("permalink")
    return str(url) if url else None


def _now_epoch() -> int:
    return int(utcnow().timestamp())
