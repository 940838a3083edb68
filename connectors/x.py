"""X (Twitter) API v2 through tweepy's `Client`.

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
import logging
import math
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, NoReturn

import requests
import tweepy
from twitter_text import parse_tweet
from urllib3.exceptions import NewConnectionError

from connectors.base import (
    AccountMisconfigured,
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
    UsageCapped,
    same_reply_text,
    utcnow,
)
from connectors.http_support import parse_epoch, parse_int, parse_iso

# tweepy logs request headers (the bearer token) at DEBUG: keep secrets out of the logs.
logging.getLogger("tweepy.client").setLevel(logging.INFO)
log = logging.getLogger(__name__)

OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
OAUTH2_KEYS = ("client_id", "client_secret", "refresh_token")
TOKEN_URL = "https://api.twitter.com/2/oauth2/token"
# Renew the OAuth 2.0 access token this long before X says it expires (clock skew, slow calls).
RENEW_MARGIN = timedelta(minutes=5)
HIDE_SCOPE = "tweet.moderate.write"
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=15)  # X windows are 15 minutes
WINDOW = timedelta(minutes=15)
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
RATE_HEADERS = (
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "x-user-limit-24hour-limit",
    "x-user-limit-24hour-remaining",
    "x-user-limit-24hour-reset",
    "x-app-limit-24hour-limit",
    "x-app-limit-24hour-remaining",
    "x-app-limit-24hour-reset",
)
DAILY_PREFIXES = ("x-user-limit-24hour", "x-app-limit-24hour")

# What to change in the developer portal, per account-level refusal (problem type or reason).
FIX_OAUTH1_PERMISSIONS = (
    "X refuses to write with these OAuth 1.0a keys: the app is set to read only. In the "
    "developer portal, open the app's 'User authentication settings', set 'App permissions' "
    "to 'Read and write', then regenerate the Access Token and Secret (the old ones keep the "
    "old permission), paste them here and press 'check credentials'."
)
FIX_NOT_ENROLLED = (
    "X refuses this app for {action} (client-not-enrolled): either the app is not attached to "
    "a Project, or the account's API access does not include this endpoint (the legacy Free "
    "tier cannot read mentions). In the developer portal, add the app to a Project and check "
    "the plan or credits, then press 'check credentials'."
)
FIX_APP_ONLY = (
    "X refuses the app-only Bearer Token for {action}: it can only read mentions. To reply "
    "and hide, give OAuth 2.0 user credentials (client id + refresh token, scopes tweet.read "
    "tweet.write users.read offline.access, plus tweet.moderate.write to hide) or the OAuth "
    "1.0a keys of a 'Read and write' app, then press 'check credentials'."
)
FIX_REFRESH = (
    "X refused the OAuth 2.0 refresh token ({detail}): authorise the app again with the "
    "account (scopes tweet.read tweet.write users.read offline.access tweet.moderate.write) "
    "and paste the new refresh token, then press 'check credentials'."
)


class AppOnlyRefused(AccountMisconfigured):
    """X refuses an app-only Bearer Token where user context is needed (403 Unsupported
    Authentication)."""


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


def x_rate_limit(headers: Any, prefix: str = "x-rate-limit") -> RateLimitState:
    """Read one family of rate headers (the reset is absolute Unix seconds); garbage → None."""
    return RateLimitState(
        limit=parse_int(headers.get(f"{prefix}-limit")),
        remaining=parse_int(headers.get(f"{prefix}-remaining")),
        reset_at=parse_epoch(headers.get(f"{prefix}-reset")),
    )


def _exhausted(state: RateLimitState | None, now: datetime) -> datetime | None:
    """When a window with nothing left reopens (None: requests may go)."""
    if state is None or state.remaining is None or state.remaining > 0:
        return None
    if state.reset_at is None:
        return None  # no reset announced: X will tell with a 429 if it must
    return state.reset_at if state.reset_at > now else None


def _problem(response: Any) -> dict[str, Any]:
    """X's problem JSON (RFC 7807 plus `reason`), or {} when the body is not one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _problem_type(problem: dict[str, Any]) -> str:
    """The last segment of the problem `type` URI (`usage-capped`, `oauth1-permissions`…)."""
    return str(problem.get("type") or "").rstrip("/").rsplit("/", 1)[-1]


