"""X (Twitter) API v2 through tweepy's `Client`: reading mentions, replying, hiding.

The API access (credentials, token renewal, errors) is `connectors.x_client`; the rate
windows and caps `connectors.x_limits`.

Credentials, one of three kinds (see README "Connecting an X account"):
- OAuth 2.0 user context, renewed: `client_id`, `refresh_token` (+ `client_secret` for a
  confidential app). The connector renews the two-hour access token before it expires
  (`POST /2/oauth2/token`) and keeps it in `oauth2_access_token`/`oauth2_expires_at`/
  `oauth2_scope`; X rotates the refresh token on every renewal, so the new credentials are
  handed back through `updated_credentials` at once (stored encrypted, as Bluesky's session).
  Hiding needs the `tweet.moderate.write` scope.
- OAuth 1.0a user keys `consumer_key, consumer_secret, access_token, access_token_secret` of an
  app set to "Read and write" (they never expire).
- `bearer_token` alone: the portal's app-only Bearer Token reads mentions only (X refuses it
  for `/2/users/me`, posting and hiding). A user access token pasted there works until it
  expires (two hours); `verify` tells which it is (`bearer_kind`).
Plus `user_id` (looked up once and handed back). Options: `page_size` (5-100, default 100),
`max_pages` (default 10), `cap_reset_day` (day of the month the usage cap resets, default 1).

Cursor: the `since_id` for the next poll. The timeline is newest-first, so the first page's
`newest_id` becomes the cursor only once every page of the pass was read; an interrupted
pass returns what it read with the old cursor (the next pass re-reads those mentions, the
idempotent ingest drops the repeats). A pass that reaches `max_pages` stores a resume
cursor instead, JSON `{"since": old since_id, "token": next page, "newest": newest_id}`:
the next pass reads on from that page, and only then adopts `newest`. X keeps only the
~800 latest mentions reachable.

Rate limits: each endpoint's `x-rate-limit-*` window (and the 24-hour posting caps) are read
on every answer; a window with nothing left is waited out (RateLimited without a request)
instead of being hit for a 429. Every header parse tolerates missing or garbled values.

X has no idempotency key: after a lost answer (OutcomeUnknown) the outbox asks `find_reply`
(our recent posts answering the mention) before any retry. X's 403 "duplicate content"
(DuplicateReply) refers to ANY recent post of ours with that text, not only this reply.
Account-level 403s (app permissions, project enrolment, a token kind X does not accept for
the endpoint) are AccountMisconfigured, with what to change in the developer portal.
`base_url` is ignored: tweepy always calls https://api.twitter.com.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from twitter_text import parse_tweet

from connectors.base import (
    AuthorInfo,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.http_support import parse_iso
from connectors.x_client import OAUTH1_KEYS, OAUTH2_KEYS, XClient, log
from connectors.x_limits import _exhausted, poll_interval_for

TWEET_FIELDS = [
    "created_at",
    "lang",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "entities",
    "public_metrics",
    "author_id",
    "edit_history_tweet_ids",
]
USER_FIELDS = ["username", "name", "public_metrics", "verified", "verified_type"]
MAX_CHECK_PAGES = 5  # pages of our own posts read back when looking for a reply


def expanded_text(tweet: dict[str, Any]) -> str:
    """A post's text as written: entities unescaped, t.co links put back to their targets."""
    text = html.unescape(str(tweet.get("text") or ""))
    for link in (tweet.get("entities") or {}).get("urls") or []:
        if link.get("url") and link.get("expanded_url"):
            text = text.replace(str(link["url"]), str(link["expanded_url"]))
    return text


def _parse_cursor(cursor: str | None) -> tuple[str | None, str | None, str | None]:
    """(since_id, page token to resume at, newest id to adopt after) from a stored cursor."""
    if not cursor or not cursor.startswith("{"):
        return cursor or None, None, None
    try:
        data = json.loads(cursor)
        return str(data["since"]), data.get("token") or None, data.get("newest") or None
    except (ValueError, KeyError, TypeError):
        log.warning("X: unreadable cursor %r, starting from the latest page", cursor)
        return None, None, None


