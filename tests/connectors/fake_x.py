"""A fake X API v2 (api.twitter.com) for tweepy, served through `responses`."""

from __future__ import annotations

import base64
import html
import itertools
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer

TWEET_DEFAULT_FIELDS = ("id", "text", "edit_history_tweet_ids")
USER_DEFAULT_FIELDS = ("id", "name", "username")
PROBLEMS = "https://api.twitter.com/2/problems/"
ALL_SCOPES = "tweet.read tweet.write users.read offline.access tweet.moderate.write"
#: Per-endpoint 15-minute windows (requests per window), as X's user-context limits go.
WINDOW_LIMITS = {"mentions": 450, "timeline": 900, "me": 75, "user": 900, "create": 100, "hide": 50}
#: The 24-hour caps X reports on posting.
DAILY_LIMITS = {"x-user-limit-24hour": 100, "x-app-limit-24hour": 10000}


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}


def unsupported_authentication() -> dict[str, Any]:
    """X's answer to an app-only Bearer Token where user context is required."""
    return _problem(
        403,
        "Unsupported Authentication",
        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  "
        "Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
        type=PROBLEMS + "unsupported-authentication",
    )


def oauth1_permissions() -> dict[str, Any]:
    return _problem(
        403,
        "Forbidden",
        "Your client app is not configured with the appropriate oauth1 app permissions for "
        "this endpoint.",
        type=PROBLEMS + "oauth1-permissions",
    )


def client_not_enrolled(client_id: str = "1") -> dict[str, Any]:
    return _problem(
        403,
        "Client Forbidden",
        "When authenticating requests to the Twitter API v2 endpoints, you must use keys and "
        "tokens from a Twitter developer App that is attached to a Project. You can create a "
        "project via the developer portal.",
        type=PROBLEMS + "client-forbidden",
        reason="client-not-enrolled",
        client_id=client_id,
        registration_url="https://developer.twitter.com/en/docs/projects/overview",
        required_enrollment="Appropriate Level of API Access",
    )


def usage_capped() -> dict[str, Any]:
    return _problem(
        429,
        "UsageCapExceeded",
        "Usage cap exceeded: Monthly product cap",
        type=PROBLEMS + "usage-capped",
        period="Monthly",
        scope="Product",
    )


def _key(tweet_id: str) -> tuple[int, str]:
    return (len(tweet_id), tweet_id)


