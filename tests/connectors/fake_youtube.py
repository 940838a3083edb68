"""A fake YouTube Data API v3 (and Google's OAuth token endpoint) for one channel.

Speaks the real shapes: `youtube#commentThreadListResponse` with `nextPageToken`, comment
resources (`snippet.topLevelComment`, `replies.comments`, `totalReplyCount`), Google errors
`{"error": {"code", "message", "errors": [{"domain", "reason", "message"}], "status"}}`,
`setModerationStatus` answering 204 with no body, a token endpoint for the refresh-token flow
(`invalid_grant` once revoked).

Knobs: `expire_token()` (the access token stops working: 401 until refreshed),
`revoke()` (the refresh token too), `daily_quota` (units; past it every call is 403
quotaExceeded), `comments_disabled` (video ids: inserting there is 403 commentsDisabled),
`embedded_replies` (how many replies a thread embeds: more cost a comments.list),
`page_size`, `inject(...)` from FakeServer. As on YouTube, `commentThreads.list(order=time)`
orders threads by their top-level comment's date, whatever their replies' dates: a new reply
on an old thread stays pages back (`add_comment(ago=…)` dates a thread in the past). A thread
deleted between two pages makes the next page token unknown: 404, as a stale token does on
YouTube.
"""

from __future__ import annotations

import itertools
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer

COSTS = {"list": 1, "insert": 50, "setModerationStatus": 50}


def google_error(status: int, reason: str, message: str, domain: str = "youtube.api"):
    names = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
    }
    return FakeResponse.json(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
                "status": names.get(status, "UNKNOWN"),
            }
        },
        status,
    )


