"""Meta: a Facebook Page over the Graph API — comments and replies on its recent posts and
visitors' posts, comments from webhooks; reply and hide.

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
    FB_COMMENT_FIELDS,
    NESTED_COMMENTS,
    MetaConnector,
    _dict,
    _epoch,
    _thread_url,
    log,
)


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
