"""A brand's system receiving Vigie's replies on a webhook account's `reply_url`.

It behaves like a well-behaved real receiver: checks the signature, publishes each
Idempotency-Key once and answers a repeated delivery with the same id. Serve it with
`tests.connectors.fake_http_server.serve_fake` and inject COMMIT_THEN_STALL to play a
receiver that publishes and then answers too late (Vigie delivers again: a duplicate).
"""

from __future__ import annotations

import itertools
from typing import Any

from app.notify.webhook import verify
from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer


class FakeReplyReceiver(FakeServer):
    base_url = "https://brand.example"

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.deliveries: list[dict[str, Any]] = []  # every POST, duplicates included
        self.published: dict[str, dict[str, Any]] = {}  # Idempotency-Key → what was published
        self._ids = itertools.count(1)

    def respond(self, request: FakeRequest) -> FakeResponse:
        if (request.method, request.path) != ("POST", "/vigie/replies"):
            return FakeResponse.json({"error": "not found"}, 404)
        signature = request.headers.get("x-vigie-signature")
        if not verify(self.secret, request.body, signature):
            return FakeResponse.json({"error": "bad signature"}, 401)
        key = request.headers.get("idempotency-key", "")
        body = request.json()
        with self.lock:
            self.deliveries.append({"key": key, "body": body})
            if key not in self.published:  # a repeated key is acknowledged, not re-published
                self.published[key] = {"id": f"pub-{next(self._ids)}", "text": body["text"]}
            answer = self.published[key]
        return FakeResponse.json(
            {"id": answer["id"], "url": f"{self.base_url}/posts/{answer['id']}"}, 200
        )