class FakeYouTube(FakeServer):
    """The channel `channel_id` with its videos, comment threads and replies."""

    base_url = "https://youtube.fake.test"

    def __init__(self, base_url: str | None = None) -> None:
        super().__init__()
        if base_url:
            self.base_url = base_url.rstrip("/")
        self.channel_id, self.handle = "UCacmeFrance0000000000001", "@acmefrance"
        self.client_id, self.client_secret = "client.apps.googleusercontent.com", "shh"
        self.refresh_token = "1//refresh"
        self.tokens: set[str] = set()
        self.revoked = False
        self.daily_quota = 10_000
        self.units = 0
        self.page_size = 20
        self.embedded_replies = 5
        self.comments_disabled: set[str] = set()
        self.videos = ["vid-launch", "vid-tuto"]
        self.threads: dict[str, dict[str, Any]] = {}  # top comment id -> thread state
        self.posted: list[dict[str, Any]] = []  # replies inserted through the API
        self.banned: set[str] = set()
        self.moderated: list[tuple[str, str, bool]] = []
        self._page_tokens: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._last = datetime.now(UTC) - timedelta(hours=1)

    # -- state ----------------------------------------------------------------------------

    def credentials(self) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
        }

    def _now(self) -> str:
        self._last = max(
            datetime.now(UTC).replace(microsecond=0), self._last + timedelta(seconds=1)
        )
        return self._last.strftime("%Y-%m-%dT%H:%M:%SZ")

    def expire_token(self) -> None:
        """Every access token handed out so far stops working (one hour passed)."""
        self.tokens.clear()

    def revoke(self) -> None:
        """The owner revoked the app's access: refreshing fails with invalid_grant."""
        self.revoked = True
        self.tokens.clear()

    def _comment(
        self,
        text: str,
        *,
        author: str,
        author_id: str,
        video: str,
        parent: str | None = None,
        status: str = "published",
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        n = next(self._ids)
        published = (datetime.now(UTC) - ago).strftime("%Y-%m-%dT%H:%M:%SZ") if ago else self._now()
        comment_id = f"Ugz{n:06d}" if parent is None else f"{parent}.Rep{n:06d}"
        snippet: dict[str, Any] = {
            "channelId": self.channel_id,
            "videoId": video,
            "textDisplay": text,
            "textOriginal": text,
            "authorDisplayName": author,
            "authorProfileImageUrl": "https://yt3.ggpht.example/a.jpg",
            "authorChannelUrl": f"http://www.youtube.com/{author}",
            "authorChannelId": {"value": author_id},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": 0,
            "moderationStatus": status,
            "publishedAt": published,
        }
        snippet["updatedAt"] = snippet["publishedAt"]
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": "e", "id": comment_id, "snippet": snippet}

    def add_comment(
        self,
        text: str = "Ma commande n'est jamais arrivée",
        *,
        author: str = "@jean-dupont",
        author_id: str = "UCjean000000000000000001",
        video: str | None = None,
        held: bool = False,
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        """A new thread; `ago` dates it in the past (threads list newest top comment first)."""
        video = video or self.videos[0]
        top = self._comment(
            text,
            author=author,
            author_id=author_id,
            video=video,
            status="heldForReview" if held else "published",
            ago=ago,
        )
        with self.lock:
            self.threads[top["id"]] = {"top": top, "replies": [], "video": video}
        return top

    def add_reply(
        self,
        parent_id: str,
        text: str,
        *,
        author: str = "@marie",
        author_id: str = "UCmarie00000000000000001",
    ) -> dict[str, Any]:
        thread = self.threads[parent_id]
        reply = self._comment(
            text, author=author, author_id=author_id, video=thread["video"], parent=parent_id
        )
        with self.lock:
            thread["replies"].append(reply)
        return reply

    def delete_thread(self, thread_id: str) -> None:
        with self.lock:
            self.threads.pop(thread_id, None)
            self._page_tokens.clear()  # YouTube's tokens name a position that no longer is

    def find(self, comment_id: str) -> dict[str, Any] | None:
        for thread in self.threads.values():
            if thread["top"]["id"] == comment_id:
                return thread["top"]
            for reply in thread["replies"]:
                if reply["id"] == comment_id:
                    return reply
        return None

    # -- HTTP -----------------------------------------------------------------------------

    def respond(self, request: FakeRequest) -> FakeResponse:
        path = request.path
        if path == "/token" and request.method == "POST":
            return self._token(request)
        if not path.startswith("/youtube/v3/"):
            return google_error(404, "notFound", "Not Found")
        if request.bearer() not in self.tokens:
            return google_error(
                401,
                "authError",
                "Request had invalid authentication credentials.",
                domain="global",
            )
        route = (request.method, path.removeprefix("/youtube/v3/"))
        cost = COSTS["insert" if route[0] == "POST" and route[1] == "comments" else "list"]
        if route[1] == "comments/setModerationStatus":
            cost = COSTS["setModerationStatus"]
        if self.units + cost > self.daily_quota:
            return google_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                domain="youtube.quota",
            )
        self.units += cost
        handlers = {
            ("GET", "channels"): self._channels,
            ("GET", "commentThreads"): self._threads,
            ("GET", "comments"): self._comments,
            ("POST", "comments"): self._insert,
            ("POST", "comments/setModerationStatus"): self._moderate,
        }
        handler = handlers.get(route)
        if handler is None:
            return google_error(404, "notFound", f"no route {route}")
        return handler(request)

    def _token(self, request: FakeRequest) -> FakeResponse:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if (
            form.get("grant_type") != "refresh_token"
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return FakeResponse.json({"error": "invalid_client"}, 401)
        if self.revoked or form.get("refresh_token") != self.refresh_token:
            return FakeResponse.json(
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
                400,
            )
        token = f"ya29.{secrets.token_hex(8)}"
        with self.lock:
            self.tokens.add(token)
        return FakeResponse.json(
            {
                "access_token": token,
                "expires_in": 3599,
                "scope": "youtube.force-ssl",
                "token_type": "Bearer",
            }
        )

    def _channels(self, request: FakeRequest) -> FakeResponse:
        item = {
            "kind": "youtube#channel",
            "id": self.channel_id,
            "snippet": {"title": "Acme France", "customUrl": self.handle},
        }
        return FakeResponse.json({"kind": "youtube#channelListResponse", "items": [item]})

    def _page(self, items: list[Any], request: FakeRequest, kind: str) -> FakeResponse:
        token = request.arg("pageToken")
        start = 0
        if token:
            if token not in self._page_tokens:
                return google_error(404, "commentThreadNotFound", "The page token is stale.")
            start = self._page_tokens[token]
        size = min(int(request.arg("maxResults") or 20), self.page_size)
        page = items[start : start + size]
        body: dict[str, Any] = {
            "kind": kind,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
            "items": page,
        }
        if start + size < len(items):
            next_token = secrets.token_urlsafe(8)
            self._page_tokens[next_token] = start + size
            body["nextPageToken"] = next_token
        return FakeResponse.json(body)

    def _threads(self, request: FakeRequest) -> FakeResponse:
        if request.arg("allThreadsRelatedToChannelId") != self.channel_id:
            return google_error(403, "forbidden", "The comment thread list cannot be read.")
        status = request.arg("moderationStatus") or "published"
        items = []
        for thread in sorted(
            self.threads.values(), key=lambda t: t["top"]["snippet"]["publishedAt"], reverse=True
        ):
            top = thread["top"]
            if top["snippet"]["moderationStatus"] != status:
                continue
            replies = [
                r for r in thread["replies"] if r["snippet"]["moderationStatus"] == "published"
            ]
            item: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "id": top["id"],
                "snippet": {
                    "channelId": self.channel_id,
                    "videoId": thread["video"],
                    "topLevelComment": top,
                    "canReply": thread["video"] not in self.comments_disabled,
                    "totalReplyCount": len(replies),
                    "isPublic": True,
                },
            }
            if replies:
                item["replies"] = {"comments": replies[: self.embedded_replies]}
            items.append(item)
        return self._page(items, request, "youtube#commentThreadListResponse")

    def _comments(self, request: FakeRequest) -> FakeResponse:
        parent = request.arg("parentId")
        if parent:
            thread = self.threads.get(parent)
            if thread is None:
                return google_error(404, "commentNotFound", "The parent comment was not found.")
            return self._page(list(thread["replies"]), request, "youtube#commentListResponse")
        ids = (request.arg("id") or "").split(",")
        found = [c for c in (self.find(i) for i in ids) if c is not None]
        found = [c for c in found if c["snippet"]["moderationStatus"] != "rejected"]
        return FakeResponse.json({"kind": "youtube#commentListResponse", "items": found})

    def _insert(self, request: FakeRequest) -> FakeResponse:
        snippet = (request.json() or {}).get("snippet") or {}
        parent = snippet.get("parentId")
        thread = self.threads.get(parent or "")
        if thread is None:
            return google_error(404, "commentNotFound", "The parent comment was not found.")
        if thread["video"] in self.comments_disabled:
            return google_error(
                403,
                "commentsDisabled",
                "The video has disabled comments.",
                domain="youtube.comment",
            )
        text = str(snippet.get("textOriginal") or "")
        if not text.strip():
            return google_error(400, "commentTextRequired", "The comment text is required.")
        reply = self._comment(
            text,
            author=self.handle,
            author_id=self.channel_id,
            video=thread["video"],
            parent=parent,
        )
        with self.lock:
            thread["replies"].append(reply)
            self.posted.append(reply)
        return FakeResponse.json(reply)

    def _moderate(self, request: FakeRequest) -> FakeResponse:
        status = request.arg("moderationStatus")
        ban = request.arg("banAuthor") == "true"
        if status not in ("heldForReview", "published", "rejected"):
            return google_error(400, "invalidModerationStatus", "Bad moderation status.")
        if ban and status != "rejected":
            return google_error(400, "banWithoutReject", "banAuthor needs rejected.")
        ids = (request.arg("id") or "").split(",")
        for comment_id in ids:
            comment = self.find(comment_id)
            if comment is None:
                return google_error(404, "commentNotFound", "The comment was not found.")
            comment["snippet"]["moderationStatus"] = status
            if ban:
                self.banned.add(comment["snippet"]["authorChannelId"]["value"])
            self.moderated.append((comment_id, status, ban))
        return FakeResponse(204)


def thread_payload(fake: FakeYouTube) -> str:
    """The fake's threads as JSON (for debugging a failing test)."""
    return json.dumps(fake.threads, indent=1)
