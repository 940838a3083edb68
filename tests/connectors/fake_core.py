"""Plumbing shared by the fake platform servers: requests, responses, injected faults.

A fake server is a plain object holding state (posts, notifications, sessions) with one
`respond(request) -> FakeResponse` method. Adapters plug it into respx (httpx clients),
responses (tweepy's requests session) or a real local HTTP server, so the same fake serves
unit tests and cross-process browser tests.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Inject as a fault to make the client time out.
TIMEOUT = "timeout"
#: Inject as a fault to answer 200 with a truncated JSON body.
MALFORMED = "malformed"
#: Inject as a fault to handle the request for real (a post is stored), then stall past the
#: client's timeout: what a slow platform does, and the cause of double posts.
COMMIT_THEN_STALL = "commit-then-stall"
#: Inject as a fault to refuse the connection (nothing reached the server).
CONNECT_ERROR = "connect-error"


@dataclass
class Stalled:
    """A response the server computed (its side effects happened) but sends too late."""

    response: FakeResponse


@dataclass
class FakeRequest:
    method: str
    url: str
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        """Decode a form or JSON body into a flat dict."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return dict(self.json() or {})
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else None


@dataclass
class FakeResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, payload: Any, status: int = 200, headers: dict[str, str] | None = None):
        return cls(
            status,
            {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            json.dumps(payload).encode(),
        )


FaultAction = FakeResponse | str | Callable[[FakeRequest], FakeResponse | None]


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    action: FaultAction
    after: int  # matching requests to let through before the fault fires
    times: int  # how many matching requests the fault answers


class FakeServer:
    """Base of the fakes: records requests, fires injected faults, then calls `respond`."""

    base_url = "https://fake.test"
    #: Attributes holding the URLs this fake serves (a real local server replaces each).
    url_attributes: tuple[str, ...] = ("base_url",)
    #: How long a real local server stalls (TIMEOUT, COMMIT_THEN_STALL) before answering.
    stall_seconds = 1.0

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[FakeRequest] = []
        self._faults: list[Fault] = []

    def inject(
        self,
        path: str,
        action: FaultAction,
        *,
        method: str = "GET",
        after: int = 0,
        times: int = 1,
    ) -> None:
        """Answer the matching requests after `after` good ones with `action`.

        `action` is a FakeResponse, TIMEOUT (stall without handling the request),
        COMMIT_THEN_STALL (handle it, then stall), CONNECT_ERROR, MALFORMED, or a callable
        that may change the server's state and return None to let the request through
        (e.g. delete a post between two pages).
        """
        self._faults.append(Fault(method.upper(), re.compile(path), action, after, times))

    def requests_to(self, path: str, method: str | None = None) -> list[FakeRequest]:
        return [
            r
            for r in self.requests
            if re.search(path, r.path) and (method is None or r.method == method.upper())
        ]

    def dispatch(self, request: FakeRequest) -> FakeResponse | Stalled | str:
        """Answer one request: an injected fault if one is due, else the normal handler."""
        with self.lock:
            self.requests.append(request)
            for fault in self._faults:
                if fault.times <= 0 or fault.method != request.method:
                    continue
                if not fault.path.search(request.path):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                if callable(fault.action):
                    result = fault.action(request)
                    if result is None:
                        break
                    return result
                if fault.action == MALFORMED:
                    return FakeResponse(200, {"Content-Type": "application/json"}, b'{"data": [')
                if fault.action == COMMIT_THEN_STALL:
                    return Stalled(self.respond(request))
                return fault.action
            return self.respond(request)

    @property
    def hosts(self) -> list[str]:
        """The URL prefixes this fake answers."""
        return [self.base_url]

    def respond(self, request: FakeRequest) -> FakeResponse:
        raise NotImplementedError

    # -- adapters -------------------------------------------------------------------------

    def install_respx(self, router: Any) -> None:
        """Serve this fake's base URL through a respx router (for httpx clients)."""
        import httpx

        def side_effect(request: httpx.Request) -> httpx.Response:
            fake = FakeRequest(
                request.method,
                str(request.url),
                {k.lower(): v for k, v in request.headers.items()},
                request.read(),
            )
            answer = self.dispatch(fake)
            if answer == TIMEOUT or isinstance(answer, Stalled):
                raise httpx.ReadTimeout("fake timeout", request=request)
            if answer == CONNECT_ERROR:
                raise httpx.ConnectError("fake: connection refused", request=request)
            assert isinstance(answer, FakeResponse)
            return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

        for host in self.hosts:
            router.route(url__startswith=host).mock(side_effect=side_effect)

    def install_responses(self, rsps: Any) -> None:
        """Serve this fake's base URL through a `responses` mock (for requests/tweepy)."""
        import requests

        def callback(request: Any) -> Any:
            body = request.body or b""
            fake = FakeRequest(
                request.method,
                request.url,
                {k.lower(): v for k, v in request.headers.items()},
                body.encode() if isinstance(body, str) else body,
            )
            answer = self.dispatch(fake)
            if answer == TIMEOUT or isinstance(answer, Stalled):
                return requests.exceptions.ReadTimeout("fake timeout")
            if answer == CONNECT_ERROR:
                from urllib3.exceptions import NewConnectionError

                return requests.exceptions.ConnectionError(
                    NewConnectionError(None, "fake: connection refused")  # type: ignore[arg-type]
                )
            assert isinstance(answer, FakeResponse)
            return (answer.status, answer.headers, answer.body)

        for host in self.hosts:
            pattern = re.compile(re.escape(host) + r"/.*")
            for method in ("GET", "POST", "PUT", "DELETE"):
                rsps.add_callback(method, pattern, callback=callback, content_type=None)
