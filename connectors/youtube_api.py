"""YouTube Data API access: google-api-python-client's discovery client over our httpx
client (`_HttpxHttp`), the daily quota spent before each call (reads stop before the
`write_reserve`), Google's refusals mapped to the contract's errors, and the channel's id.
`connectors.youtube.YouTubeConnector` reads, replies and moderates on top of it."""

from __future__ import annotations

import json
from datetime import UTC
from functools import cache
from typing import Any

import httplib2
import httpx

from connectors.base import (
    AccountMisconfigured,
    AuthError,
    OutcomeUnknown,
    PermanentError,
    RateLimited,
    RateLimitState,
    TransientError,
    utcnow,
)
from connectors.google_oauth import GoogleOAuth
from connectors.http_support import HttpConnector, send
from connectors.quota import MemoryLedger, QuotaLedger, next_reset, quota_day
from connectors.youtube_sweep import SweepState

API_URL = "https://youtube.googleapis.com"


SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"


DEFAULT_DAILY_QUOTA = 10_000


DEFAULT_WRITE_RESERVE = 1_000


#: Units per call (developers.google.com/youtube/v3/determine_quota_cost).
COSTS = {"list": 1, "insert": 50, "setModerationStatus": 50}


#: Reasons (errors[].reason) of Google's quota refusals.
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"})


@cache
def _discovery_document() -> dict[str, Any]:
    """The YouTube Data API v3 discovery document bundled in the google-api-python-client wheel."""
    from googleapiclient import discovery_cache  # imported on first use: keeps start-up light

    text = discovery_cache.get_static_doc("youtube", "v3")
    if not text:  # pragma: no cover - the wheel always bundles it
        raise AccountMisconfigured("youtube: discovery document missing from the client library")
    return dict(json.loads(text))


class _HttpxHttp:
    """The httplib2.Http interface googleapiclient calls, sending through our httpx client.

    The connector sets `action`/`write` before each call so transport failures map to the
    contract's errors (TransientError when nothing was sent, OutcomeUnknown after a write
    may have reached YouTube), and `token` for the Authorization header.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.action = "youtube call"
        self.write = False
        self.token: str | None = None

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        redirections: int = 0,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        headers = {k: v for k, v in (headers or {}).items() if k.lower() != "content-length"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        response = send(
            self.client,
            method,
            uri,
            action=self.action,
            write=self.write,
            content=body.encode() if isinstance(body, str) else body,
            headers=headers,
        )
        info = {k.lower(): v for k, v in response.headers.items()}
        info["status"] = str(response.status_code)
        return httplib2.Response(info), response.content


def _reason(exc: Any) -> tuple[str, str]:
    """Google's error reason (errors[0].reason) and message from an HttpError."""
    try:
        body = json.loads(exc.content or b"{}")
    except (ValueError, UnicodeDecodeError):
        return "", ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "", ""
    errors = error.get("errors") or [{}]
    first = errors[0] if isinstance(errors, list) and isinstance(errors[0], dict) else {}
    return str(first.get("reason") or error.get("status") or ""), str(error.get("message") or "")


