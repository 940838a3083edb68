"""Google Business Profile: reviews of one location, answered by the owner (httpx).

Why httpx and not google-api-python-client: the reviews endpoints live in the My Business API
v4, whose discovery document the client library does not bundle (only the `mybusiness*.v1`
APIs), and nothing may be downloaded at run time.

Credentials: `{"client_id", "client_secret", "refresh_token"}` of an OAuth client the profile's
owner or manager consented to (scope `https://www.googleapis.com/auth/business.manage`), plus
`account_id` and `location_id` (the numbers in `accounts/{a}/locations/{l}`); the access token
is refreshed and handed back like YouTube's (`connectors.google_oauth`). `{"access_token", …}`
alone works until it expires. `base_url` defaults to https://mybusiness.googleapis.com (the
token endpoint follows it off Google, see google_oauth). Options: `max_pages` (default 5).

What is read: `GET /v4/accounts/{a}/locations/{l}/reviews` (newest first, `pageToken`), each
review a mention with its star rating (`STAR_RATING` ONE…FIVE → `rating` 1…5), its text
(empty for a rating without words), the reviewer's display name. A review whose text or
rating changed is read again (its `updateTime` moved): storage keeps the first version.

What is answered: the review itself, with `PUT …/reviews/{r}/reply` `{"comment"}` — one reply
per review, a second PUT replaces it (so a re-send after a lost answer cannot double it; the
outbox still checks first with `find_reply`, reading the review's `reviewReply`). Reviews
cannot be hidden or deleted through the API: reply only.

Cursor: `{"since": <unix seconds of the newest updateTime seen>}`, re-read with an overlap.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from connectors.base import (
    AuthError,
    AuthorInfo,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimited,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.google_oauth import GoogleOAuth
from connectors.http_support import (
    HttpConnector,
    json_body,
    parse_iso,
    raise_for_status,
    send,
)

log = logging.getLogger(__name__)

API_URL = "https://mybusiness.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/business.manage"
STAR_RATINGS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
OVERLAP = timedelta(minutes=30)
DEFAULT_WAIT = timedelta(minutes=5)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def star_rating(value: Any) -> int | None:
    """Google's STAR_RATING enum ("ONE" … "FIVE") as 1 … 5 (None if unspecified)."""
    return STAR_RATINGS.get(str(value or "").upper())


