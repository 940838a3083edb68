"""Bluesky (AT Protocol) over XRPC with httpx, on any PDS.

Credentials: `{"identifier": "brand.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}`
(`password` is accepted for `app_password`); the connector adds its session (`access_jwt`,
`refresh_jwt`, `did`, `handle`, `pds_url`) and hands the dict back in `updated_credentials`
every time it changes. Persist it: each refresh revokes the previous refresh token, and
logging in again is limited to 30 per 5 minutes.
Calls for one account must be serialised (the worker's lease does that).

`base_url` is where sessions are made (default the https://bsky.social entryway); everything
else goes to the PDS named in the session's DID document.

Options: `page_size` (1-100, default 100), `max_pages` (default 10), `overlap_minutes`
(0-1440, default 60), `fetch_followers` (default True: one `getProfiles` call per 25
authors, best effort).

Order: listNotifications sorts by the AppView's `sortAt`, the earlier of the post's
`createdAt` and the time it was indexed, and reports it as `indexedAt`. A post whose author's
clock is behind, or that a slow relay delivers late, therefore appears *below* notifications
already read. A high-water mark on `indexedAt` alone would skip it forever.

Cursor (JSON, `"v": 2`): `t`, the newest `indexedAt` read by a completed pass, and `seen`,
a digest → `indexedAt` map of what was already returned down to `t - overlap`. Each pass
reads newest-first down to `t - overlap` and returns only what is not in `seen`: a late
mention within the window is stored once, never skipped, never returned twice. `seen` is
bounded (the window, and MAX_SEEN entries; past that the store's unique key still drops a
mention returned twice). When a pass stops early the cursor also records where to resume
(`resume`, the page cursor), the floor of that pass (`floor`) and its newest instant (`pt`).
Cursors of the first format (`{"t", "uris", …}`) are read as a window ending at `t`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

import grapheme
import httpx

from connectors.base import (
    AuthError,
    AuthorInfo,
    Connector,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimitState,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.http_support import (
    error_message,
    json_body,
    new_client,
    parse_epoch,
    parse_int,
    parse_iso,
    raise_for_status,
    send,
)
from connectors.net_policy import URLRefused

log = logging.getLogger(__name__)

REASONS = ("mention", "reply", "quote")
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=5)
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
PROFILES_PER_CALL = 25
_SESSION_ERRORS = {"ExpiredToken", "InvalidToken"}
DEFAULT_OVERLAP = timedelta(minutes=60)
MAX_OVERLAP = timedelta(hours=24)
#: Upper bound of the ids kept in the cursor (about 30 bytes each).
MAX_SEEN = 1000
_URL = re.compile(r"https?://[^\s<>\"]+")
MAX_CHECK_PAGES = 10  # pages of our own posts read back when looking for a reply


def bluesky_rate_limit(headers: httpx.Headers) -> RateLimitState:
    """Read RateLimit-* headers (the reset is absolute Unix seconds)."""
    return RateLimitState(
        limit=parse_int(headers.get("RateLimit-Limit")),
        remaining=parse_int(headers.get("RateLimit-Remaining")),
        reset_at=parse_epoch(headers.get("RateLimit-Reset")),
    )


def jwt_expiry(token: str | None) -> float | None:
    """Return the `exp` claim of a JWT (Unix seconds), or None when unreadable."""
    if not token or token.count(".") != 2:
        return None
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        return None


def pds_from_did_doc(did_doc: Any) -> str | None:
    """Return the account's PDS URL from its DID document, if present."""
    if not isinstance(did_doc, dict):
        return None
    for service in did_doc.get("service") or []:
        if str(service.get("id", "")).endswith("#atproto_pds"):
            return str(service.get("serviceEndpoint", "")).rstrip("/") or None
    return None


def byte_span(text: str, start: int, end: int) -> dict[str, int]:
    """UTF-8 byte offsets of text[start:end], as facets need."""
    return {
        "byteStart": len(text[:start].encode("utf-8")),
        "byteEnd": len(text[:end].encode("utf-8")),
    }


