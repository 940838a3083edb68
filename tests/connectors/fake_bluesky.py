"""A fake Bluesky: the bsky.social entryway (sessions) plus a PDS (everything else)."""

from __future__ import annotations

import base64
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _error(status: int, error: str, message: str, headers: dict[str, str] | None = None):
    return FakeResponse.json({"error": error, "message": message}, status, headers)


class FakeBluesky(FakeServer):
    """Sessions with rotating refresh tokens, notifications newest-first, reply records.

    `expire_access_tokens()` makes the next call answer 400 ExpiredToken; reusing a rotated
    refresh token answers 400 ExpiredToken "Token has been revoked", as the real PDS does.

    Order, as on the real AppView: notifications are sorted by `sortAt`, the earlier of the
    post's `createdAt` and the time it was indexed, and `indexedAt` in the answer is that
    `sortAt`. `add_notification(lag=...)` indexes a post whose `createdAt` is `lag` behind
    (author's clock late, slow relay): it lands below notifications already listed.
    """

    base_url = "https://bsky.social"
    pds_url = "https://pds.test"
    url_attributes = ("base_url", "pds_url")

    def __init__(
        self,
        *,
        handle: str = "acme.bsky.social",
        did: str = "did:plc:acme0001",
        password: str = "abcd-efgh-ijkl-mnop",
    ) -> None:
        super().__init__()
        self.handle, self.did, self.password = handle, did, password
        self.notifications: list[dict[str, Any]] = []  # in the order they were indexed
        self.profiles: dict[str, dict[str, Any]] = {}
        self.posted: list[dict[str, Any]] = []  # createRecord bodies
        self.records: list[dict[str, Any]] = []  # our repo's posts: {uri, cid, value}, ascending
        self.access_tokens: dict[str, bool] = {}  # token -> expired?
        self.refresh_tokens: set[str] = set()
        self.revoked: set[str] = set()
        self.logins = 0
        self.refreshes = 0
        self.remaining = 3000
        self._seq = itertools.count(1)
        self._clock = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)

    @property
    def hosts(self) -> list[str]:
        return [self.base_url, self.pds_url]

    # -- state ----------------------------------------------------------------------------

    def _jwt(self, scope: str, lifetime: timedelta) -> str:
        exp = int((datetime.now(UTC) + lifetime).timestamp())
        payload = {"scope": scope, "sub": self.did, "exp": exp, "jti": next(self._seq)}
        return f"{_b64({'alg': 'ES256K', 'typ': 'JWT'})}.{_b64(payload)}.sig"

    def expire_access_tokens(self) -> None:
        for token in self.access_tokens:
            self.access_tokens[token] = True

    def _profile(self, handle: str, display_name: str | None, followers: int) -> dict[str, Any]:
        did = f"did:plc:{handle.split('.')[0]}{len(self.profiles):04d}"
        for profile in self.profiles.values():
            if profile["handle"] == handle:
                return profile
        profile = {
            "did": did,
            "handle": handle,
            "displayName": display_name if display_name is not None else handle.split(".")[0],
            "followersCount": followers,
        }
        self.profiles[did] = profile
        return profile

    def add_notification(
        self,
        text: str = "bonjour",
        *,
        reason: str = "mention",
        handle: str = "alice.bsky.social",
        display_name: str | None = None,
        followers: int = 10,
        reply_to: dict[str, Any] | None = None,
        langs: list[str] | None = None,
        lag: timedelta = timedelta(0),
    ) -> dict[str, Any]:
        """Index a notification now; `reply_to` (another notification) makes the post a reply.

        `lag`: how far the post's `createdAt` is behind the moment it is indexed.
        """
        profile = self._profile(handle, display_name, followers)
        self._clock += timedelta(seconds=13)
        created = self._stamp(self._clock - lag)
        sort_at = self._stamp(min(self._clock - lag, self._clock))
        n = next(self._seq)
        uri = f"at://{profile['did']}/app.bsky.feed.post/3lb{n:010d}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": f"@{self.handle} {text}" if reason == "mention" else text,
            "createdAt": created,
            "langs": langs if langs is not None else ["fr"],
        }
        if reply_to is not None:
            parent = {"uri": reply_to["uri"], "cid": reply_to["cid"]}
            root = (reply_to["record"].get("reply") or {}).get("root") or parent
            record["reply"] = {"root": root, "parent": parent}
        notification = {
            "uri": uri,
            "cid": f"bafyreicid{n:08d}",
            "author": {k: v for k, v in profile.items() if k != "followersCount"},
            "reason": reason,
            "record": record,
            "isRead": False,
            "indexedAt": sort_at,
            "labels": [],
        }
        with self.lock:
            self.notifications.append(notification)
        return notification

    @staticmethod
    def _stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def delete(self, uri: str) -> None:
        with self.lock:
            self.notifications = [n for n in self.notifications if n["uri"] != uri]

    # -- HTTP -----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        self.remaining = max(self.remaining - 1, 0)
        return {
            "RateLimit-Limit": "3000",
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(int(self._clock.timestamp()) + 300),
            "RateLimit-Policy": "3000;w=300",
        }

    def _session_body(self) -> dict[str, Any]:
        access = self._jwt("com.atproto.appPass", timedelta(hours=2))
        refresh = self._jwt("com.atproto.refresh", timedelta(days=90))
        self.access_tokens[access] = False
        self.refresh_tokens.add(refresh)
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": self.handle,
            "did": self.did,
            "didDoc": {
                "id": self.did,
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": self.pds_url,
                    }
                ],
            },
            "active": True,
        }

    def respond(self, request: FakeRequest) -> FakeResponse:
        headers = self._headers()
        nsid = request.path.removeprefix("/xrpc/")
        on_pds = request.url.startswith(self.pds_url)
        if nsid == "com.atproto.server.createSession":
            body = request.json() or {}
            if body.get("identifier") != self.handle or body.get("password") != self.password:
                return _error(401, "AuthenticationRequired", "Invalid identifier or password")
            self.logins += 1
            return FakeResponse.json(self._session_body(), 200, headers)
        if nsid == "com.atproto.server.refreshSession":
            token = request.bearer()
            if token in self.revoked:
                return _error(400, "ExpiredToken", "Token has been revoked", headers)
            if token not in self.refresh_tokens:
                return _error(400, "InvalidToken", "Token could not be verified", headers)
            self.refresh_tokens.discard(token)
            self.revoked.add(token)
            self.refreshes += 1
            return FakeResponse.json(self._session_body(), 200, headers)
        if not on_pds:
            # The entryway only manages sessions; other routes must go to the PDS.
            return _error(401, "AuthMissing", "Authentication Required", headers)
        token = request.bearer()
        if token is None:
            return _error(401, "AuthMissing", "Authentication Required", headers)
        if token not in self.access_tokens:
            return _error(400, "InvalidToken", "Token could not be verified", headers)
        if self.access_tokens[token]:
            return _error(400, "ExpiredToken", "Token has expired", headers)
        if nsid == "com.atproto.server.getSession":
            return FakeResponse.json({"handle": self.handle, "did": self.did}, 200, headers)
        if nsid == "app.bsky.notification.listNotifications":
            return self._list(request, headers)
        if nsid == "app.bsky.actor.getProfiles":
            actors = request.query.get("actors", [])
            if len(actors) > 25:
                return _error(400, "InvalidRequest", "actors must not have more than 25 elements")
            profiles = [self.profiles[a] for a in actors if a in self.profiles]
            return FakeResponse.json({"profiles": profiles}, 200, headers)
        if nsid == "com.atproto.repo.createRecord" and request.method == "POST":
            return self._create(request, headers)
        if nsid == "com.atproto.repo.listRecords" and request.method == "GET":
            return self._list_records(request, headers)
        return _error(501, "MethodNotImplemented", "Method Not Implemented", headers)

    def _list(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        reasons = request.query.get("reasons")
        limit = int(request.arg("limit") or 50)
        items = [n for n in self.notifications if not reasons or n["reason"] in reasons]
        # Newest sortAt first (sorted() is stable: equal instants keep the newest index first).
        items = sorted(items[::-1], key=lambda n: self._ms(n["indexedAt"]), reverse=True)
        cursor = request.arg("cursor")
        if cursor:
            items = [n for n in items if self._ms(n["indexedAt"]) < int(cursor)]
        page = items[:limit]
        body: dict[str, Any] = {"notifications": page}
        if page:
            body["cursor"] = str(self._ms(page[-1]["indexedAt"]))
        return FakeResponse.json(body, 200, headers)

    @staticmethod
    def _ms(stamp: str) -> int:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)

    def _create(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        body = request.json()
        if body.get("repo") != self.did:
            return _error(400, "InvalidRequest", "repo does not match the session", headers)
        record = body.get("record") or {}
        if record.get("$type") != "app.bsky.feed.post" or "createdAt" not in record:
            return _error(400, "InvalidRequest", "Invalid app.bsky.feed.post record", headers)
        n = next(self._seq)
        # Record keys are TIDs: they sort by creation time, and listRecords sorts by them.
        uri = f"at://{self.did}/app.bsky.feed.post/3lz{n:010d}"
        cid = f"bafyreiours{n:08d}"
        with self.lock:
            self.posted.append(body)
            self.records.append({"uri": uri, "cid": cid, "value": record})
        return FakeResponse.json(
            {"uri": uri, "cid": cid, "validationStatus": "valid"}, 200, headers
        )

    def _list_records(self, request: FakeRequest, headers: dict[str, str]) -> FakeResponse:
        """A collection of a repo, newest record key first; `cursor` is the last key served."""
        if request.arg("repo") not in (self.did, self.handle):
            return _error(400, "InvalidRequest", "Could not find repo", headers)
        if request.arg("collection") != "app.bsky.feed.post":
            return FakeResponse.json({"records": []}, 200, headers)
        limit = int(request.arg("limit") or 50)
        if not 1 <= limit <= 100:
            return _error(400, "InvalidRequest", "limit must be 1-100", headers)
        items = self.records[::-1]
        cursor = request.arg("cursor")
        if cursor:
            items = [r for r in items if r["uri"].rsplit("/", 1)[1] < cursor]
        page = items[:limit]
        body: dict[str, Any] = {"records": page}
        if len(items) > limit:
            body["cursor"] = page[-1]["uri"].rsplit("/", 1)[1]
        return FakeResponse.json(body, 200, headers)
