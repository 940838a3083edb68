"""Meta: an Instagram professional account over the Graph API — comments and replies on its
recent media, media where it is tagged, @mentions read from webhooks; reply and hide.

The Graph plumbing (requests, errors, usage, paging, cursor) is `connectors.meta.MetaConnector`;
credentials, cursor and limits are described there.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

from connectors.base import (
    AuthorInfo,
    FetchedMention,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    TransientError,
    UnsupportedAction,
    utcnow,
)
from connectors.meta import (
    IG_COMMENT_FIELDS,
    NESTED_COMMENTS,
    MetaConnector,
    _dict,
    _epoch,
    _thread_url,
    log,
)


def _without_replies(comment: dict[str, Any]) -> dict[str, Any]:
    """The comment as a mention's raw data: its replies are mentions of their own."""
    return {k: v for k, v in comment.items() if k != "replies"} | {"kind": "comment"}


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