def next_cap_reset(now: datetime, day: int = 1) -> datetime:
    """The next start of a monthly usage period beginning on `day` (1-28), midnight UTC."""
    day = min(max(day, 1), 28)
    candidate = now.astimezone(UTC).replace(day=day, hour=0, minute=0, second=0, microsecond=0)
    if candidate > now:
        return candidate
    year, month = (
        (candidate.year + 1, 1) if candidate.month == 12 else (candidate.year, candidate.month + 1)
    )
    return candidate.replace(year=year, month=month)


def poll_interval_for(limit: int | None) -> int | None:
    """Seconds between polls that one 15-minute mentions window of `limit` requests sustains
    (one request a pass, a quarter kept for catching up and checks); at least a minute."""
    if not limit or limit <= 0:
        return None
    return max(60, math.ceil(WINDOW.total_seconds() / max(limit * 0.75, 1)))


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
    credential_fields: ClassVar[tuple[str, ...]] = (
        *OAUTH2_KEYS,
        *OAUTH1_KEYS,
        "bearer_token",
        "user_id",
    )
    option_fields: ClassVar[tuple[str, ...]] = ("page_size", "max_pages", "cap_reset_day")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        creds = self.credentials
        # OAuth 1.0a keys never expire: preferred when present. Otherwise an OAuth 2.0 user
        # token renewed from the refresh token, else a lone bearer token (app-only: reads).
        if all(creds.get(k) for k in OAUTH1_KEYS):
            self.kind = "oauth1"
        elif creds.get("client_id") and creds.get("refresh_token"):
            self.kind = "oauth2"
        elif creds.get("bearer_token"):
            self.kind = "bearer"
        else:
            self.kind = "none"
        self._user_auth = self.kind == "oauth1"
        self.client = tweepy.Client(
            bearer_token=creds.get("oauth2_access_token")
            if self.kind == "oauth2"
            else creds.get("bearer_token"),
            consumer_key=creds.get("consumer_key"),
            consumer_secret=creds.get("consumer_secret"),
            access_token=creds.get("access_token"),
            access_token_secret=creds.get("access_token_secret"),
            return_type=dict,
            wait_on_rate_limit=False,  # never sleep in a worker thread: the scheduler waits
        )
        self.client.session = _TimeoutSession(self.http_timeout)
        self.client.session.hooks["response"].append(self._read_rate_headers)
        # Rate windows per action ("list mentions", "post reply"…) and the 24-hour caps.
        self.windows: dict[str, RateLimitState] = {}
        self._action = ""
        self._access_level: str | None = None  # OAuth 1.0a: X's x-access-level header

    def _read_rate_headers(self, response: requests.Response, *args: Any, **kw: Any) -> None:
        """Remember every rate window X reports; drop garbled rate headers before tweepy
        reads them (it would raise ValueError on a malformed `x-rate-limit-reset`)."""
        headers = response.headers
        for name in RATE_HEADERS:
            if name in headers and parse_int(headers[name]) is None:
                log.warning("X: ignoring malformed %s header %r", name, headers[name])
                del headers[name]
        if "x-access-level" in headers:
            self._access_level = str(headers["x-access-level"]).strip().lower()
        if not self._action:
            return
        if "x-rate-limit-remaining" in headers:
            state = x_rate_limit(headers)
            self.windows[self._action] = state
            if self._action == "list mentions":
                self.rate_limit = state
        for prefix in DAILY_PREFIXES:
            if f"{prefix}-remaining" in headers:
                self.windows[f"{self._action}/{prefix}"] = x_rate_limit(headers, prefix)

    def close(self) -> None:
        """Close the HTTP session."""
        self.client.session.close()

    # -- credentials ----------------------------------------------------------------------

    def access(self) -> dict[str, Any]:
        """What these credentials allow (precise after `verify`)."""
        notes: list[str] = []
        if self.kind == "oauth1":
            ops = ["read", "reply", "hide"]
            if self._access_level == "read":
                ops, notes = ["read"], ["oauth1_read_only"]
        elif self.kind == "oauth2":
            scope = str(self.credentials.get("oauth2_scope") or "").split()
            ops = ["read", "reply"]
            if not scope or HIDE_SCOPE in scope:
                ops.append("hide")
            else:
                notes.append("no_hide_scope")
            if scope and "tweet.write" not in scope:
                ops = [op for op in ops if op != "reply"]
                notes.append("no_write_scope")
        elif self.kind == "bearer" and self.credentials.get("bearer_kind") == "user":
            ops, notes = ["read", "reply", "hide"], ["expires_without_refresh"]
        elif self.kind == "bearer":
            ops, notes = ["read"], ["app_only"]
        else:
            ops = []
        return {"kind": self.kind, "operations": ops, "notes": notes}

    def _app_only(self) -> bool:
        """A bearer token X already refused where user context is needed (see `_me`)."""
        return self.kind == "bearer" and self.credentials.get("bearer_kind") == "app"

    def _ensure_token(self) -> None:
        """Renew the OAuth 2.0 user access token when it is missing or about to expire."""
        if self.kind != "oauth2":
            return
        expires = parse_iso(str(self.credentials.get("oauth2_expires_at") or ""))
        if (
            self.credentials.get("oauth2_access_token")
            and expires
            and expires - RENEW_MARGIN > utcnow()
        ):
            return
        self._renew()

    def _renew(self) -> None:
        """POST /2/oauth2/token with the refresh token; X rotates it, so persist at once."""
        creds = self.credentials
        data = {
            "grant_type": "refresh_token",
            "refresh_token": str(creds["refresh_token"]),
            "client_id": str(creds["client_id"]),
        }
        secret = creds.get("client_secret")
        auth = (str(creds["client_id"]), str(secret)) if secret else None  # confidential app
        self._action = ""
        try:
            response = self.client.session.post(TOKEN_URL, data=data, auth=auth)
        except requests.exceptions.RequestException as exc:
            raise TransientError(
                f"renew access token: network error ({type(exc).__name__})"
            ) from exc
        problem = _problem(response)
        if response.status_code == 429:
            raise RateLimited(
                "renew access token: HTTP 429",
                retry_at=parse_epoch(response.headers.get("x-rate-limit-reset")),
                default_wait=DEFAULT_RATE_LIMIT_WAIT,
            )
        if response.status_code >= 500:
            raise TransientError(f"renew access token: HTTP {response.status_code}")
        token = problem.get("access_token")
        if response.status_code != 200 or not isinstance(token, str) or not token:
            detail = (
                problem.get("error_description")
                or problem.get("error")
                or (f"HTTP {response.status_code}")
            )
            raise AuthError(FIX_REFRESH.format(detail=detail), status=response.status_code)
        lifetime = parse_int(str(problem.get("expires_in", ""))) or 7200
        renewed = {
            **creds,
            "oauth2_access_token": token,
            "oauth2_expires_at": (utcnow() + timedelta(seconds=lifetime)).isoformat(),
            "refresh_token": problem.get("refresh_token") or creds["refresh_token"],
        }
        if problem.get("scope"):
            renewed["oauth2_scope"] = str(problem["scope"])
        self._set_credentials(renewed)
        self.client.bearer_token = token

    # -- error translation ----------------------------------------------------------------

    def _call(self, action: str, method: Any, *args: Any, write: bool = False, **kw: Any) -> Any:
        """Call a tweepy method, translating its exceptions into the contract's errors."""
        if self.kind == "none":
            raise AuthError("X: no credentials configured")
        if write and self._app_only():
            raise AppOnlyRefused(FIX_APP_ONLY.format(action=action), status=403)
        now = utcnow()
        for key in (action, *(f"{action}/{p}" for p in DAILY_PREFIXES)):
            reopens = _exhausted(self.windows.get(key), now)
            if reopens is not None:
                # Nothing was sent: waiting for the window beats collecting a 429.
                raise RateLimited(
                    f"{action}: X's rate window is used up until {reopens:%H:%M} UTC",
                    retry_at=reopens,
                )
        self._ensure_token()
        try:
            return self._request(action, method, *args, write=write, **kw)
        except AuthError as exc:
            # A user token revoked or expired early: renew once, then try again (a 401 means
            # X refused the request, so even a write surely did not go through).
            if self.kind != "oauth2" or exc.status != 401 or isinstance(exc, AccountMisconfigured):
                raise
            self._renew()
            return self._request(action, method, *args, write=write, **kw)

    def _request(self, action: str, method: Any, *args: Any, write: bool, **kw: Any) -> Any:
        # After a write that may have reached X, a lost answer is OutcomeUnknown, not a failure.
        unsure = OutcomeUnknown if write else TransientError
        self._action = action
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
        except (ValueError, TypeError) as exc:
            # Whatever tweepy trips on in an odd answer stays inside the error contract.
            raise unsure(f"{action}: unreadable answer from X ({type(exc).__name__})") from exc
        finally:
            self._action = ""
        if not isinstance(result, dict):
            raise unsure(f"{action}: unexpected answer from X")
        return result

    def _raise_for(self, exc: tweepy.HTTPException, action: str, *, write: bool) -> NoReturn:
        status = exc.response.status_code
        problem = _problem(exc.response)
        kind, reason = _problem_type(problem), str(problem.get("reason") or "")
        title = str(problem.get("title") or "")
        detail = "; ".join(str(m) for m in exc.api_messages) or exc.response.reason or ""
        message = f"{action}: HTTP {status}" + (f" ({detail})" if detail else "")
        if isinstance(exc, tweepy.TooManyRequests):
            if kind == "usage-capped":
                day = parse_int(str(self.options.get("cap_reset_day", 1))) or 1
                until = next_cap_reset(utcnow(), day)
                raise UsageCapped(
                    f"X: the monthly usage cap is reached ({detail or 'usage-capped'}); "
                    f"polling and replies are paused until {until:%Y-%m-%d} UTC. Raise the cap "
                    "or change plan in the developer portal, then press 'check credentials'.",
                    retry_at=until,
                )
            headers = exc.response.headers
            # 24-hour caps (posting) announce their own reset when they are the one exhausted;
            # a cap without (or with a garbled) reset falls back to the window's or the default.
            resets = [parse_epoch(headers.get("x-rate-limit-reset"))]
            for prefix in DAILY_PREFIXES:
                if parse_int(headers.get(f"{prefix}-remaining")) == 0:
                    resets.append(parse_epoch(headers.get(f"{prefix}-reset")))
            known = [r for r in resets if r is not None]
            raise RateLimited(
                message,
                retry_at=max(known) if known else None,
                default_wait=DEFAULT_RATE_LIMIT_WAIT,
            )
        if status == 403:
            if kind == "oauth1-permissions":
                raise AccountMisconfigured(FIX_OAUTH1_PERMISSIONS, status=status)
            if reason == "client-not-enrolled" or kind == "client-forbidden":
                raise AccountMisconfigured(FIX_NOT_ENROLLED.format(action=action), status=status)
            if kind == "unsupported-authentication" or title == "Unsupported Authentication":
                raise AppOnlyRefused(FIX_APP_ONLY.format(action=action), status=status)
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
        """The account: /2/users/me, or by its handle with an app-only token (refused there)."""
        if self._app_only():
            answer = self._by_handle()
        else:
            try:
                answer = self._call("get account", self.client.get_me, user_fields=["username"])
            except AppOnlyRefused:
                if self.kind != "bearer":
                    raise
                # X refuses app-only tokens here: this bearer token reads only.
                self._set_credentials({**self.credentials, "bearer_kind": "app"})
                answer = self._by_handle()
            else:
                if self.kind == "bearer" and self.credentials.get("bearer_kind") != "user":
                    # /2/users/me answered: this "bearer token" is a user access token.
                    self._set_credentials({**self.credentials, "bearer_kind": "user"})
        data = answer.get("data")
        if not isinstance(data, dict) or "id" not in data:
            raise TransientError("get account: answer without data")
        return data

    def _by_handle(self) -> dict[str, Any]:
        handle = (self.account_handle or "").lstrip("@")
        if not handle:
            raise AuthError(
                "X: an app-only Bearer Token cannot tell whose account it is: give the "
                "account's handle (or its numeric user_id)."
            )
        return self._call(
            "get account", self.client.get_user, username=handle, user_fields=["username"]
        )

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