def build_facets(text: str, mentions: dict[str, str]) -> list[dict[str, Any]]:
    """Facets for @handles we know the DID of (`mentions`: handle → DID) and for links."""
    facets: list[dict[str, Any]] = []
    for handle, did in mentions.items():
        pattern = r"(?<![\w@])@" + re.escape(handle) + r"(?![\w-]|\.\w)"
        for found in re.finditer(pattern, text, flags=re.IGNORECASE):
            facets.append(
                {
                    "index": byte_span(text, found.start(), found.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    for found in _URL.finditer(text):
        url = found.group().rstrip(".,;:!?)»")
        facets.append(
            {
                "index": byte_span(text, found.start(), found.start() + len(url)),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )
    return sorted(facets, key=lambda f: f["index"]["byteStart"])


def post_url(uri: str, handle: str | None) -> str | None:
    """Web URL of an at:// post URI."""
    match = re.fullmatch(r"at://([^/]+)/app\.bsky\.feed\.post/([^/]+)", uri)
    if not match:
        return None
    return f"https://bsky.app/profile/{handle or match.group(1)}/post/{match.group(2)}"


def seen_key(uri: str) -> str:
    """A short stable digest of a notification URI, for the cursor's `seen` map."""
    return base64.urlsafe_b64encode(hashlib.blake2b(uri.encode(), digest_size=9).digest()).decode()


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


@dataclass
class Window:
    """Our cursor: the newest instant read, what was returned since `t - overlap`, a resume."""

    t: datetime | None = None
    seen: dict[str, int] = field(default_factory=dict)  # seen_key(uri) -> indexedAt (ms)
    resume: str | None = None
    floor: datetime | None = None
    pending_t: datetime | None = None

    @classmethod
    def parse(cls, cursor: str | None, overlap: timedelta) -> Window:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if data.get("v") == 2:
                seen = data.get("seen") or {}
                return cls(
                    t=parse_iso(data.get("t")),
                    seen={str(k): int(v) for k, v in seen.items()},
                    resume=data.get("resume"),
                    floor=parse_iso(data.get("floor")),
                    pending_t=parse_iso(data.get("pt")),
                )
            # First format: a mark on `indexedAt` with the uris at that instant.
            t = parse_iso(data.get("t"))
            pending_t = parse_iso(data.get("pt"))
            seen = {seen_key(u): _ms(t) for u in data.get("uris") or [] if t}
            if pending_t:
                seen |= {seen_key(u): _ms(pending_t) for u in data.get("puris") or []}
            resume = data.get("resume")
            floor = t - overlap if resume and t else None
            return cls(t, seen, resume, floor, pending_t if resume else None)
        except (ValueError, AttributeError, TypeError):
            log.warning("Bluesky: unreadable cursor %r, starting from the latest page", cursor)
            return cls()

    def dump(self, overlap: timedelta) -> str | None:
        """The cursor to store; `seen` keeps only what a later pass can meet again."""
        if self.t is None and self.pending_t is None:
            return None
        floor = self.floor if self.resume else (self.t - overlap if self.t else None)
        keep = [(k, v) for k, v in self.seen.items() if floor is None or v >= _ms(floor)]
        keep = sorted(keep, key=lambda kv: (-kv[1], kv[0]))[:MAX_SEEN]
        data: dict[str, Any] = {"v": 2, "t": _iso(self.t), "seen": dict(keep)}
        if self.resume:
            data |= {"resume": self.resume, "floor": _iso(self.floor), "pt": _iso(self.pending_t)}
        return json.dumps(data, separators=(",", ":"))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class BlueskyConnector(Connector):
    """A brand account on Bluesky: mentions, replies and quotes; replies with facets."""

    platform: ClassVar[str] = "bluesky"
    supports_hide: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[str, ...]] = ("identifier", "app_password")
    #: `password` is read as `app_password` (earlier documentation said `password`).
    credential_aliases: ClassVar[dict[str, str]] = {"password": "app_password"}
    option_fields: ClassVar[tuple[str, ...]] = (
        "page_size",
        "max_pages",
        "overlap_minutes",
        "fetch_followers",
    )
    default_base_url: ClassVar[str | None] = "https://bsky.social"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client(self.http_timeout, policy=self.net_policy)
        return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- sessions -------------------------------------------------------------------------

    def _ensure_session(self) -> None:
        creds = self.credentials
        expiry = jwt_expiry(creds.get("access_jwt"))
        if creds.get("access_jwt") and (expiry is None or expiry - time.time() > 60):
            return
        self._renew()

    def _renew(self) -> None:
        """Refresh the session; log in again only when the refresh token is refused."""
        if self.credentials.get("refresh_jwt"):
            try:
                self._refresh()
                return
            except AuthError:
                if not self._app_password():
                    raise
                log.info("Bluesky: refresh token refused, logging in again")
        self._login()

    def _session_call(self, nsid: str, action: str, **kw: Any) -> dict[str, Any]:
        response = send(self.client, "POST", f"{self.base_url}/xrpc/{nsid}", action=action, **kw)
        self._note_rate_limit(response)
        if response.status_code == 400 and self._xrpc_error(response) in _SESSION_ERRORS:
            raise AuthError(f"{action}: {error_message(response)}", status=400)
        raise_for_status(
            response, self.rate_limit, action=action, default_wait=DEFAULT_RATE_LIMIT_WAIT
        )
        body = json_body(response)
        if not isinstance(body, dict) or not body.get("accessJwt"):
            raise TransientError(f"{action}: answer without tokens")
        return body

    def _app_password(self) -> str:
        creds = self.credentials
        return str(creds.get("app_password") or creds.get("password") or "").strip()

    def _login(self) -> None:
        identifier = str(self.credentials.get("identifier") or "").strip().lstrip("@")
        password = self._app_password()
        if not identifier or not password:
            raise AuthError("Bluesky: identifier and app_password are required")
        try:
            body = self._session_call(
                "com.atproto.server.createSession",
                "log in",
                json={"identifier": identifier, "password": password},
            )
        except AuthError as exc:
            if "AuthFactorTokenRequired" in exc.message:
                # The account's main password with e-mail 2FA: an app password never asks.
                exc.message = f"{exc.message} — use an app password, not the account's password"
                exc.args = (exc.message,)
            raise
        self._adopt_session(body)

    def _refresh(self) -> None:
        body = self._session_call(
            "com.atproto.server.refreshSession",
            "refresh session",
            headers={"Authorization": f"Bearer {self.credentials['refresh_jwt']}"},
        )
        self._adopt_session(body)

    def _adopt_session(self, body: dict[str, Any]) -> None:
        pds = pds_from_did_doc(body.get("didDoc")) or self.credentials.get("pds_url")
        if pds:
            # The DID document is the account's own: its PDS gets the same outbound check.
            try:
                pds = self.net_policy.check_url(str(pds), resolve=False).rstrip("/")
            except URLRefused as exc:
                raise PermanentError(f"session: the account's PDS URL is refused ({exc})") from exc
        self._set_credentials(
            {
                **self.credentials,
                "access_jwt": body["accessJwt"],
                "refresh_jwt": body.get("refreshJwt"),
                "did": body.get("did"),
                "handle": body.get("handle"),
                "pds_url": pds or self.base_url,
            }
        )

    # -- XRPC -----------------------------------------------------------------------------

    @staticmethod
    def _xrpc_error(response: httpx.Response) -> str | None:
        try:
            body = response.json()
        except ValueError:
            return None
        return body.get("error") if isinstance(body, dict) else None

    def _note_rate_limit(self, response: httpx.Response) -> None:
        if "RateLimit-Remaining" in response.headers or "RateLimit-Reset" in response.headers:
            self.rate_limit = bluesky_rate_limit(response.headers)

    def _xrpc(
        self, method: str, nsid: str, *, action: str, write: bool = False, **kw: Any
    ) -> dict[str, Any]:
        """Call the PDS with the access token, refreshing it once if it expired."""
        self._ensure_session()
        for attempt in (1, 2):
            response = send(
                self.client,
                method,
                f"{self.credentials['pds_url']}/xrpc/{nsid}",
                action=action,
                write=write,
                headers={"Authorization": f"Bearer {self.credentials['access_jwt']}"},
                **kw,
            )
            self._note_rate_limit(response)
            error = self._xrpc_error(response) if response.status_code == 400 else None
            if error == "ExpiredToken" and attempt == 1:
                self._renew()
                continue
            if error in _SESSION_ERRORS:
                raise AuthError(f"{action}: {error_message(response)}", status=400)
            raise_for_status(
                response,
                self.rate_limit,
                action=action,
                default_wait=DEFAULT_RATE_LIMIT_WAIT,
                refusal_is_permanent=write,
                write=write,
            )
            body = json_body(response, write=write)
            if not isinstance(body, dict):
                raise TransientError(f"{action}: expected a JSON object")
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    def _with_credentials(self, exc: ConnectorError) -> ConnectorError:
        if self.updated_credentials is not None and exc.credentials is None:
            exc.credentials = self.updated_credentials
        return exc

    # -- contract -------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read notifications newest-first down to the stored high-water mark."""
        try:
            return self._fetch(cursor)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _overlap(self) -> timedelta:
        try:
            minutes = float(self.options.get("overlap_minutes", DEFAULT_OVERLAP.seconds / 60))
        except (TypeError, ValueError):
            return DEFAULT_OVERLAP
        return min(max(timedelta(minutes=minutes), timedelta(0)), MAX_OVERLAP)

    def _fetch(self, cursor: str | None) -> FetchResult:
        page_size = min(max(int(self.options.get("page_size", 100)), 1), 100)
        max_pages = max(int(self.options.get("max_pages", 10)), 1)
        overlap = self._overlap()
        window = Window.parse(cursor, overlap)
        seen = dict(window.seen)
        first_poll = window.t is None and not window.resume
        if window.resume:
            page_cursor, floor, newest = window.resume, window.floor, window.pending_t
        else:
            page_cursor, newest = None, None
            floor = window.t - overlap if window.t else None
        collected: dict[str, dict[str, Any]] = {}
        pages = 0
        done = False
        stop_error: ConnectorError | None = None
        while not done:
            params: dict[str, Any] = {"limit": page_size, "reasons": list(REASONS)}
            if page_cursor:
                params["cursor"] = page_cursor
            try:
                body = self._xrpc(
                    "GET",
                    "app.bsky.notification.listNotifications",
                    action="list notifications",
                    params=params,
                )
            except ConnectorError as exc:
                if pages == 0:
                    raise
                stop_error = exc
                break
            pages += 1
            notifications = [n for n in body.get("notifications") or [] if isinstance(n, dict)]
            for notification in notifications:
                uri = str(notification.get("uri", ""))
                when = parse_iso(notification.get("indexedAt"))
                if not uri or when is None:
                    continue
                if floor is not None and when < floor:
                    done = True  # below the window: read and stored by earlier passes
                    break
                if newest is None or when > newest:
                    newest = when
                key = seen_key(uri)
                if key in seen or notification.get("reason") not in REASONS:
                    continue
                if window.t is not None and when < window.t:
                    log.info("Bluesky: late mention %s (%s below the mark)", uri, window.t - when)
                seen[key] = _ms(when)
                collected.setdefault(uri, notification)
            next_cursor = body.get("cursor")
            if first_poll:
                done = True  # first poll: the latest page only
            if not next_cursor or not notifications or next_cursor == page_cursor:
                done = True
            if not done and pages >= max_pages:
                stop_error = TransientError(f"stopped after {pages} pages; more remain")
                stop_error.retry_at = None
                page_cursor = next_cursor
                break
            page_cursor = next_cursor
        if stop_error is None:
            high = max((x for x in (window.t, newest) if x is not None), default=None)
            final = Window(high, seen)
        else:
            # Keep the mark; remember where to continue, down to which floor, and the newest
            # instant to adopt once the gap is filled. `seen` already holds what is returned.
            final = Window(window.t, seen, resume=page_cursor, floor=floor, pending_t=newest)
        mentions = self._to_mentions(list(collected.values()))
        return FetchResult(
            mentions,
            final.dump(overlap),
            self.rate_limit,
            complete=stop_error is None,
            retry_at=stop_error.retry_at if stop_error else None,
            error=str(stop_error) if stop_error else None,
            credentials=self.updated_credentials,
        )

    def _followers(self, dids: list[str]) -> dict[str, int]:
        """Followers per DID through getProfiles (25 per call); best effort."""
        if not self.options.get("fetch_followers", True):
            return {}
        counts: dict[str, int] = {}
        for start in range(0, len(dids), PROFILES_PER_CALL):
            chunk = dids[start : start + PROFILES_PER_CALL]
            try:
                body = self._xrpc(
                    "GET",
                    "app.bsky.actor.getProfiles",
                    action="get profiles",
                    params={"actors": chunk},
                )
            except ConnectorError as exc:
                log.info("Bluesky: follower counts unavailable (%s)", exc)
                break
            for profile in body.get("profiles") or []:
                if isinstance(profile.get("followersCount"), int):
                    counts[str(profile.get("did"))] = profile["followersCount"]
        return counts

    def _to_mentions(self, notifications: list[dict[str, Any]]) -> list[FetchedMention]:
        dids = list(dict.fromkeys(str((n.get("author") or {}).get("did")) for n in notifications))
        followers = self._followers(dids) if notifications else {}
        mentions = [self._to_mention(n, followers) for n in notifications]
        return sorted(mentions, key=lambda m: (m.raw.get("indexedAt", ""), m.external_id))

    def _to_mention(
        self, notification: dict[str, Any], followers: dict[str, int]
    ) -> FetchedMention:
        author = notification.get("author") or {}
        record = notification.get("record") or {}
        reply = record.get("reply") or {}
        handle = str(author.get("handle") or author.get("did") or "")
        did = str(author.get("did") or "")
        uri = str(notification["uri"])
        langs = record.get("langs") or []
        verification = author.get("verification") or {}
        return FetchedMention(
            external_id=uri,
            text=str(record.get("text") or ""),
            author=AuthorInfo(
                external_id=did,
                handle=handle,
                name=author.get("displayName") or None,
                followers=followers.get(did),
                verified=verification.get("verifiedStatus") == "valid",
                url=f"https://bsky.app/profile/{handle}" if handle else None,
            ),
            posted_at=parse_iso(record.get("createdAt"))
            or parse_iso(notification.get("indexedAt"))
            or utcnow(),
            url=post_url(uri, handle),
            lang=str(langs[0]) if langs else None,
            channel="bluesky",
            thread_id=(reply.get("root") or {}).get("uri") or uri,
            in_reply_to=(reply.get("parent") or {}).get("uri"),
            visibility=None,
            raw=notification,
        )

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Create a reply post (root/parent refs, mention and link facets).

        Bluesky has no idempotency key: after OutcomeUnknown the outbox asks `find_reply`
        (our repo's records answering the mention) before any retry.
        """
        try:
            return self._post_reply(reply)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _post_reply(self, reply: OutgoingReply) -> PostResult:
        raw = reply.in_reply_to_raw or {}
        if not raw.get("uri") or not raw.get("cid"):
            raise PermanentError("post reply: the mention has no uri/cid to answer")
        text = reply.text
        if grapheme.length(text) > MAX_GRAPHEMES or len(text.encode("utf-8")) > MAX_BYTES:
            raise PermanentError(
                f"post reply: text longer than {MAX_GRAPHEMES} characters ({grapheme.length(text)})"
            )
        parent = {"uri": raw["uri"], "cid": raw["cid"]}
        root_ref = ((raw.get("record") or {}).get("reply") or {}).get("root")
        root = root_ref if root_ref and root_ref.get("uri") and root_ref.get("cid") else parent
        author = raw.get("author") or {}
        known = {}
        if author.get("handle") and author.get("did"):
            known[str(author["handle"])] = str(author["did"])
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": utcnow().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "reply": {"root": root, "parent": parent},
        }
        if reply.language:
            record["langs"] = [reply.language]
        facets = build_facets(text, known)
        if facets:
            record["facets"] = facets
        self._ensure_session()
        body = self._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            action="post reply",
            write=True,
            json={
                "repo": self.credentials["did"],
                "collection": "app.bsky.feed.post",
                "record": record,
            },
        )
        if not body.get("uri"):
            raise OutcomeUnknown("post reply: answer without a uri")
        return PostResult(
            external_id=str(body["uri"]),
            url=post_url(str(body["uri"]), self.credentials.get("handle")),
            credentials=self.updated_credentials,
        )

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look through our repo's posts (newest first, back to `posted_after`) for a record
        whose reply parent is the mention and whose text is ours.

        The PDS answers from the repository itself: no relay or AppView lag.
        """
        try:
            return self._find_reply(reply, posted_after)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _find_reply(self, reply: OutgoingReply, posted_after: datetime) -> PostResult | None:
        self._ensure_session()
        parent = reply.in_reply_to_external_id
        cursor: str | None = None
        for _ in range(MAX_CHECK_PAGES):
            params: dict[str, Any] = {
                "repo": self.credentials["did"],
                "collection": "app.bsky.feed.post",
                "limit": 100,
            }
            if cursor:
                params["cursor"] = cursor
            body = self._xrpc(
                "GET", "com.atproto.repo.listRecords", action="check reply", params=params
            )
            records = [r for r in body.get("records") or [] if isinstance(r, dict)]
            for item in records:
                value = item.get("value") or {}
                reply_ref = value.get("reply") or {}
                if (reply_ref.get("parent") or {}).get("uri") != parent:
                    continue
                if same_reply_text(str(value.get("text") or ""), reply.text):
                    uri = str(item.get("uri"))
                    return PostResult(
                        external_id=uri,
                        url=post_url(uri, self.credentials.get("handle")),
                        credentials=self.updated_credentials,
                    )
            cursor = body.get("cursor")
            oldest = (
                parse_iso((records[-1].get("value") or {}).get("createdAt")) if records else None
            )
            if not records or not cursor or (oldest is not None and oldest < posted_after):
                return None
        raise TransientError(f"check reply: more than {MAX_CHECK_PAGES} pages to read back")

    def verify(self) -> str:
        """Log in if needed and return the account's handle."""
        try:
            body = self._xrpc("GET", "com.atproto.server.getSession", action="verify session")
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None
        return str(body.get("handle") or self.credentials.get("handle") or "")
