"""YouTube: comments on the brand channel's videos, through google-api-python-client: reading,
replying and moderating; the API access (discovery client, quota, errors) is
`connectors.youtube_api`, the sweep of older threads `connectors.youtube_sweep`.

Credentials: `{"client_id", "client_secret", "refresh_token"}` of an OAuth client the channel
owner consented to (scope `https://www.googleapis.com/auth/youtube.force-ssl`); the connector
refreshes the short-lived access token itself and hands it back to be stored (encrypted) with
`access_token` and `token_expires_at`. `{"access_token"}` alone works until it expires (tests,
a one-off). `channel_id` is found with `channels.list(mine=true)` and kept. `base_url`
(default https://youtube.googleapis.com) also sets the token endpoint (`{base_url}/token`) when
it is not Google's: a local fake server serves both. Options: `daily_quota` (units, default
10,000), `write_reserve` (units kept for replies and moderation, default 1,000: reads stop
first), `max_pages` (thread pages per poll, default 5), `token_url`.

The client is built from the discovery document bundled in the wheel (no download) and sends
through an httpx client under the outbound-URL policy (`_HttpxHttp`), so timeouts, refused
addresses and test mocks behave as with every other connector.

What is read: `commentThreads.list(allThreadsRelatedToChannelId)`, newest first, the published
threads and, in a second pass, the ones held for review (`moderationStatus=heldForReview`:
the mention's `visibility` is "held" and its raw `moderation_status` says so). Replies listed
in a thread come with it; a thread with more replies than the list embeds is completed with
`comments.list(parentId)`. A reply's `thread_id` is its top-level comment, so it lands in that
comment's case. The channel's own comments (our replies) are skipped.

Cursor: `{"since": <unix seconds of the newest comment seen>, "sweep": {…}}`. A poll re-reads
from `since - OVERLAP` (comments surface late; storage dedupes on the id) and stops paging at
the first page entirely older than that; the cursor only moves after a complete pass. Threads
are ordered by their top-level comment, so a new reply on an old thread is further back: each
poll also sweeps `sweep_pages` (default 1) pages further back, round after round
(`connectors/youtube_sweep.py`, with its costs and limits).

Quota: each call costs units (list 1, insert 50, setModerationStatus 50) spent in a
`QuotaLedger` before the call; `rate_limit` reports the day's remaining units and the reset
(midnight Pacific Time). Reads stop at `daily_quota - write_reserve`, writes at `daily_quota`;
Google's own `quotaExceeded` is RateLimited until the reset. Errors: 401 → one token refresh,
then AuthError; `forbidden`/`insufficientPermissions` on a read → AuthError; `commentsDisabled`,
`forbidden` on a write, `processingFailure` → PermanentError; `commentNotFound` and other 404s
→ PermanentError status 404 (a thread deleted between pages is skipped).

Moderation (`connectors.moderation`): hold, reject, publish, ban (`setModerationStatus` with
`banAuthor=true` and `rejected`); `hide` is hold, unhide is publish.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from connectors.base import (
    AccountMisconfigured,
    AuthorInfo,
    ConnectorError,
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
from connectors.http_support import parse_iso
from connectors.moderation import ACTIONS, RESULTING_STATUS
from connectors.youtube_api import API_URL, YouTubeApi
from connectors.youtube_sweep import DEFAULT_SWEEP_PAGES, SweepState, remember, sweep

log = logging.getLogger(__name__)

OVERLAP = timedelta(minutes=10)
MAX_CHECK_PAGES = 10


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _read_cursor(cursor: str | None) -> tuple[int | None, Any]:
    """The cursor's `since` and its sweep state (`connectors/youtube_sweep.py`)."""
    if not cursor:
        return None, None
    try:
        data = json.loads(cursor)
        return int(data["since"]), data.get("sweep")
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("YouTube: unreadable cursor %r, starting from the latest comments", cursor)
        return None, None