class XConnector(XClient):
    """A brand account on X: mentions timeline, replies, hiding replies."""

    platform: ClassVar[str] = "x"
    supports_hide: ClassVar[bool] = True
    credential_fields: ClassVar[tuple[str, ...]] = (
        *OAUTH2_KEYS,
        *OAUTH1_KEYS,
        "bearer_token",
        "user_id",
    )
    option_fields: ClassVar[tuple[str, ...]] = ("page_size", "max_pages", "cap_reset_day")

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read the mentions timeline since `cursor`, following every page."""
        page_size = min(max(int(self.options.get("page_size", 100)), 5), 100)
        max_pages = max(int(self.options.get("max_pages", 10)), 1)
        user_id = self._user_id()
        params: dict[str, Any] = {
            "max_results": page_size,
            "expansions": ["author_id", "referenced_tweets.id"],
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
        }
        since, token, newest = _parse_cursor(cursor)
        if since:
            params["since_id"] = since
        mentions: dict[str, FetchedMention] = {}
        resuming = token is not None
        pages = 0
        try:
            while True:
                try:
                    page = self._call(
                        "list mentions",
                        self.client.get_users_mentions,
                        user_id,
                        pagination_token=token,
                        **params,
                    )
                except PermanentError:
                    if not (resuming and pages == 0):
                        raise
                    # The stored page token was refused: read the whole range again.
                    log.warning("X: resume token refused, reading again from since_id")
                    token, newest, resuming = None, None, False
                    continue
                pages += 1
                meta = page.get("meta") or {}
                if pages == 1 and not resuming:
                    newest = meta.get("newest_id")
                includes = page.get("includes") or {}
                users = {str(u.get("id")): u for u in includes.get("users") or []}
                referenced = {str(t.get("id")): t for t in includes.get("tweets") or []}
                for tweet in page.get("data") or []:
                    if str(tweet.get("author_id")) == user_id:
                        continue  # our own post threading on a mention
                    mention = self._to_mention(tweet, users, referenced)
                    mentions.setdefault(mention.external_id, mention)
                token = meta.get("next_token")
                if not since or not token:
                    break  # first poll reads the latest page only
                if pages >= max_pages:
                    # Older new mentions remain below this page: resume there next time,
                    # never jump the cursor over them.
                    resume = {"since": since, "token": token, "newest": newest or since}
                    return self._result(
                        mentions,
                        json.dumps(resume, separators=(",", ":")),
                        complete=False,
                        error=f"stopped after {pages} pages; more remain",
                    )
        except ConnectorError as exc:
            if pages == 0:
                raise
            return self._result(
                mentions, cursor, complete=False, retry_at=exc.retry_at, error=str(exc)
            )
        reopens = _exhausted(self.windows.get("list mentions"), utcnow())
        if reopens is not None:
            # Everything was read, but the window is used up: the next poll waits for it.
            return self._result(
                mentions,
                newest or since,
                complete=False,
                retry_at=reopens,
                error="X's rate window for mentions is used up until its reset",
            )
        return self._result(mentions, newest or since)

    def _result(
        self, mentions: dict[str, FetchedMention], cursor: str | None, **kw: Any
    ) -> FetchResult:
        ordered = sorted(mentions.values(), key=lambda m: (len(m.external_id), m.external_id))
        return FetchResult(
            ordered,
            cursor,
            self.rate_limit,
            credentials=self.updated_credentials,
            min_interval=poll_interval_for(self.rate_limit.limit),
            **kw,
        )

    def _to_mention(
        self,
        tweet: dict[str, Any],
        users: dict[str, dict[str, Any]],
        referenced: dict[str, dict[str, Any]],
    ) -> FetchedMention:
        tweet_id = str(tweet["id"])
        author_id = str(tweet.get("author_id", ""))
        user = users.get(author_id, {})
        username = user.get("username") or author_id
        metrics = user.get("public_metrics") or {}
        replied_to = next(
            (
                str(ref["id"])
                for ref in tweet.get("referenced_tweets") or []
                if ref.get("type") == "replied_to"
            ),
            None,
        )
        refs = [
            referenced[str(ref["id"])]
            for ref in tweet.get("referenced_tweets") or []
            if str(ref.get("id")) in referenced
        ]
        raw: dict[str, Any] = {"data": tweet, "includes": {"users": [user] if user else []}}
        if refs:
            raw["includes"]["tweets"] = refs
        return FetchedMention(
            external_id=tweet_id,
            text=str(tweet.get("text", "")),
            author=AuthorInfo(
                external_id=author_id,
                handle=username,
                name=user.get("name"),
                followers=metrics.get("followers_count"),
                verified=bool(user.get("verified")),
                url=f"https://x.com/{username}" if user else None,
            ),
            posted_at=parse_iso(tweet.get("created_at")) or utcnow(),
            url=f"https://x.com/{username}/status/{tweet_id}",
            lang=tweet.get("lang"),
            channel="x",
            thread_id=str(tweet.get("conversation_id") or tweet_id),
            in_reply_to=replied_to,
            visibility=None,
            previous_ids=tuple(
                str(i) for i in tweet.get("edit_history_tweet_ids") or [] if str(i) != tweet_id
            ),
            raw=raw,
        )

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Post a reply with `in_reply_to_tweet_id`; over-long text fails before any request."""
        parsed = parse_tweet(reply.text)
        if not parsed.valid:
            raise PermanentError(
                f"post reply: text is not a valid post (weighted length {parsed.weightedLength},"
                " max 280)"
            )
        answer = self._call(
            "post reply",
            self.client.create_tweet,
            text=reply.text,
            in_reply_to_tweet_id=reply.in_reply_to_external_id,
            write=True,
        )
        data = answer.get("data") or {}
        if "id" not in data:
            raise OutcomeUnknown("post reply: answer without a post id")
        post_id = str(data["id"])
        handle = (self.account_handle or "i/web").lstrip("@")
        return PostResult(
            external_id=post_id,
            url=f"https://x.com/{handle}/status/{post_id}",
            credentials=self.updated_credentials,
        )

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look through our posts since `posted_after` for one answering the mention with our
        text (X shortens links to t.co: they are expanded before comparing)."""
        user_id = self._user_id()
        token: str | None = None
        for _ in range(MAX_CHECK_PAGES):
            page = self._call(
                "check reply",
                self.client.get_users_tweets,
                user_id,
                start_time=posted_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                max_results=100,
                exclude=["retweets"],
                tweet_fields=["created_at", "referenced_tweets", "entities"],
                pagination_token=token,
            )
            for tweet in page.get("data") or []:
                answers = any(
                    ref.get("type") == "replied_to"
                    and str(ref.get("id")) == reply.in_reply_to_external_id
                    for ref in tweet.get("referenced_tweets") or []
                )
                if answers and same_reply_text(expanded_text(tweet), reply.text):
                    post_id = str(tweet["id"])
                    handle = (self.account_handle or "i/web").lstrip("@")
                    return PostResult(
                        external_id=post_id,
                        url=f"https://x.com/{handle}/status/{post_id}",
                        credentials=self.updated_credentials,
                    )
            token = (page.get("meta") or {}).get("next_token")
            if not token:
                return None
        raise TransientError(f"check reply: more than {MAX_CHECK_PAGES} pages to read back")

    def hide(self, mention_raw: dict[str, Any], hidden: bool = True) -> None:
        """Hide (or unhide) a reply in a conversation the brand's account started."""
        tweet = (
            mention_raw.get("data") if isinstance(mention_raw.get("data"), dict) else mention_raw
        )
        tweet_id = str((tweet or {}).get("id", ""))
        if not tweet_id:
            raise PermanentError("hide: the mention has no X post id")
        method = self.client.hide_reply if hidden else self.client.unhide_reply
        self._call("hide reply" if hidden else "unhide reply", method, tweet_id, write=True)

    def verify(self) -> str:
        """Return the account's @username; remembers its user id for the polls, and learns
        what the credentials allow (`access`): OAuth 1.0a permission, OAuth 2.0 scopes, which
        kind of bearer token."""
        me = self._me()
        if self.kind == "oauth2" and "oauth2_scope" not in self.credentials:
            self._renew()  # learn the token's scopes: they say whether hiding is allowed
        if str(me["id"]) != self.credentials.get("user_id"):
            self._set_credentials({**self.credentials, "user_id": str(me["id"])})
        return str(me.get("username", ""))
