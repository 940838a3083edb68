"""X (Twitter) API v2 through tweepy's `Client`.

Credentials: either `{"bearer_token": <OAuth 2.0 user access token>}` or the OAuth 1.0a keys
`consumer_key, consumer_secret, access_token, access_token_secret`; plus `user_id` (found
with `get_me` and handed back through `updated_credentials` when missing, so it is looked up
once). Options: `page_size` (5-100, default 100), `max_pages` (default 10).

Cursor: the `since_id` for the next poll. The timeline is newest-first, so the first page's
`newest_id` becomes the cursor only once every page of the pass was read; an interrupted
pass returns what it read with the old cursor (the next pass re-reads those mentions, the
idempotent ingest drops the repeats). A pass that reaches `max_pages` stores a resume
cursor instead, JSON `{"since": old since_id, "token": next page, "newest": newest_id}`:
the next pass reads on from that page, and only then adopts `newest`. X keeps only the
~800 latest mentions reachable.

X has no idempotency key: after a lost answer (OutcomeUnknown) the outbox asks `find_reply`
(our recent posts answering the mention) before any retry. X's 403 "duplicate content"
(DuplicateReply) refers to ANY recent post of ours with that text, not only this reply.
`base_url` is ignored: tweepy always calls https://api.twitter.com.
"""

from __future__ import annotations

import html
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, NoReturn

import requests
import tweepy
from twitter_text import parse_tweet
from urllib3.exceptions import NewConnectionError

from connectors.base import (
    AuthError,
    AuthorInfo,
    Connector,
    ConnectorError,
    CreditsExhausted,
    DuplicateReply,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimited,
    RateLimitState,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.http_support import parse_epoch, parse_int, parse_iso

# tweepy logs request headers (the bearer token) at DEBUG: keep secrets out of the logs.
logging.getLogger("tweepy.client").setLevel(logging.INFO)
log = logging.getLogger(__name__)

OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)  # X windows are 15 minutes
TWEET_FIELDS = [
    "created_at",
    "lang",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "entities",
    "public_metrics",
    "author_id",
]
USER_FIELDS = ["username", "name", "public_metrics", "verified", "verified_type"]
MAX_CHECK_PAGES = 5  # pages of our own posts read back when looking for a reply


def _never_connected(exc: requests.exceptions.RequestException) -> bool:
    """Whether the request failed before reaching X (so it cannot have been posted)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = exc.args[0] if exc.args else None
        reason = getattr(reason, "reason", reason)  # MaxRetryError wraps the cause
        return isinstance(reason, NewConnectionError)
    return False


def expanded_text(tweet: dict[str, Any]) -> str:
    """A post's text as written: entities unescaped, t.co links put back to their targets."""
    text = html.unescape(str(tweet.get("text") or ""))
    for link in (tweet.get("entities") or {}).get("urls") or []:
        if link.get("url") and link.get("expanded_url"):
            text = text.replace(str(link["url"]), str(link["expanded_url"]))
    return text