class YouTubeConnector(YouTubeApi):
    """One YouTube channel: comment threads on its videos; reply, hold, reject, publish, ban."""

    platform: ClassVar[str] = "youtube"
    supports_hide: ClassVar[bool] = True  # hide = hold for review
    moderation_actions: ClassVar[tuple[str, ...]] = ACTIONS
    credential_fields: ClassVar[tuple[str, ...]] = (
        "client_id",
        "client_secret",
        "refresh_token",
        "channel_id",
    )
    option_fields: ClassVar[tuple[str, ...]] = (
        "daily_quota",
        "write_reserve",
        "max_pages",
        "sweep_pages",
        "token_url",
    )
    default_base_url: ClassVar[str | None] = API_URL

    # -- contract -------------------------------------------------------------------------

    def verify(self) -> str:
        """The channel's @handle (or title) from `channels.list(mine=true)`; keeps its id."""
        body = self._call(
            lambda s: s.channels().list(part="snippet", mine=True),
            action="verify channel",
            cost="list",
        )
        items = [i for i in _dict(body).get("items") or [] if isinstance(i, dict)]
        if not items or not items[0].get("id"):
            raise AccountMisconfigured("verify channel: this Google account has no YouTube channel")
        channel = items[0]
        if self.credentials.get("channel_id") != channel["id"]:
            self._set_credentials({**self.credentials, "channel_id": str(channel["id"])})
        snippet = _dict(channel.get("snippet"))
        return str(snippet.get("customUrl") or snippet.get("title") or channel["id"])

    def fetch(self, cursor: str | None) -> FetchResult:
        """Published and held comments newer than the cursor (see the module docstring)."""
        since, sweep_raw = _read_cursor(cursor)
        floor = datetime.fromtimestamp(since, UTC) - OVERLAP if since is not None else None
        max_pages = max(int(self.options.get("max_pages", 5)), 1) if since is not None else 1
        found: dict[str, FetchedMention] = {}
        newest = since
        complete, error, retry_at = True, None, None
        self._sweep = SweepState.read(sweep_raw, utcnow(), OVERLAP)
        try:
            for mention in self._poll_threads(floor, max_pages, swept=since is not None):
                found.setdefault(mention.external_id, mention)
                stamp = int(mention.posted_at.timestamp())
                newest = stamp if newest is None else max(newest, stamp)
        except (RateLimited, TransientError) as exc:
            if not found:
                raise
            complete, error, retry_at = False, str(exc), exc.retry_at
        mentions = sorted(found.values(), key=lambda m: (m.posted_at, m.external_id))
        if complete:
            new_cursor: str | None = json.dumps(
                {
                    "since": newest if newest is not None else int(utcnow().timestamp()),
                    "sweep": self._sweep.dump(),
                }
            )
        else:
            new_cursor = cursor  # re-read next time: storage dedupes, nothing is skipped
        return FetchResult(
            mentions, new_cursor, self.rate_limit, complete=complete, retry_at=retry_at, error=error
        )

    def _poll_threads(
        self, floor: datetime | None, max_pages: int, *, swept: bool
    ) -> Iterator[FetchedMention]:
        """The first pages of published and held threads, then a few pages further back
        (`connectors/youtube_sweep.py`: a new reply on an old thread)."""
        yield from self._threads("published", floor, max_pages)
        after_poll = self._stopped_at
        yield from self._threads("heldForReview", floor, max_pages)
        if not swept:
            return  # the first poll reads the newest page only, and the sweep starts now
        yield from sweep(
            self._sweep,
            start_token=after_poll,
            pages=max(int(self.options.get("sweep_pages", DEFAULT_SWEEP_PAGES)), 0),
            list_page=lambda token: self._thread_page("published", token),
            thread_mentions=lambda thread, since, changed: self._thread_mentions(
                thread, "published", since, list_all=changed
            ),
            now=utcnow(),
            overlap=OVERLAP,
        )

    def _thread_page(self, status: str, token: str | None) -> dict[str, Any]:
        """One page of `commentThreads.list` (newest top-level comments first)."""
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.channel_id,
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",
        }
        if status != "published":
            params["moderationStatus"] = status
        if token:
            params["pageToken"] = token
        return _dict(
            self._call(
                lambda s, p=params: s.commentThreads().list(**p),
                action="list comment threads",
                cost="list",
            )
        )

    def _threads(
        self, status: str, floor: datetime | None, max_pages: int
    ) -> Iterator[FetchedMention]:
        token: str | None = None
        self._stopped_at = None
        for _ in range(max_pages):
            try:
                body = self._thread_page(status, token)
            except PermanentError as exc:
                if exc.status == 404 and token:
                    log.info("youtube: page gone while paging (thread deleted): stopping here")
                    return
                raise
            items = [i for i in _dict(body).get("items") or [] if isinstance(i, dict)]
            recent = False
            for thread in items:
                yield from self._thread_mentions(thread, status, floor)
                latest = self._latest(thread)
                if latest is None or floor is None or latest >= floor:
                    recent = True
            token = _dict(body).get("nextPageToken")
            self._stopped_at = token
            if not token or not recent:
                return  # newest first: the next page is older still

    def _latest(self, thread: dict[str, Any]) -> datetime | None:
        """The newest date in a thread (its top comment, or a reply)."""
        snippet = _dict(thread.get("snippet"))
        top = _dict(_dict(snippet.get("topLevelComment")).get("snippet"))
        dates = [parse_iso(top.get("publishedAt"))]
        for reply in _dict(thread.get("replies")).get("comments") or []:
            dates.append(parse_iso(_dict(_dict(reply).get("snippet")).get("publishedAt")))
        known = [d for d in dates if d is not None]
        return max(known) if known else None

    def _thread_mentions(
        self, thread: dict[str, Any], status: str, floor: datetime | None, *, list_all: bool = True
    ) -> Iterator[FetchedMention]:
        """A thread's fresh comments; its replies beyond those embedded are listed when
        `list_all` (the sweep asks only when the reply count changed)."""
        snippet = _dict(thread.get("snippet"))
        top = _dict(snippet.get("topLevelComment"))
        if not top.get("id"):
            return
        video_id = str(snippet.get("videoId") or _dict(top.get("snippet")).get("videoId") or "")
        if self._fresh(top, floor) and not self._is_ours(top):
            yield self._to_mention(top, video_id=video_id, thread_id=str(top["id"]), status=status)
        replies = [r for r in _dict(thread.get("replies")).get("comments") or [] if _dict(r)]
        total = int(snippet.get("totalReplyCount") or 0)
        remember(self._sweep, str(top["id"]), total)
        if total > len(replies) and list_all:
            # The thread embeds a few replies only: list them all (newest might be missing).
            try:
                replies = list(self._replies(str(top["id"]), MAX_CHECK_PAGES))
            except PermanentError as exc:
                if exc.status != 404:
                    raise
                log.info("youtube: thread %s deleted while polling", top["id"])
        for reply in replies:
            if self._fresh(reply, floor) and not self._is_ours(reply):
                yield self._to_mention(
                    reply, video_id=video_id, thread_id=str(top["id"]), status=status
                )

    def _replies(self, parent_id: str, max_pages: int) -> Iterator[dict[str, Any]]:
        """Replies of a top-level comment through `comments.list(parentId)`."""
        token: str | None = None
        self._listed_all = False
        for _ in range(max_pages):
            params: dict[str, Any] = {
                "part": "snippet",
                "parentId": parent_id,
                "maxResults": 100,
                "textFormat": "plainText",
            }
            if token:
                params["pageToken"] = token
            body = self._call(
                lambda s, p=params: s.comments().list(**p), action="list replies", cost="list"
            )
            yield from (i for i in _dict(body).get("items") or [] if _dict(i).get("id"))
            token = _dict(body).get("nextPageToken")
            if not token:
                self._listed_all = True
                return

    def _fresh(self, comment: dict[str, Any], floor: datetime | None) -> bool:
        if floor is None:
            return True
        when = parse_iso(_dict(comment.get("snippet")).get("publishedAt"))
        return when is not None and when >= floor

    def _is_ours(self, comment: dict[str, Any]) -> bool:
        author = _dict(_dict(comment.get("snippet")).get("authorChannelId")).get("value")
        return bool(author) and author == self.credentials.get("channel_id")

    def _to_mention(
        self, comment: dict[str, Any], *, video_id: str, thread_id: str, status: str
    ) -> FetchedMention:
        s = _dict(comment.get("snippet"))
        comment_id = str(comment["id"])
        parent_id = str(s["parentId"]) if s.get("parentId") else None
        author_channel = str(_dict(s.get("authorChannelId")).get("value") or "")
        name = str(s.get("authorDisplayName") or "YouTube")
        moderation = str(s.get("moderationStatus") or status)
        return FetchedMention(
            external_id=comment_id,
            text=str(s.get("textOriginal") or s.get("textDisplay") or ""),
            author=AuthorInfo(
                external_id=author_channel or f"yt:{name}",
                handle=name.lstrip("@") if name.startswith("@") else name,
                name=name,
                url=s.get("authorChannelUrl"),
            ),
            posted_at=parse_iso(s.get("publishedAt")) or utcnow(),
            url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else None,
            lang=None,
            channel="youtube",
            thread_id=thread_id,
            in_reply_to=parent_id or (video_id or None),
            visibility="held" if moderation == "heldForReview" else None,
            raw={
                "id": comment_id,
                "kind": "reply" if parent_id else "comment",
                "video_id": video_id,
                "thread_id": thread_id,
                "parent_id": parent_id,
                "moderation_status": moderation,
                "author_channel_id": author_channel,
                "can_rate": s.get("canRate"),
                "updated_at": s.get("updatedAt"),
            },
        )

    @staticmethod
    def _top_level(raw: dict[str, Any], external_id: str) -> str:
        """YouTube threads have one level: a reply to a reply goes under the top comment."""
        return str(raw.get("thread_id") or raw.get("parent_id") or raw.get("id") or external_id)

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """`comments.insert` under the mention's top-level comment (no idempotency key:
        after OutcomeUnknown the outbox asks `find_reply`)."""
        raw = reply.in_reply_to_raw or {}
        parent = self._top_level(raw, reply.in_reply_to_external_id)
        body = self._call(
            lambda s: s.comments().insert(
                part="snippet", body={"snippet": {"parentId": parent, "textOriginal": reply.text}}
            ),
            action="post reply",
            cost="insert",
            write=True,
        )
        if not _dict(body).get("id"):
            raise OutcomeUnknown("post reply: answer without a comment id")
        return PostResult(external_id=str(body["id"]), url=self._url(raw, str(body["id"])))

    @staticmethod
    def _url(raw: dict[str, Any], comment_id: str) -> str | None:
        video = raw.get("video_id")
        return f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Our channel's reply with this text under the mention's top-level comment."""
        raw = reply.in_reply_to_raw or {}
        parent = self._top_level(raw, reply.in_reply_to_external_id)
        ours = self.channel_id
        try:
            items = list(self._replies(parent, MAX_CHECK_PAGES))
        except PermanentError as exc:
            if exc.status == 404:
                return None  # the comment is gone, and our reply with it
            raise
        for item in items:
            s = _dict(item.get("snippet"))
            if _dict(s.get("authorChannelId")).get("value") != ours:
                continue
            when = parse_iso(s.get("publishedAt"))
            if when is not None and when < posted_after - timedelta(minutes=5):
                continue
            if same_reply_text(
                str(s.get("textOriginal") or s.get("textDisplay") or ""), reply.text
            ):
                return PostResult(external_id=str(item["id"]), url=self._url(raw, str(item["id"])))
        if not self._listed_all:
            raise TransientError(f"check reply: more than {MAX_CHECK_PAGES} pages of replies")
        return None

    # -- moderation -----------------------------------------------------------------------

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Hide = hold for review (the public no longer sees it); unhide = publish."""
        self.moderate(mention_raw, "hold" if hidden else "publish")

    def moderate(self, mention_raw: dict[str, Any], action: str) -> None:
        """`comments.setModerationStatus`; ban = rejected with `banAuthor=true`."""
        if action not in RESULTING_STATUS:
            raise UnsupportedAction(f"youtube: unknown moderation action {action!r}")
        comment_id = str(mention_raw.get("id") or "")
        if not comment_id:
            raise PermanentError(f"{action}: the mention has no YouTube comment id")
        params: dict[str, Any] = {"id": comment_id, "moderationStatus": RESULTING_STATUS[action]}
        if action == "ban":
            params["banAuthor"] = True
        self._call(
            lambda s: s.comments().setModerationStatus(**params),
            action=f"moderate comment ({action})",
            cost="setModerationStatus",
            write=True,
        )

    def moderation_status(self, mention_raw: dict[str, Any]) -> str | None:
        """The comment's moderation status as the channel owner sees it (None: gone)."""
        comment_id = str(mention_raw.get("id") or "")
        try:
            body = self._call(
                lambda s: s.comments().list(part="snippet", id=comment_id, textFormat="plainText"),
                action="check moderation",
                cost="list",
            )
        except PermanentError as exc:
            if exc.status == 404:
                return None
            raise
        items = [i for i in _dict(body).get("items") or [] if _dict(i).get("id")]
        if not items:
            return None
        return str(_dict(items[0].get("snippet")).get("moderationStatus") or "published")


__all__ = ["ConnectorError", "YouTubeConnector"]