class YouTubeApi(GoogleOAuth, HttpConnector):
    """One channel's API access: the discovery client, the quota, errors, the channel id."""

    def __init__(self, *, quota: QuotaLedger | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.quota: QuotaLedger = quota or MemoryLedger()
        self._http: _HttpxHttp | None = None
        self._service: Any = None
        self._listed_all = False
        self.units_spent = 0  # by this connector object (the ledger has the day's total)
        self._sweep = SweepState()
        self._stopped_at: str | None = None  # where the last thread pass stopped paging

    # -- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connection pool and the discovery client built on it."""
        if self._client is not None:
            self._http = self._service = None
        super().close()

    @property
    def service(self) -> Any:
        if self._service is None:
            from googleapiclient import discovery

            self._http = _HttpxHttp(self.client)
            self._service = discovery.build_from_document(
                _discovery_document(),
                http=self._http,
                client_options={"api_endpoint": f"{self.base_url}/"},
            )
        return self._service

    @property
    def daily_quota(self) -> int:
        return max(int(self.options.get("daily_quota") or DEFAULT_DAILY_QUOTA), 1)

    def _spend(self, units: int, *, write: bool, action: str) -> None:
        """Count the call's units before sending it; refuse once the day's budget is used."""
        now = utcnow()
        day = quota_day(now)
        spent = self.quota.spent(day)
        ceiling = self.daily_quota
        if not write:
            ceiling -= min(int(self.options.get("write_reserve", DEFAULT_WRITE_RESERVE)), ceiling)
        reset = next_reset(now).astimezone(UTC)
        if spent + units > ceiling:
            self.rate_limit = RateLimitState(
                self.daily_quota, max(self.daily_quota - spent, 0), reset
            )
            raise RateLimited(
                f"{action}: YouTube quota for today used ({spent} of {self.daily_quota} units"
                + ("" if write else f", {self.daily_quota - ceiling} kept for replies")
                + ")",
                retry_at=reset,
            )
        total = self.quota.spend(day, units)
        self.units_spent += units
        self.rate_limit = RateLimitState(self.daily_quota, max(self.daily_quota - total, 0), reset)

    def _call(self, request_of: Any, *, action: str, cost: str, write: bool = False) -> Any:
        """Execute one API request (built by `request_of(service)`), mapping every failure."""
        from googleapiclient.errors import HttpError

        self._spend(COSTS[cost], write=write, action=action)
        service = self.service
        assert self._http is not None
        self._http.action, self._http.write = action, write
        for attempt in (1, 2):
            self._http.token = self._token()
            try:
                return request_of(service).execute(num_retries=0)
            except HttpError as exc:
                status = int(exc.resp.status)
                if status == 401 and attempt == 1:
                    # Expired or revoked access token: refresh once and try again. A 401
                    # comes before anything is done, so a write cannot happen twice.
                    self._forget_token()
                    continue
                self._raise_for(exc, action, write=write)
            except ValueError as exc:  # a garbled JSON answer
                error = OutcomeUnknown if write else TransientError
                raise error(f"{action}: malformed answer from YouTube") from exc
        raise AuthError(f"{action}: YouTube refused the refreshed token")  # pragma: no cover

    def _raise_for(self, exc: Any, action: str, *, write: bool) -> None:
        status = int(exc.resp.status)
        reason, detail = _reason(exc)
        message = f"{action}: HTTP {status}" + (f" ({reason}) {detail[:200]}" if reason else "")
        if reason in QUOTA_REASONS or status == 429:
            # Units are what Google counts: the day's budget is spent for everyone.
            if reason in ("quotaExceeded", "dailyLimitExceeded"):
                self.quota.spend(quota_day(utcnow()), self.daily_quota)
            reset = next_reset(utcnow()).astimezone(UTC)
            wait = reset if reason != "rateLimitExceeded" else None
            self.rate_limit = RateLimitState(self.daily_quota, 0, reset)
            raise RateLimited(message, retry_at=wait, status=status)
        if status == 401:
            raise AuthError(f"{message} — connect the channel again", status=status)
        if status == 404:
            raise PermanentError(f"{message} (deleted or not visible)", status=404)
        if status == 403 and (reason == "commentsDisabled" or write):
            raise PermanentError(message, status=status)
        if status == 403:
            raise AuthError(
                f"{message} — the account must own the channel and consent to {SCOPE}",
                status=status,
            )
        if status >= 500:
            raise (OutcomeUnknown if write else TransientError)(message, status=status)
        raise PermanentError(message, status=status)

    @property
    def channel_id(self) -> str:
        value = str(self.credentials.get("channel_id") or "").strip()
        if not value:
            self.verify()
            value = str(self.credentials.get("channel_id") or "")
        return value