class GoogleBusinessConnector(GoogleOAuth, HttpConnector):
    """One Business Profile location: its reviews, answered by the owner's reply."""

    platform: ClassVar[str] = "google_business"
    supports_hide: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[str, ...]] = (
        "client_id",
        "client_secret",
        "refresh_token",
        "account_id",
        "location_id",
    )
    option_fields: ClassVar[tuple[str, ...]] = ("max_pages", "token_url")
    default_base_url: ClassVar[str | None] = API_URL

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def location(self) -> str:
        account = str(self.credentials.get("account_id") or "").strip().removeprefix("accounts/")
        location = str(self.credentials.get("location_id") or "").strip()
        location = location.rpartition("locations/")[2] if "locations/" in location else location
        if not account or not location:
            raise AuthError("google_business: account_id and location_id are required")
        return f"accounts/{account}/locations/{location}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        write: bool = False,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        for attempt in (1, 2):
            response = send(
                self.client,
                method,
                f"{self.base_url}/v4/{path}",
                action=action,
                write=write,
                params=params,
                json=body,
                headers={"Authorization": f"Bearer {self._token()}"},
            )
            if response.status_code == 401 and attempt == 1:
                self._forget_token()  # expired: refresh once; nothing was done
                continue
            if response.status_code == 403:
                raise AuthError(
                    f"{action}: HTTP 403 — the Google account must manage this location, "
                    f"the app be approved for the Business Profile API and granted {SCOPE}",
                    status=403,
                )
            raise_for_status(
                response, self.rate_limit, action=action, default_wait=DEFAULT_WAIT, write=write
            )
            data = json_body(response, write=write)
            if not isinstance(data, dict):
                raise (OutcomeUnknown if write else TransientError)(
                    f"{action}: expected a JSON object"
                )
            return data
        raise AuthError(f"{action}: Google refused the refreshed token")  # pragma: no cover

    # -- contract -------------------------------------------------------------------------

    def verify(self) -> str:
        """The location's title when the credentials can read its reviews."""
        body = self._request(
            "GET", f"{self.location}/reviews", action="verify location", params={"pageSize": 1}
        )
        return str(body.get("locationTitle") or self.location)

    def fetch(self, cursor: str | None) -> FetchResult:
        since = None
        if cursor:
            try:
                since = int(json.loads(cursor)["since"])
            except (ValueError, KeyError, TypeError):
                log.warning("google_business: unreadable cursor %r", cursor)
        floor = datetime.fromtimestamp(since, UTC) - OVERLAP if since is not None else None
        max_pages = max(int(self.options.get("max_pages", 5)), 1) if since is not None else 1
        found: dict[str, FetchedMention] = {}
        newest = since
        complete, error, retry_at = True, None, None
        try:
            for review in self._reviews(floor, max_pages):
                mention = self._to_mention(review)
                found.setdefault(mention.external_id, mention)
                updated = parse_iso(review.get("updateTime")) or mention.posted_at
                stamp = int(updated.timestamp())
                newest = stamp if newest is None else max(newest, stamp)
        except (RateLimited, TransientError) as exc:
            if not found:
                raise
            complete, error, retry_at = False, str(exc), exc.retry_at
        mentions = sorted(found.values(), key=lambda m: (m.posted_at, m.external_id))
        new_cursor = (
            json.dumps({"since": newest if newest is not None else int(utcnow().timestamp())})
            if complete
            else cursor
        )
        return FetchResult(
            mentions, new_cursor, self.rate_limit, complete=complete, retry_at=retry_at, error=error
        )

    def _reviews(self, floor: datetime | None, max_pages: int) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"pageSize": 50, "orderBy": "updateTime desc"}
        for _ in range(max_pages):
            body = self._request(
                "GET", f"{self.location}/reviews", action="list reviews", params=params
            )
            older = False
            for review in body.get("reviews") or []:
                if not _dict(review).get("reviewId"):
                    continue
                updated = parse_iso(review.get("updateTime") or review.get("createTime"))
                if floor is not None and updated is not None and updated < floor:
                    older = True
                    continue
                yield review
            token = body.get("nextPageToken")
            if not token or older:
                return
            params["pageToken"] = token

    def _to_mention(self, review: dict[str, Any]) -> FetchedMention:
        reviewer = _dict(review.get("reviewer"))
        anonymous = bool(reviewer.get("isAnonymous"))
        name = "Utilisateur Google" if anonymous else str(reviewer.get("displayName") or "Google")
        review_id = str(review["reviewId"])
        rating = star_rating(review.get("starRating"))
        return FetchedMention(
            external_id=review_id,
            text=str(review.get("comment") or ""),
            author=AuthorInfo(
                external_id=f"gbp:{name}" if not anonymous else f"gbp:anon:{review_id}",
                handle=name,
                name=name,
            ),
            posted_at=parse_iso(review.get("createTime")) or utcnow(),
            url=None,
            lang=None,
            channel="google_business",
            thread_id=review_id,
            rating=rating,
            raw={
                "id": review_id,
                "kind": "review",
                "name": str(review.get("name") or f"{self.location}/reviews/{review_id}"),
                "star_rating": rating,
                "has_reply": bool(_dict(review.get("reviewReply")).get("comment")),
                "update_time": review.get("updateTime"),
            },
        )

    def _review_name(self, reply: OutgoingReply) -> str:
        raw = reply.in_reply_to_raw or {}
        return str(raw.get("name") or f"{self.location}/reviews/{reply.in_reply_to_external_id}")

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """`PUT …/reply`: the owner's one reply to the review (a PUT again replaces it)."""
        name = self._review_name(reply)
        body = self._request(
            "PUT", f"{name}/reply", action="post reply", write=True, body={"comment": reply.text}
        )
        if "comment" not in body:
            raise OutcomeUnknown("post reply: answer without the reply")
        return PostResult(external_id=f"{name}/reply", url=None)

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """The review's current reply, when it carries our text."""
        name = self._review_name(reply)
        try:
            review = self._request("GET", name, action="check reply")
        except PermanentError as exc:
            if exc.status == 404:
                return None  # review deleted by its author: nothing to answer any more
            raise
        current = _dict(review.get("reviewReply"))
        if same_reply_text(str(current.get("comment") or ""), reply.text):
            return PostResult(external_id=f"{name}/reply", url=None)
        return None
