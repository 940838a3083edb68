"""A fake Mastodon instance speaking the real v1 notifications/statuses payloads and headers."""

from __future__ import annotations

import html
import itertools
import re
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer


def _key(item_id: str) -> tuple[int, str]:
    return (len(item_id), item_id)


class FakeMastodon(FakeServer):
    """Holds notifications and posted statuses; serves pages with Link headers.

    Notification ids start at "95" so a few additions cross to three digits: a client that
    compares ids as plain strings ("100" < "99") goes wrong here as it would in production.

    Quirks of real instances: a posted status's `content` is HTML where a leading
    `@user@domain` became a link showing `@user`; `honour_idempotency_key = False` plays an
    instance (or a proxy) that ignores Idempotency-Key — real Mastodon only remembers a key
    once the status is stored, so a retry racing a slow first request posts twice anyway.
    """

    base_url = "https://mastodon.test"

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token: str = "mastodon-token",
        account: str = "acme",
        rate_limit: int = 300,
    ) -> None:
        super().__init__()
        if base_url:
            self.base_url = base_url.rstrip("/")
        self.token = token
        self.account = account
        self.notifications: list[dict[str, Any]] = []  # ascending ids
        self.posted: list[dict[str, Any]] = []  # statuses created through the API
        self.post_attempts = 0
        self.max_characters = 500
        self.honour_idempotency_key = True
        self.rate_limit = rate_limit
        self.remaining = rate_limit
        self._idempotency: dict[str, dict[str, Any]] = {}
        self._notification_ids = itertools.count(95)
        self._status_ids = itertools.count(113_000_000_000_000_001)
        self._clock = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

    @property
    def host(self) -> str:
        return self.base_url.split("://", 1)[1]

    # -- state ----------------------------------------------------------------------------

    def _tick(self) -> str:
        self._clock += timedelta(seconds=7)
        return self._clock.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def add_mention(
        self,
        text: str = "bonjour",
        *,
        acct: str = "alice@other.example",
        display_name: str | None = None,
        followers: int = 12,
        visibility: str = "public",
        kind: str = "mention",
        language: str | None = "fr",
        in_reply_to_id: str | None = None,
        spoiler_text: str = "",
        content_html: str | None = None,
        filtered: bool = False,
    ) -> dict[str, Any]:
        """Add a notification (type mention/quote/favourite…) and return it."""
        created = self._tick()
        status_id = str(next(self._status_ids))
        username, _, domain = acct.partition("@")
        domain = domain or self.host
        account = {
            "id": str(zlib.crc32(acct.encode())),
            "username": username,
            "acct": acct,
            "display_name": display_name if display_name is not None else username.title(),
            "url": f"https://{domain}/@{username}",
            "followers_count": followers,
            "bot": False,
        }
        if content_html is None:
            content_html = (
                f'<p><span class="h-card"><a href="{self.base_url}/@{self.account}" '
                f'class="u-url mention">@<span>{self.account}</span></a></span> '
                f"{html.escape(text)}</p>"
            )
        status = {
            "id": status_id,
            "created_at": created,
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": None,
            "visibility": visibility,
            "language": language,
            "sensitive": bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "url": f"https://{domain}/@{username}/{status_id}",
            "uri": f"https://{domain}/users/{username}/statuses/{status_id}",
            "content": content_html,
            "mentions": [
                {
                    "id": "1",
                    "username": self.account,
                    "acct": self.account,
                    "url": f"{self.base_url}/@{self.account}",
                }
            ],
            "account": account,
        }
        nid = str(next(self._notification_ids))
        notification = {
            "id": nid,
            "type": kind,
            "created_at": created,
            "group_key": f"ungrouped-{nid}",
            "account": account,
            "status": status if kind in ("mention", "quote", "favourite", "reblog") else None,
            "_filtered": filtered,  # held back unless include_filtered=true
        }
        with self.lock:
            self.notifications.append(notification)
        return notification

    def delete_status(self, status_id: str) -> None:
        """Delete a status: Mastodon removes its notifications too."""
        with self.lock:
            self.notifications = [
                n for n in self.notifications if (n.get("status") or {}).get("id") != status_id
            ]

    # -- HTTP -----------------------------------------------------------------------------

    def _rate_headers(self) -> dict[str, str]:
        self.remaining = max(self.remaining - 1, 0)
        reset = (self._clock + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": reset,
        }

    def respond(self, request: FakeRequest) -> FakeResponse:
        headers = self._rate_headers()
        if request.bearer() != self.token:
            return FakeResponse.json({"error": "The access token is invalid"}, 401, headers)
        route = (request.method, request.path)
        if route == ("GET", "/api/v1/notifications"):
            return self._notifications(request, headers)
        if route == ("POST", "/api/v1/statuses"):
            return self._post_status(request, headers)
        if route == ("GET", "/api/v1/accounts/verify_credentials"):
            return FakeResponse.json(
                {"id": "1", "username": self.account, "acct": self.account}, 200, headers
            )
        match = re.fullmatch(r"/api/v1/statuses/(\d+)/context", request.path)
        if request.method == "GET" and match:
            return self._context(match.group(1), headers)
        if route == ("GET", "/api/v1/accounts/1/statuses"):
            return self._own_statuses(request, headers)
        return FakeResponse.json({"error": "Record not found"}, 404, headers)

    @staticmethod
    def _public(status: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in status.items() if not k.startswith("_")}

    def _context(self, status_id: str, headers: dict[str, str]) -> FakeResponse:
        """The thread around a status: its replies (ours included) as descendants."""
        known = {(n.get("status") or {}).get("id") for n in self.notifications}
        known |= {s["id"] for s in self.posted}
        if status_id not in known:
            return FakeResponse.json({"error": "Record not found"}, 404, headers)
        descendants, parents = [], {status_id}
        for status in self.posted:  # ascending ids: a reply comes after its parent
            if status["in_reply_to_id"] in parents:
                descendants.append(self._public(status))
                parents.add(status["id"])
        return FakeResponse.json({"ancestors": [], "descendants": descendants}, 200, headers)

    def _own_statuses(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        """Our account's statuses, newest first, paged with max_id (direct ones left out)."""
        limit = min(int(request.arg("limit") or 20), 40)
        items = [s for s in self.posted[::-1] if s["visibility"] != "direct"]
        max_id = request.arg("max_id")
        if max_id:
            items = [s for s in items if _key(s["id"]) < _key(max_id)]
        page = items[:limit]
        if len(items) > limit:
            url = f"{self.base_url}/api/v1/accounts/1/statuses?"
            older = urlencode([("limit", str(limit)), ("max_id", page[-1]["id"])])
            headers["Link"] = f'<{url}{older}>; rel="next"'
        return FakeResponse.json([self._public(s) for s in page], 200, headers)

    def _render(self, text: str) -> str:
        """Status HTML as Mastodon renders it: each @user@domain becomes an h-card `@user`."""

        def card(match: re.Match[str]) -> str:
            user, domain = match.group(1), match.group(2) or self.host
            return (
                f'<span class="h-card"><a href="https://{domain}/@{user}" class="u-url mention">'
                f"@<span>{user}</span></a></span>"
            )

        escaped = html.escape(text)
        return "<p>" + re.sub(r"(?<![\w@])@(\w+)(?:@([\w.-]+\w))?", card, escaped) + "</p>"

    def _notifications(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        query = request.query
        types = query.get("types[]")
        excluded = set(query.get("exclude_types[]", []))
        include_filtered = request.arg("include_filtered") == "true"
        limit = min(int(request.arg("limit") or 40), 80)
        items = [
            n
            for n in self.notifications
            if (not types or n["type"] in types)
            and n["type"] not in excluded
            and (include_filtered or not n["_filtered"])
        ]
        min_id, since_id, max_id = (request.arg(k) for k in ("min_id", "since_id", "max_id"))
        if max_id:
            items = [n for n in items if _key(n["id"]) < _key(max_id)]
        if min_id:
            # The page immediately above min_id, served newest-first.
            page = [n for n in items if _key(n["id"]) > _key(min_id)][:limit][::-1]
        else:
            if since_id:
                items = [n for n in items if _key(n["id"]) > _key(since_id)]
            page = items[::-1][:limit]
        if page:
            keep: list[tuple[str, Any]] = [("limit", str(limit))]
            keep += [("types[]", t) for t in types or []]
            keep += [("exclude_types[]", t) for t in sorted(excluded)]
            if include_filtered:
                keep.append(("include_filtered", "true"))
            url = f"{self.base_url}/api/v1/notifications?"
            older = urlencode([*keep, ("max_id", page[-1]["id"])])
            newer = urlencode([*keep, ("min_id", page[0]["id"])])
            headers["Link"] = f'<{url}{older}>; rel="next", <{url}{newer}>; rel="prev"'
        body = [{k: v for k, v in n.items() if not k.startswith("_")} for n in page]
        return FakeResponse.json(body, 200, headers)

    def _post_status(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        self.post_attempts += 1
        key = request.headers.get("idempotency-key") if self.honour_idempotency_key else None
        if key and key in self._idempotency:
            return FakeResponse.json(self._idempotency[key], 200, headers)
        form = request.form()
        text = form.get("status", "")
        if not text:
            return FakeResponse.json({"error": "Validation failed: Text can't be blank"}, 422)
        if len(text) > self.max_characters:
            return FakeResponse.json(
                {
                    "error": f"Validation failed: Text character limit of "
                    f"{self.max_characters} exceeded"
                },
                422,
                headers,
            )
        status_id = str(next(self._status_ids))
        status = {
            "id": status_id,
            # Stamped by the server's clock when stored, like the real thing.
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "in_reply_to_id": form.get("in_reply_to_id"),
            "visibility": form.get("visibility", "public"),
            "language": form.get("language"),
            "content": self._render(text),
            "url": f"{self.base_url}/@{self.account}/{status_id}",
            "uri": f"{self.base_url}/users/{self.account}/statuses/{status_id}",
            "account": {"id": "1", "username": self.account, "acct": self.account},
            "_text": text,
            "_idempotency_key": key,
        }
        with self.lock:
            self.posted.append(status)
            if key:
                self._idempotency[key] = {k: v for k, v in status.items() if k[0] != "_"}
        return FakeResponse.json({k: v for k, v in status.items() if k[0] != "_"}, 200, headers)
