"""Meta: a Facebook Page and an Instagram professional account over the Graph API (httpx).

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
    AuthorInfo,
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
from connectors.http_support import json_body, new_client, parse_iso, send
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


class MetaConnector(MetaMessaging):
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
        self._client: httpx.Client | None = None
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
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client(self.http_timeout, policy=self.net_policy)
        return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

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


def _without_replies(comment: dict[str, Any]) -> dict[str, Any]:
    """The comment as a mention's raw data: its replies are mentions of their own."""
    return {k: v for k, v in comment.items() if k != "replies"} | {"kind": "comment"}


def _thread_url(reply: OutgoingReply) -> str | None:
    raw = reply.in_reply_to_raw or {}
    url = raw.get("permalink_url") or raw.get("permalink")
    return str(url) if url else None


def _now_epoch() -> int:
    return int(utcnow().timestamp())


class FacebookConnector(MetaConnector):
    """A Facebook Page: comments and replies on its posts, visitors' posts; reply, hide."""

    platform: ClassVar[str] = "facebook"
    credential_fields: ClassVar[tuple[str, ...]] = (
        "page_id",
        "access_token",
        "app_secret",
        "verify_token",
    )
    object_key: ClassVar[str] = "page_id"

    def _poll(
        self, floor: datetime | None, max_posts: int, max_pages: int
    ) -> Iterator[FetchedMention]:
        # Each post comes with its newest comments (field expansion): a quiet Page costs one
        # request per poll, whatever `max_posts`.
        nested = (
            f"comments.filter(stream).order(reverse_chronological).limit({NESTED_COMMENTS})"
            f"{{{FB_COMMENT_FIELDS}}}"
        )
        posts = self._request(
            "GET",
            f"{self.object_id}/feed",
            action="list page posts",
            params={
                "fields": f"id,message,created_time,permalink_url,from{{id,name}},{nested}",
                "limit": max_posts,
            },
        ).get("data")
        if not isinstance(posts, list):
            raise TransientError("list page posts: answer without data")
        for post in posts:
            if not isinstance(post, dict) or not post.get("id"):
                continue
            author = _dict(post.get("from"))
            visitor = bool(author.get("id")) and str(author["id"]) != self.object_id
            # A visitor's post on the Page talks to the brand like a comment does.
            if visitor and self._fresh(_epoch(post.get("created_time")), floor):
                yield self._to_mention({**post, "kind": "post"}, post)
            yield from self._post_comments(post, floor, max_pages)

    def _post_comments(
        self, post: dict[str, Any], floor: datetime | None, max_pages: int
    ) -> Iterator[FetchedMention]:
        params = {
            "fields": FB_COMMENT_FIELDS,
            "filter": "stream",  # replies too, each with its parent
            "order": "reverse_chronological",
            "limit": 100,
        }
        first = _dict(post.get("comments"))
        if not first.get("data"):
            return  # Graph leaves `comments` out of a post nobody commented
        try:
            for comment in self._pages(
                f"{post['id']}/comments",
                params,
                action="list comments",
                max_pages=max_pages,
                first=first,
            ):
                when = _epoch(comment.get("created_time"))
                if not self._fresh(when, floor):
                    return  # newest first: the rest is older still
                if self._is_ours(comment):
                    continue
                yield self._to_mention({**comment, "kind": "comment"}, post)
        except PermanentError as exc:
            if exc.status != 404:
                raise
            log.info("facebook: post %s deleted while polling", post["id"])

    def _to_mention(self, item: dict[str, Any], post: dict[str, Any]) -> FetchedMention:
        author = _dict(item.get("from"))
        name = str(author.get("name") or "Utilisateur Facebook")
        parent = _dict(item.get("parent"))
        parent_id = str(parent["id"]) if parent.get("id") else None
        is_post = item.get("kind") == "post"
        raw = {k: v for k, v in item.items() if k != "comments"} | {"post_id": str(post["id"])}
        return FetchedMention(
            external_id=str(item["id"]),
            text=str(item.get("message") or ""),
            author=AuthorInfo(
                external_id=str(author.get("id") or f"anon:{item['id']}"),
                handle=name,
                name=name,
            ),
            posted_at=_epoch(item.get("created_time")) or utcnow(),
            url=item.get("permalink_url"),
            lang=None,
            channel="facebook",
            thread_id=parent_id or str(item["id"]),
            in_reply_to=None if is_post else (parent_id or str(post["id"])),
            raw=raw,
        )

    def mention_from_webhook(self, value: dict[str, Any]) -> FetchedMention | None:
        """A `feed` change (item comment or post, verb add) as a mention; None otherwise."""
        item, verb = value.get("item"), value.get("verb")
        if verb != "add" or item not in ("comment", "post", "status", "photo", "video"):
            return None
        author = _dict(value.get("from"))
        if str(author.get("id") or "") == self.object_id:
            return None  # the Page's own comment or post (our replies)
        post_id = str(value.get("post_id") or "")
        if item == "comment":
            comment_id = str(value.get("comment_id") or "")
            if not comment_id or not post_id:
                return None
            parent_id = str(value.get("parent_id") or "")
            data: dict[str, Any] = {
                "id": comment_id,
                "kind": "comment",
                "message": value.get("message") or "",
                "created_time": value.get("created_time"),
                "from": author,
            }
            if parent_id and parent_id != post_id:
                data["parent"] = {"id": parent_id}
            # Deliveries carry no link: build the one Facebook uses for a comment.
            page_part, _, post_part = post_id.partition("_")
            data["permalink_url"] = value.get("permalink_url") or (
                f"https://www.facebook.com/{page_part}/posts/{post_part}"
                f"?comment_id={comment_id.rpartition('_')[2]}"
                if post_part
                else None
            )
            return self._to_mention(data, {"id": post_id})
        if not post_id or not value.get("message"):
            return None
        data = {
            "id": post_id,
            "kind": "post",
            "message": value.get("message"),
            "created_time": value.get("created_time"),
            "from": author,
            "permalink_url": value.get("link") or value.get("permalink_url"),
        }
        return self._to_mention(data, {"id": post_id})

    @staticmethod
    def _top_level(raw: dict[str, Any], external_id: str) -> str:
        """Facebook shows two levels: an answer to a reply goes under its top comment."""
        parent = _dict(raw.get("parent"))
        return str(parent.get("id") or raw.get("id") or external_id)

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Comment under the mention (its top-level comment, or the visitor's post).

        Graph has no idempotency key: after OutcomeUnknown the outbox asks `find_reply`.
        """
        if self.is_message(reply):
            return self.send_message(reply)
        target = self._top_level(reply.in_reply_to_raw or {}, reply.in_reply_to_external_id)
        body = self._request(
            "POST",
            f"{target}/comments",
            action="post reply",
            write=True,
            data={"message": reply.text},
        )
        if not body.get("id"):
            raise OutcomeUnknown("post reply: answer without a comment id")
        # Graph returns no link to a new comment: link to the conversation it sits in.
        return PostResult(external_id=str(body["id"]), url=_thread_url(reply))

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Our Page's comment with this text under the mention's top-level comment."""
        if self.is_message(reply):
            return self.find_message(reply, posted_after=posted_after)
        target = self._top_level(reply.in_reply_to_raw or {}, reply.in_reply_to_external_id)
        params = {
            "fields": "id,message,created_time,from{id,name},permalink_url",
            "filter": "stream",
            "order": "reverse_chronological",
            "limit": 100,
        }
        return self._find_among(f"{target}/comments", params, reply, posted_after)

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Hide (or unhide) a comment: its author and friends still see it, nobody else."""
        if mention_raw.get("kind") == "message":
            raise UnsupportedAction("facebook: a private message cannot be hidden")
        comment_id = str(mention_raw.get("id") or "")
        if not comment_id:
            raise PermanentError("hide: the mention has no Facebook id")
        self._request(
            "POST",
            comment_id,
            action="hide comment" if hidden else "unhide comment",
            write=True,
            data={"is_hidden": "true" if hidden else "false"},
        )

    def verify(self) -> str:
        """The Page's @username (or name) if the token can read it."""
        body = self._request(
            "GET", self.object_id, action="verify page", params={"fields": "id,name,username"}
        )
        return str(body.get("username") or body.get("name") or self.object_id)


class InstagramConnector(MetaConnector):
    """An Instagram professional account: comments on its media, tags and @mentions."""

    platform: ClassVar[str] = "instagram"
    credential_fields: ClassVar[tuple[str, ...]] = (
        "ig_user_id",
        "access_token",
        "app_secret",
        "verify_token",
    )
    object_key: ClassVar[str] = "ig_user_id"

    def _poll(
        self, floor: datetime | None, max_posts: int, max_pages: int
    ) -> Iterator[FetchedMention]:
        if not self.account_handle:
            self.account_handle = self.verify()  # to recognise our own replies
        media = self._request(
            "GET",
            f"{self.object_id}/media",
            action="list media",
            params={
                # Each media with its first comments and their replies (field expansion).
                "fields": "id,caption,timestamp,permalink,comments_count,"
                f"comments.limit({NESTED_COMMENTS}){{{IG_COMMENT_FIELDS},"
                f"replies{{{IG_COMMENT_FIELDS}}}}}",
                "limit": max_posts,
            },
        ).get("data")
        if not isinstance(media, list):
            raise TransientError("list media: answer without data")
        for item in media:
            if isinstance(item, dict) and item.get("id") and item.get("comments_count", 1):
                yield from self._media_comments(item, floor, max_pages)
        yield from self._tags(floor, max_pages)

    def _media_comments(
        self, media: dict[str, Any], floor: datetime | None, max_pages: int
    ) -> Iterator[FetchedMention]:
        fields = f"{IG_COMMENT_FIELDS},replies{{{IG_COMMENT_FIELDS}}}"
        try:
            for comment in self._pages(
                f"{media['id']}/comments",
                {"fields": fields, "limit": 50},
                action="list comments",
                max_pages=max_pages,
                first=_dict(media.get("comments")) or None,
            ):
                if self._fresh(_epoch(comment.get("timestamp")), floor) and not self._is_ours(
                    comment
                ):
                    yield self._to_mention(_without_replies(comment), media)
                yield from self._replies(comment, media, floor, max_pages)
        except PermanentError as exc:
            if exc.status != 404:
                raise
            log.info("instagram: media %s deleted while polling", media["id"])

    def _replies(
        self,
        comment: dict[str, Any],
        media: dict[str, Any],
        floor: datetime | None,
        max_pages: int,
    ) -> Iterator[FetchedMention]:
        nested = _dict(comment.get("replies"))
        replies = [r for r in nested.get("data") or [] if isinstance(r, dict) and r.get("id")]
        paging = _dict(nested.get("paging"))
        after = _dict(paging.get("cursors")).get("after")
        if paging.get("next") and after:
            try:
                replies += list(
                    self._pages(
                        f"{comment['id']}/replies",
                        {"fields": IG_COMMENT_FIELDS, "limit": 50, "after": after},
                        action="list replies",
                        max_pages=max_pages,
                    )
                )
            except PermanentError as exc:
                if exc.status != 404:
                    raise  # else the comment was deleted between two pages: keep what we have
        for item in replies:
            if self._fresh(_epoch(item.get("timestamp")), floor) and not self._is_ours(item):
                data = {
                    **item,
                    "kind": "comment",
                    "parent_id": item.get("parent_id") or comment["id"],
                }
                yield self._to_mention(data, media)

    def _tags(self, floor: datetime | None, max_pages: int) -> Iterator[FetchedMention]:
        for media in self._pages(
            f"{self.object_id}/tags",
            {"fields": "id,caption,timestamp,permalink,username", "limit": 50},
            action="list tags",
            max_pages=max_pages,
        ):
            if self._fresh(_epoch(media.get("timestamp")), floor):
                yield self._tag_mention(media)

    def _to_mention(self, item: dict[str, Any], media: dict[str, Any]) -> FetchedMention:
        author = _dict(item.get("from"))
        username = str(item.get("username") or author.get("username") or "")
        parent_id = str(item["parent_id"]) if item.get("parent_id") else None
        return FetchedMention(
            external_id=str(item["id"]),
            text=str(item.get("text") or ""),
            author=AuthorInfo(
                external_id=str(author.get("id") or f"ig:{username}"),
                handle=username or "instagram",
                url=f"https://www.instagram.com/{username}/" if username else None,
            ),
            posted_at=_epoch(item.get("timestamp")) or utcnow(),
            url=media.get("permalink"),
            lang=None,
            channel="instagram",
            thread_id=parent_id or str(item["id"]),
            in_reply_to=parent_id or str(media["id"]),
            raw={
                **item,
                "media_id": str(media["id"]),
                "permalink": media.get("permalink"),
            },
        )

    def _tag_mention(
        self, media: dict[str, Any], comment: dict[str, Any] | None = None
    ) -> FetchedMention:
        """A media tagging us, or mentioning us in its caption or in one of its comments."""
        source = comment or media
        username = str(source.get("username") or "")
        kind = "mentioned_comment" if comment else "tag"
        raw = {**source, "kind": kind, "media_id": str(media["id"])}
        return FetchedMention(
            external_id=str(source["id"]),
            text=str(source.get("text") or source.get("caption") or ""),
            author=AuthorInfo(
                external_id=f"ig:{username}",
                handle=username or "instagram",
                url=f"https://www.instagram.com/{username}/" if username else None,
            ),
            posted_at=_epoch(source.get("timestamp")) or utcnow(),
            url=media.get("permalink"),
            lang=None,
            channel="instagram",
            thread_id=str(source["id"]),
            in_reply_to=str(media["id"]) if comment else None,
            raw=raw,
        )

    def fetch_mentioned(self, media_id: str, comment_id: str | None = None) -> FetchedMention:
        """An @mention of the account (webhook `mentions`): in a caption, or in a comment."""
        if comment_id:
            field = (
                f"mentioned_comment.comment_id({comment_id})"
                "{id,text,timestamp,username,media{id,permalink}}"
            )
        else:
            field = (
                f"mentioned_media.media_id({media_id}){{id,caption,timestamp,permalink,username}}"
            )
        body = self._request("GET", self.object_id, action="read mention", params={"fields": field})
        found = body.get("mentioned_comment" if comment_id else "mentioned_media")
        if not isinstance(found, dict) or not found.get("id"):
            raise PermanentError("read mention: not found", status=404)
        if comment_id:
            media = _dict(found.get("media"))
            return self._tag_mention({"id": media_id, **media}, found)
        return self._tag_mention(found)

    def mention_from_webhook(self, field: str, value: dict[str, Any]) -> FetchedMention | None:
        """A `comments` change as a mention (our own replies skipped); `mentions` changes
        only carry ids: the receiver calls `fetch_mentioned`."""
        if field not in ("comments", "live_comments") or not value.get("id"):
            return None
        if self._is_ours(value):
            return None
        media = _dict(value.get("media"))
        if not media.get("id"):
            return None
        data = {
            "id": value["id"],
            "kind": "comment",
            "text": value.get("text") or "",
            "from": value.get("from") or {},
            "username": _dict(value.get("from")).get("username"),
            "parent_id": value.get("parent_id"),
            "timestamp": value.get("timestamp"),
        }
        return self._to_mention(data, {"id": media["id"]})

    @staticmethod
    def _top_level(raw: dict[str, Any], external_id: str) -> str:
        return str(raw.get("parent_id") or raw.get("id") or external_id)

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Reply under the comment (Instagram adds replies to a reply to its top comment,
        so the author is @mentioned); a tag or @mention is answered on the media itself."""
        if self.is_message(reply):
            return self.send_message(reply)
        raw = reply.in_reply_to_raw or {}
        username = str(raw.get("username") or reply.author_handle or "").lstrip("@")
        text = reply.text
        if username and f"@{username}".lower() not in text.lower():
            text = f"@{username} {text}"
        if raw.get("kind") in ("tag", "mentioned_comment"):
            data = {
                "media_id": str(raw.get("media_id") or reply.in_reply_to_external_id),
                "message": text,
            }
            if raw.get("kind") == "mentioned_comment":
                data["comment_id"] = reply.in_reply_to_external_id
            path = f"{self.object_id}/mentions"
        else:
            data = {"message": text}
            path = f"{self._top_level(raw, reply.in_reply_to_external_id)}/replies"
        body = self._request("POST", path, action="post reply", write=True, data=data)
        if not body.get("id"):
            raise OutcomeUnknown("post reply: answer without a comment id")
        # Graph returns no link to a new comment: link to the conversation it sits in.
        return PostResult(external_id=str(body["id"]), url=_thread_url(reply))

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Our account's reply with this text under the mention's top-level comment."""
        if self.is_message(reply):
            return self.find_message(reply, posted_after=posted_after)
        raw = reply.in_reply_to_raw or {}
        if not self.account_handle:
            self.account_handle = self.verify()
        if raw.get("kind") in ("tag", "mentioned_comment"):
            path = f"{raw.get('media_id') or reply.in_reply_to_external_id}/comments"
        else:
            path = f"{self._top_level(raw, reply.in_reply_to_external_id)}/replies"
        params = {"fields": "id,text,timestamp,username,from{id,username}", "limit": 50}
        return self._find_among(path, params, reply, posted_after)

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Hide (or unhide) a comment on our media; others' media cannot be moderated."""
        if mention_raw.get("kind") == "message":
            raise UnsupportedAction("instagram: a private message cannot be hidden")
        if mention_raw.get("kind") in ("tag", "mentioned_comment"):
            raise UnsupportedAction("instagram: a mention in someone else's media cannot be hidden")
        comment_id = str(mention_raw.get("id") or "")
        if not comment_id:
            raise PermanentError("hide: the mention has no Instagram id")
        self._request(
            "POST",
            comment_id,
            action="hide comment" if hidden else "unhide comment",
            write=True,
            data={"hide": "true" if hidden else "false"},
        )

    def verify(self) -> str:
        """The account's username if the token can read it."""
        body = self._request(
            "GET", self.object_id, action="verify account", params={"fields": "id,username"}
        )
        username = str(body.get("username") or "")
        if not username:
            raise TransientError("verify account: answer without a username")
        return username