class FakeX(FakeServer):
    """Holds the brand account, users and mentions; serves the v2 endpoints tweepy calls.

    Authentication, as X does:
    - `bearer_token` is the app-only Bearer Token: it reads, and is refused (403 Unsupported
      Authentication) on /2/users/me, posting and hiding;
    - OAuth 2.0 user access tokens come from `POST /2/oauth2/token` (grant refresh_token with
      `client_id`, Basic auth when `client_secret` is set); they last `token_lifetime`
      seconds and each renewal rotates the refresh token (the old one is refused after);
    - OAuth 1.0a with consumer key `consumer_key`, answered with `x-access-level`
      (`oauth1_access_level`: "read" refuses writes with `oauth1-permissions`).
    `enrolled = False` refuses everything with `client-not-enrolled`; `usage_capped = True`
    answers 429 `usage-capped`. Every answer carries its endpoint's `x-rate-limit-*` window
    (`windows`, 429 once used up); posts also carry the 24-hour caps. Edited posts get a new
    id and `edit_history_tweet_ids` (`edit`). Referenced posts come in `includes.tweets`;
    deleted ones as partial `errors`.
    Pagination tokens encode the last id served, like X's are stable across deletions.

    Quirks of the real API: a reply's `text`, read back, starts with the @username of the
    post it answers; links come back shortened to t.co (the target is in `entities.urls`);
    `&`, `<`, `>` come back HTML-escaped; "duplicate content" is refused for any recent
    post of ours with the same text, whatever it answers.
    """

    base_url = "https://api.twitter.com"

    def __init__(
        self,
        *,
        user_id: str = "123",
        username: str = "acme",
        bearer_token: str = "x-bearer",
        consumer_key: str = "ck",
    ) -> None:
        super().__init__()
        self.user_id = user_id
        self.username = username
        self.bearer_token = bearer_token
        self.consumer_key = consumer_key
        self.users: dict[str, dict[str, Any]] = {
            user_id: {"id": user_id, "name": "Acme", "username": username}
        }
        self.tweets: list[dict[str, Any]] = []  # ascending ids: mentions and our replies
        self.posted: list[dict[str, Any]] = []
        self.hidden: dict[str, bool] = {}
        self.credits = 10**6
        self._ids = itertools.count(1_900_000_000_000_000_001)
        self._clock = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        self.reset_epoch = int(time.time()) + 15 * 60
        # endpoint → requests left in the 15-minute window; and the 24-hour posting caps.
        self.window_limits: dict[str, int] = dict(WINDOW_LIMITS)  # the API tier's
        self.windows: dict[str, int] = dict(WINDOW_LIMITS)
        self.daily: dict[str, int] = dict(DAILY_LIMITS)
        self.daily_reset_epoch = int(time.time()) + 24 * 3600
        self.too_many: int = 0  # 429s answered (a well-behaved client needs none)
        # OAuth 2.0 user context
        self.client_id = "x-client"
        self.client_secret: str | None = None
        self.refresh_token = "x-refresh-0"
        self.scope = ALL_SCOPES
        self.token_lifetime = 7200
        self.access_tokens: dict[str, float] = {}  # token → expiry (Unix seconds)
        self.renewals = 0
        # OAuth 1.0a and account-level states
        self.oauth1_access_level = "read-write"
        self.enrolled = True
        self.usage_capped = False
        self.edited: dict[str, str] = {}  # old id → new id
        self.deleted_ids: set[str] = set()

    # -- state ----------------------------------------------------------------------------

    def add_user(
        self, username: str, *, name: str | None = None, followers: int = 10, verified: bool = False
    ) -> dict[str, Any]:
        user_id = str(1000 + len(self.users))
        user = {
            "id": user_id,
            "name": name or username.title(),
            "username": username,
            "verified": verified,
            "verified_type": "blue" if verified else "none",
            "public_metrics": {
                "followers_count": followers,
                "following_count": 1,
                "tweet_count": 5,
                "listed_count": 0,
            },
        }
        self.users[user_id] = user
        return user

    def add_mention(
        self,
        text: str = "bonjour",
        *,
        username: str = "alice",
        lang: str = "fr",
        in_reply_to: str | None = None,
        followers: int = 10,
        verified: bool = False,
    ) -> dict[str, Any]:
        """Add a post by `username` (created on first use) that @mentions the brand."""
        user = next((u for u in self.users.values() if u["username"] == username), None)
        user = user or self.add_user(username, followers=followers, verified=verified)
        return self._add_tweet(f"@{self.username} {text}", user["id"], lang, in_reply_to)

    def _add_tweet(
        self,
        text: str,
        author_id: str,
        lang: str | None,
        in_reply_to: str | None,
        created_at: datetime | None = None,
    ) -> dict[str, Any]:
        self._clock += timedelta(seconds=11)
        tweet_id = str(next(self._ids))
        parent = next((t for t in self.tweets if t["id"] == in_reply_to), None)
        tweet: dict[str, Any] = {
            "id": tweet_id,
            "text": text,
            "edit_history_tweet_ids": [tweet_id],
            "author_id": author_id,
            "created_at": (created_at or self._clock).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": parent["conversation_id"] if parent else tweet_id,
            "lang": lang,
            "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0},
        }
        if parent:
            tweet["in_reply_to_user_id"] = parent["author_id"]
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent["id"]}]
        with self.lock:
            self.tweets.append(tweet)
        return tweet

    def delete(self, tweet_id: str) -> None:
        with self.lock:
            self.tweets = [t for t in self.tweets if t["id"] != tweet_id]
            self.deleted_ids.add(tweet_id)

    def edit(self, tweet_id: str, text: str) -> dict[str, Any]:
        """Edit a mention as X does: a new post (new id) carrying the edit history."""
        old = next(t for t in self.tweets if t["id"] == tweet_id)
        parent = next(
            (r["id"] for r in old.get("referenced_tweets") or [] if r["type"] == "replied_to"),
            None,
        )
        new = self._add_tweet(f"@{self.username} {text}", old["author_id"], old["lang"], parent)
        new["edit_history_tweet_ids"] = [*old["edit_history_tweet_ids"], new["id"]]
        with self.lock:
            self.tweets = [t for t in self.tweets if t["id"] != tweet_id]
            self.edited[tweet_id] = new["id"]
        return new

    def oauth2_credentials(self) -> dict[str, Any]:
        """What an admin pastes for OAuth 2.0 user context (public client: no secret)."""
        creds: dict[str, Any] = {"client_id": self.client_id, "refresh_token": self.refresh_token}
        if self.client_secret:
            creds["client_secret"] = self.client_secret
        return creds

    def oauth1_credentials(self) -> dict[str, Any]:
        return {
            "consumer_key": self.consumer_key,
            "consumer_secret": "cs",
            "access_token": "at",
            "access_token_secret": "ats",
        }

    def expire_access_tokens(self) -> None:
        """Every OAuth 2.0 access token issued so far stops working (two hours went by)."""
        with self.lock:
            self.access_tokens = {t: 0.0 for t in self.access_tokens}

    # -- HTTP -----------------------------------------------------------------------------

    def _auth_kind(self, request: FakeRequest) -> str | None:
        """ "app", "oauth2", "oauth1", or None when X would answer 401."""
        auth = request.headers.get("authorization", "")
        if auth.startswith("OAuth "):
            return "oauth1" if f'oauth_consumer_key="{self.consumer_key}"' in auth else None
        token = request.bearer()
        if token == self.bearer_token:
            return "app"
        if token in self.access_tokens and self.access_tokens[token] > time.time():
            return "oauth2"
        return None

    def _endpoint(self, request: FakeRequest) -> str:
        path = request.path
        if path == "/2/users/me":
            return "me"
        if re.fullmatch(r"/2/users/\d+/mentions", path):
            return "mentions"
        if re.fullmatch(r"/2/users/\d+/tweets", path):
            return "timeline"
        if path.startswith("/2/users/by/username/"):
            return "user"
        if path == "/2/tweets" and request.method == "POST":
            return "create"
        if re.fullmatch(r"/2/tweets/\d+/hidden", path):
            return "hide"
        return "other"

    def _headers(self, endpoint: str = "other") -> dict[str, str]:
        limit = self.window_limits.get(endpoint, 450)
        remaining = self.windows.get(endpoint, limit)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(remaining, 0)),
            "x-rate-limit-reset": str(self.reset_epoch),
        }
        if endpoint == "create":
            for prefix, cap in DAILY_LIMITS.items():
                headers[f"{prefix}-limit"] = str(cap)
                headers[f"{prefix}-remaining"] = str(max(self.daily.get(prefix, cap), 0))
                headers[f"{prefix}-reset"] = str(self.daily_reset_epoch)
        return headers

    def respond(self, request: FakeRequest) -> FakeResponse:
        if request.method == "POST" and request.path == "/2/oauth2/token":
            return self._token(request)
        endpoint = self._endpoint(request)
        kind = self._auth_kind(request)
        if kind is None:
            return FakeResponse.json(
                _problem(401, "Unauthorized", "Unauthorized"), 401, self._headers(endpoint)
            )
        if not self.enrolled:
            return FakeResponse.json(client_not_enrolled(), 403, self._headers(endpoint))
        if self.usage_capped:
            return FakeResponse.json(usage_capped(), 429, self._headers(endpoint))
        if self.windows.get(endpoint, 1) <= 0 or (
            endpoint == "create" and min(self.daily.values()) <= 0
        ):
            self.too_many += 1
            problem = _problem(429, "Too Many Requests", "Too Many Requests")
            return FakeResponse.json(problem, 429, self._headers(endpoint))
        if endpoint in self.windows:
            self.windows[endpoint] -= 1
        if endpoint == "create":
            for prefix in self.daily:
                self.daily[prefix] -= 1
        headers = self._headers(endpoint)
        if kind == "oauth1":
            headers["x-access-level"] = self.oauth1_access_level
        if kind == "app" and endpoint in ("me", "create", "hide"):
            return FakeResponse.json(unsupported_authentication(), 403, headers)
        if kind == "oauth1" and self.oauth1_access_level == "read" and request.method != "GET":
            return FakeResponse.json(oauth1_permissions(), 403, headers)
        path = request.path
        if request.method == "GET" and path == "/2/users/me":
            return FakeResponse.json({"data": self.users[self.user_id]}, 200, headers)
        match = re.fullmatch(r"/2/users/by/username/(\w+)", path)
        if request.method == "GET" and match:
            user = next((u for u in self.users.values() if u["username"] == match.group(1)), None)
            if user is None:
                return FakeResponse.json(
                    {"errors": [{"title": "Not Found Error", "value": match.group(1)}]},
                    200,
                    headers,
                )
            return FakeResponse.json({"data": user}, 200, headers)
        match = re.fullmatch(r"/2/users/(\d+)/mentions", path)
        if request.method == "GET" and match:
            return self._mentions(request, match.group(1), headers)
        match = re.fullmatch(r"/2/users/(\d+)/tweets", path)
        if request.method == "GET" and match:
            return self._timeline(request, match.group(1), headers)
        if request.method == "POST" and path == "/2/tweets":
            return self._create(request, headers)
        match = re.fullmatch(r"/2/tweets/(\d+)/hidden", path)
        if request.method == "PUT" and match:
            return self._hide(request, match.group(1), headers)
        return FakeResponse.json(_problem(404, "Not Found Error", "not found"), 404, headers)

    def _token(self, request: FakeRequest) -> FakeResponse:
        """POST /2/oauth2/token, grant_type=refresh_token (rotates the refresh token)."""
        form = request.form()
        client_id = form.get("client_id")
        if self.client_secret:
            expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode())
            if request.headers.get("authorization", "") != f"Basic {expected.decode()}":
                return FakeResponse.json(
                    {
                        "error": "unauthorized_client",
                        "error_description": "Missing valid authorization header",
                    },
                    401,
                )
        if form.get("grant_type") != "refresh_token" or client_id != self.client_id:
            return FakeResponse.json(
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
                400,
            )
        if form.get("refresh_token") != self.refresh_token:
            return FakeResponse.json(
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the token was invalid.",
                },
                400,
            )
        access = "x-user-" + secrets.token_hex(8)
        with self.lock:
            self.access_tokens[access] = time.time() + self.token_lifetime
            self.refresh_token = "x-refresh-" + secrets.token_hex(8)
            self.renewals += 1
        return FakeResponse.json(
            {
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "access_token": access,
                "scope": self.scope,
                "refresh_token": self.refresh_token,
            }
        )

    @staticmethod
    def _fields(item: dict[str, Any], requested: str | None, default: tuple[str, ...]):
        wanted = set(default) | set(filter(None, (requested or "").split(",")))
        return {k: v for k, v in item.items() if k in wanted}

    def _mentions(self, request: FakeRequest, user_id: str, headers: dict[str, str]):
        max_results = int(request.arg("max_results") or 10)
        if not 5 <= max_results <= 100:
            return FakeResponse.json(
                _problem(400, "Invalid Request", "max_results must be 5-100"), 400, headers
            )
        handle = self.users[user_id]["username"]
        items = [t for t in self.tweets if f"@{handle}".lower() in t["text"].lower()][
            ::-1
        ]  # newest first
        since_id, until_id = request.arg("since_id"), request.arg("until_id")
        if since_id:
            items = [t for t in items if _key(t["id"]) > _key(since_id)]
        if until_id:
            items = [t for t in items if _key(t["id"]) < _key(until_id)]
        items = items[:800]  # X only reaches the ~800 latest mentions
        token = request.arg("pagination_token")
        if token:
            below = base64.urlsafe_b64decode(token.encode()).decode()
            items = [t for t in items if _key(t["id"]) < _key(below)]
        page, rest = items[:max_results], items[max_results:]
        if not page:
            return FakeResponse.json({"meta": {"result_count": 0}}, 200, headers)
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
        }
        if rest:
            meta["next_token"] = base64.urlsafe_b64encode(page[-1]["id"].encode()).decode()
        tweet_fields, user_fields = request.arg("tweet.fields"), request.arg("user.fields")
        body: dict[str, Any] = {
            "data": [self._fields(t, tweet_fields, TWEET_DEFAULT_FIELDS) for t in page],
            "meta": meta,
        }
        expansions = (request.arg("expansions") or "").split(",")
        includes: dict[str, Any] = {}
        if "author_id" in expansions:
            authors = dict.fromkeys(t["author_id"] for t in page)
            includes["users"] = [
                self._fields(self.users[a], user_fields, USER_DEFAULT_FIELDS) for a in authors
            ]
        if "referenced_tweets.id" in expansions:
            referenced, errors = [], []
            for ref_id in dict.fromkeys(
                r["id"] for t in page for r in t.get("referenced_tweets") or []
            ):
                found = next((t for t in self.tweets if t["id"] == ref_id), None)
                if found is not None:
                    referenced.append(self._fields(found, tweet_fields, TWEET_DEFAULT_FIELDS))
                else:  # deleted: X answers 200 with the rest and a partial error
                    errors.append(
                        {
                            "value": ref_id,
                            "detail": "Could not find tweet with referenced_tweets.id: "
                            f"[{ref_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "referenced_tweets.id",
                            "resource_id": ref_id,
                            "type": PROBLEMS + "resource-not-found",
                        }
                    )
            if referenced:
                includes["tweets"] = referenced
            if errors:
                body["errors"] = errors
        if includes:
            body["includes"] = includes
        return FakeResponse.json(body, 200, headers)

    def _create(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        if self.credits <= 0:
            return FakeResponse.json(
                _problem(402, "CreditsDepleted", "Your enrolled account does not have credits"),
                402,
                headers,
            )
        payload = request.json()
        text = payload.get("text", "")
        if any(t.get("_posted_text") == text for t in self.tweets):
            return FakeResponse.json(
                _problem(
                    403,
                    "Forbidden",
                    "You are not allowed to create a Tweet with duplicate content.",
                ),
                403,
                headers,
            )
        in_reply_to = (payload.get("reply") or {}).get("in_reply_to_tweet_id")
        parent = next((t for t in self.tweets if t["id"] == in_reply_to), None)
        shown, links = self._shorten(html.escape(text, quote=False))
        if parent is not None:
            handle = self.users[parent["author_id"]]["username"]
            if not shown.lower().startswith(f"@{handle.lower()}"):
                shown = f"@{handle} {shown}"
        tweet = self._add_tweet(shown, self.user_id, None, in_reply_to, datetime.now(UTC))
        tweet["_posted_text"] = text
        if links:
            tweet["entities"] = {"urls": links}
        self.credits -= 1
        self.posted.append({**tweet, "_body": payload})
        data = {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}
        return FakeResponse.json({"data": data}, 201, headers)

    @staticmethod
    def _shorten(text: str) -> tuple[str, list[dict[str, Any]]]:
        links: list[dict[str, Any]] = []

        def tco(match: re.Match[str]) -> str:
            short = f"https://t.co/{len(links) + 1:010d}"
            links.append({"url": short, "expanded_url": match.group(0)})
            return short

        return re.sub(r"https?://[^\s]+", tco, text), links

    def _timeline(self, request: FakeRequest, user_id: str, headers: dict[str, str]):
        """A user's posts, newest first, from `start_time` on (replies included)."""
        max_results = int(request.arg("max_results") or 10)
        if not 5 <= max_results <= 100:
            return FakeResponse.json(
                _problem(400, "Invalid Request", "max_results must be 5-100"), 400, headers
            )
        items = [t for t in self.tweets if t["author_id"] == user_id][::-1]
        start = request.arg("start_time")
        if start:
            since = datetime.fromisoformat(start.replace("Z", "+00:00"))
            items = [
                t
                for t in items
                if datetime.fromisoformat(t["created_at"].replace("Z", "+00:00")) >= since
            ]
        token = request.arg("pagination_token")
        if token:
            below = base64.urlsafe_b64decode(token.encode()).decode()
            items = [t for t in items if _key(t["id"]) < _key(below)]
        page, rest = items[:max_results], items[max_results:]
        if not page:
            return FakeResponse.json({"meta": {"result_count": 0}}, 200, headers)
        meta: dict[str, Any] = {
            "result_count": len(page),
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
        }
        if rest:
            meta["next_token"] = base64.urlsafe_b64encode(page[-1]["id"].encode()).decode()
        fields = request.arg("tweet.fields")
        return FakeResponse.json(
            {"data": [self._fields(t, fields, TWEET_DEFAULT_FIELDS) for t in page], "meta": meta},
            200,
            headers,
        )

    def _hide(self, request: FakeRequest, tweet_id: str, headers: dict[str, str]):
        tweet = next((t for t in self.tweets if t["id"] == tweet_id), None)
        root = next((t for t in self.tweets if tweet and t["id"] == tweet["conversation_id"]), None)
        if tweet is None or root is None or root["author_id"] != self.user_id:
            return FakeResponse.json(
                _problem(403, "Forbidden", "You can only hide replies to your conversations"),
                403,
                headers,
            )
        hidden = bool(request.json().get("hidden"))
        self.hidden[tweet_id] = hidden
        return FakeResponse.json({"data": {"hidden": hidden}}, 200, headers)