class _TimeoutSession(requests.Session):
    """A requests session with a default timeout (tweepy passes none: it would hang forever)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(*args, **kwargs)


def x_rate_limit(headers: Any) -> RateLimitState:
    """Read x-rate-limit-* headers (the reset is absolute Unix seconds)."""
    return RateLimitState(
        limit=parse_int(headers.get("x-rate-limit-limit")),
        remaining=parse_int(headers.get("x-rate-limit-remaining")),
        reset_at=parse_epoch(headers.get("x-rate-limit-reset")),
    )


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


class XConnector(Connector):
    """A brand account on X: mentions timeline, replies, hiding replies."""

    platform: ClassVar[str] = "x"
    supports_hide: ClassVar[bool] = True
    credential_fields: ClassVar[tuple[str, ...]] = ("bearer_token", *OAUTH1_KEYS, "user_id")
    option_fields: ClassVar[tuple[str, ...]] = ("page_size", "max_pages")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        creds = self.credentials
        # OAuth 1.0a keys give user context; a lone bearer token must be an OAuth 2.0 user
        # token, sent with user_auth=False (tweepy would otherwise demand consumer keys).
        self._user_auth = all(creds.get(k) for k in OAUTH1_KEYS)
        self.client = tweepy.Client(
            bearer_token=creds.get("bearer_token"),
            consumer_key=creds.get("consumer_key"),
            consumer_secret=creds.get("consumer_secret"),
            access_token=creds.get("access_token"),
            access_token_secret=creds.get("access_token_secret"),
            return_type=dict,
            wait_on_rate_limit=False,  # never sleep in a worker thread: the scheduler waits
        )
        self.client.session = _TimeoutSession(self.http_timeout)
        self.client.session.hooks["response"].append(self._remember_rate_limit)

    def _remember_rate_limit(self, response: requests.Response, *args: Any, **kw: Any) -> None:
        if "x-rate-limit-remaining" in response.headers:
            self.rate_limit = x_rate_limit(response.headers)

    def close(self) -> None:
        """Close the HTTP session."""
        self.client.session.close()

    # -- error translation ----------------------------------------------------------------

    def _call(self, action: str, method: Any, *args: Any, write: bool = False, **kw: Any) -> Any:
        """Call a tweepy method, translating its exceptions into the contract's errors."""
        if not (self._user_auth or self.credentials.get("bearer_token")):
            raise AuthError("X: no credentials configured")
        # After a write that may have reached X, a lost answer is OutcomeUnknown, not a failure.
        unsure = OutcomeUnknown if write else TransientError
        try:
            result = method(*args, user_auth=self._user_auth, **kw)
        except tweepy.HTTPException as exc:
            self._raise_for(exc, action, write=write)
        except requests.exceptions.JSONDecodeError as exc:
            raise unsure(f"{action}: malformed JSON from X") from exc
        except requests.exceptions.RequestException as exc:
            if _never_connected(exc):
                raise TransientError(f"{action}: could not connect ({type(exc).__name__})") from exc
            if isinstance(exc, requests.exceptions.Timeout):
                raise unsure(f"{action}: timed out; it may have been published") from exc
            raise unsure(f"{action}: network error ({type(exc).__name__})") from exc
        if not isinstance(result, dict):
            raise unsure(f"{action}: unexpected answer from X")
        return result

    def _raise_for(self, exc: tweepy.HTTPException, action: str, *, write: bool) -> NoReturn:
        status = exc.response.status_code
        detail = "; ".join(str(m) for m in exc.api_messages) or exc.response.reason or ""
        message = f"{action}: HTTP {status}" + (f" ({detail})" if detail else "")
        if isinstance(exc, tweepy.TooManyRequests):
            headers = exc.response.headers
            # 24-hour caps (posting) announce their own reset when they are the one exhausted.
            reset = parse_epoch(headers.get("x-rate-limit-reset"))
            for prefix in ("x-user-limit-24hour", "x-app-limit-24hour"):
                if headers.get(f"{prefix}-remaining") == "0":
                    reset = max(filter(None, [reset, parse_epoch(headers.get(f"{prefix}-reset"))]))
            raise RateLimited(message, retry_at=reset, default_wait=DEFAULT_RATE_LIMIT_WAIT)
        if isinstance(exc, tweepy.Unauthorized):
            raise AuthError(message, status=status)
        if isinstance(exc, tweepy.Forbidden):
            if write and "duplicate" in detail.lower():
                raise DuplicateReply(message, status=status)
            if write:
                # Replies X refuses (since 2026-02 only to posts that @mention us) and hiding
                # outside our conversations are refusals of this post, not a revoked account.
                raise PermanentError(message, status=status)
            raise AuthError(message, status=status)
        if status == 402:
            raise CreditsExhausted(message, status=status)
        if write and (isinstance(exc, tweepy.TwitterServerError) or status == 408):
            raise OutcomeUnknown(message, status=status)
        if isinstance(exc, tweepy.TwitterServerError) or status in (408, 425):
            raise TransientError(message, status=status)
        raise PermanentError(message, status=status)

    # -- contract -------------------------------------------------------------------------

    def _user_id(self) -> str:
        user_id = self.credentials.get("user_id")
        if not user_id:
            me = self._me()
            user_id = str(me["id"])
            self._set_credentials({**self.credentials, "user_id": user_id})
        return str(user_id)

    def _me(self) -> dict[str, Any]:
        answer = self._call("get account", self.client.get_me, user_fields=["username"])
        data = answer.get("data")
        if not isinstance(data, dict) or "id" not in data:
            raise TransientError("get account: answer without data")
        return data

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
        return self._result(mentions, newest or since)

    def _result(
        self, mentions: dict[str, FetchedMention], cursor: str | None, **kw: Any
    ) -> FetchResult:
        ordered = sorted(mentions.values(), key=lambda m: (len(m.external_id), m.external_id))
        return FetchResult(
            ordered, cursor, self.rate_limit, credentials=self.updated_credentials, **kw
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
        """Return the account's @username; remembers its user id for the polls."""
        me = self._me()
        if str(me["id"]) != self.credentials.get("user_id"):
            self._set_credentials({**self.credentials, "user_id": str(me["id"])})
        return str(me.get("username", ""))
