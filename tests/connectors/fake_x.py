"""A fake X API v2 (api.twitter.com) for tweepy, served through `responses`."""

from __future__ import annotations

import base64
import html
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer

TWEET_DEFAULT_FIELDS = ("id", "text", "edit_history_tweet_ids")
USER_DEFAULT_FIELDS = ("id", "name", "username")


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status, **extra}


def _key(tweet_id: str) -> tuple[int, str]:
    return (len(tweet_id), tweet_id)


class FakeX(FakeServer):
    """Holds the brand account, users and mentions; serves the v2 endpoints tweepy calls.

    Authentication: `bearer_token` or OAuth 1.0a with consumer key `consumer_key`.
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
        self.remaining = 450
        self._ids = itertools.count(1_900_000_000_000_000_001)
        self._clock = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        self.reset_epoch = int((self._clock + timedelta(minutes=15)).timestamp())

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

    # -- HTTP -----------------------------------------------------------------------------

    def _authorised(self, request: FakeRequest) -> bool:
        auth = request.headers.get("authorization", "")
        if auth.startswith("OAuth "):
            return f'oauth_consumer_key="{self.consumer_key}"' in auth
        return request.bearer() == self.bearer_token

    def _headers(self) -> dict[str, str]:
        self.remaining = max(self.remaining - 1, 0)
        return {
            "x-rate-limit-limit": "450",
            "x-rate-limit-remaining": str(self.remaining),
            "x-rate-limit-reset": str(self.reset_epoch),
        }

    def respond(self, request: FakeRequest) -> FakeResponse:
        headers = self._headers()
        if not self._authorised(request):
            return FakeResponse.json(_problem(401, "Unauthorized", "Unauthorized"), 401, headers)
        path = request.path
        if request.method == "GET" and path == "/2/users/me":
            return FakeResponse.json({"data": self.users[self.user_id]}, 200, headers)
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
        if "author_id" in expansions:
            authors = dict.fromkeys(t["author_id"] for t in page)
            body["includes"] = {
                "users": [
                    self._fields(self.users[a], user_fields, USER_DEFAULT_FIELDS) for a in authors
                ]
            }
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
