"""X API v2 access through tweepy's `Client`: which credentials (OAuth 1.0a, OAuth 2.0 renewed,
bearer), the OAuth 2.0 token renewal, every call through one place that reads the rate
headers and maps X's refusals to the contract's errors (with what to change in the developer
portal). `connectors.x.XConnector` reads, replies and hides on top of it."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, NoReturn

import requests
import tweepy
from urllib3.exceptions import NewConnectionError

from connectors.base import (
    AccountMisconfigured,
    AuthError,
    Connector,
    CreditsExhausted,
    DuplicateReply,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    RateLimitState,
    TransientError,
    UsageCapped,
    utcnow,
)
from connectors.http_support import parse_epoch, parse_int, parse_iso
from connectors.x_limits import (
    DAILY_PREFIXES,
    DEFAULT_RATE_LIMIT_WAIT,
    RATE_HEADERS,
    _exhausted,
    next_cap_reset,
    x_rate_limit,
)

# tweepy logs request headers (the bearer token) at DEBUG: keep secrets out of the logs.
logging.getLogger("tweepy.client").setLevel(logging.INFO)
log = logging.getLogger("connectors.x")

OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")


OAUTH2_KEYS = ("client_id", "client_secret", "refresh_token")


TOKEN_URL = "https://api.twitter.com/2/oauth2/token"
# Renew the OAuth 2.0 access token this long before X says it expires (clock skew, slow calls).
RENEW_MARGIN = timedelta(minutes=5)
HIDE_SCOPE = "tweet.moderate.write"


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


class _TimeoutSession(requests.Session):
    """A requests session with a default timeout (tweepy passes none: it would hang forever)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(*args, **kwargs)


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


class XClient(Connector):
    """One X account's API access: credentials, token renewal, rate windows, errors."""

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
