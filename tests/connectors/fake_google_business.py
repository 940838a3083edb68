"""A fake Google Business Profile API (My Business v4 reviews) and Google's token endpoint.

Shapes: `{"reviews": [...], "averageRating", "totalReviewCount", "nextPageToken"}` newest
first, a review `{"name", "reviewId", "reviewer": {"displayName", "isAnonymous"},
"starRating": "ONE"…"FIVE", "comment", "createTime", "updateTime", "reviewReply"}` (no
`comment` for a rating without words), `PUT …/reply` answering the ReviewReply, Google error
bodies. Knobs: `expire_token()`, `revoke()`, `page_size`, `inject(...)` from FakeServer.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer
from tests.connectors.fake_youtube import google_error

STARS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


class FakeGoogleBusiness(FakeServer):
    """One location `accounts/{account_id}/locations/{location_id}` and its reviews."""

    base_url = "https://mybusiness.fake.test"

    def __init__(self, base_url: str | None = None) -> None:
        super().__init__()
        if base_url:
            self.base_url = base_url.rstrip("/")
        self.account_id, self.location_id = "1122334455", "9988776655"
        self.client_id, self.client_secret, self.refresh_token = "gbp-client", "gbp-secret", "1//r"
        self.tokens: set[str] = set()
        self.revoked = False
        self.page_size = 50
        self.reviews: dict[str, dict[str, Any]] = {}
        self.posted: list[dict[str, Any]] = []  # every PUT reply, in order
        self._page_tokens: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._last = datetime.now(UTC) - timedelta(hours=1)

    @property
    def location(self) -> str:
        return f"accounts/{self.account_id}/locations/{self.location_id}"

    def credentials(self) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
            "account_id": self.account_id,
            "location_id": self.location_id,
        }

    def _now(self) -> str:
        self._last = max(
            datetime.now(UTC).replace(microsecond=0), self._last + timedelta(seconds=1)
        )
        return self._last.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def expire_token(self) -> None:
        self.tokens.clear()

    def revoke(self) -> None:
        self.revoked = True
        self.tokens.clear()

    def add_review(
        self, comment: str | None = "Livraison en retard", *, stars: int = 2, name: str = "Marie D."
    ) -> dict[str, Any]:
        review_id = f"AbFvOq{next(self._ids):05d}"
        now = self._now()
        review: dict[str, Any] = {
            "name": f"{self.location}/reviews/{review_id}",
            "reviewId": review_id,
            "reviewer": {"displayName": name, "profilePhotoUrl": "https://lh3.example/p.jpg"},
            "starRating": STARS[stars],
            "createTime": now,
            "updateTime": now,
        }
        if comment:
            review["comment"] = comment
        with self.lock:
            self.reviews[review_id] = review
        return review

    def respond(self, request: FakeRequest) -> FakeResponse:
        if request.path == "/token" and request.method == "POST":
            form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
            if self.revoked or form.get("refresh_token") != self.refresh_token:
                return FakeResponse.json(
                    {"error": "invalid_grant", "error_description": "Token has been revoked."}, 400
                )
            token = f"ya29.{secrets.token_hex(6)}"
            self.tokens.add(token)
            return FakeResponse.json({"access_token": token, "expires_in": 3599})
        if request.bearer() not in self.tokens:
            return google_error(401, "authError", "Invalid Credentials", domain="global")
        if request.method == "GET" and request.path == "/v1/accounts":
            # Account Management API: the accounts the person manages.
            account = {"name": f"accounts/{self.account_id}", "accountName": "Acme France"}
            return FakeResponse.json({"accounts": [account]})
        if request.method == "GET" and request.path == f"/v1/accounts/{self.account_id}/locations":
            # Business Information API (readMask=name,title): the account's locations.
            location = {"name": f"locations/{self.location_id}", "title": "Acme Lyon Part-Dieu"}
            return FakeResponse.json({"locations": [location]})
        prefix = f"/v4/{self.location}/reviews"
        if not request.path.startswith(prefix):
            return google_error(403, "forbidden", "The caller does not have permission")
        rest = request.path.removeprefix(prefix).strip("/")
        if not rest and request.method == "GET":
            return self._list(request)
        review_id, _, tail = rest.partition("/")
        review = self.reviews.get(review_id)
        if review is None:
            return google_error(404, "notFound", "Requested entity was not found.")
        if not tail and request.method == "GET":
            return FakeResponse.json(review)
        if tail == "reply" and request.method == "PUT":
            comment = str((request.json() or {}).get("comment") or "")
            if not comment.strip():
                return google_error(400, "badRequest", "Reply comment is empty.")
            reply = {"comment": comment, "updateTime": self._now()}
            with self.lock:
                review["reviewReply"] = reply
                self.posted.append({"id": review_id, **reply})
            return FakeResponse.json(reply)
        return google_error(404, "notFound", "no such route")

    def _list(self, request: FakeRequest) -> FakeResponse:
        items = sorted(self.reviews.values(), key=lambda r: r["updateTime"], reverse=True)
        token = request.arg("pageToken")
        start = self._page_tokens.get(token, -1) if token else 0
        if start < 0:
            return google_error(400, "badRequest", "Invalid page token.")
        size = min(int(request.arg("pageSize") or 50), self.page_size)
        body: dict[str, Any] = {
            "reviews": items[start : start + size],
            "averageRating": 3.2,
            "totalReviewCount": len(items),
        }
        if start + size < len(items):
            nxt = secrets.token_urlsafe(6)
            self._page_tokens[nxt] = start + size
            body["nextPageToken"] = nxt
        return FakeResponse.json(body)
