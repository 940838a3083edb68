"""Login throttling that slows attackers without locking the real user out.

Only failed attempts count, in three buckets kept in the rate-limit storage (Redis when several
processes run, so every process sees the same counters):
- per (IP, account) pair — the main brake, with a longer back-off after repeated failures; a
  successful login clears it;
- per account across every IP — a higher cap against a distributed guess; a browser that has
  already logged in to that account (a signed "known device" cookie) is not held by it, so an
  attacker elsewhere cannot lock the user out;
- per IP across accounts — high enough for an office of 50 community managers behind one
  address, low enough to stop one machine spraying passwords over many accounts.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

DEVICE_COOKIE = "vigie_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
DEVICE_MAX_USERS = 8  # a shared agency workstation remembers a few accounts

DEFAULT_LIMITS = {
    "pair": "5 per minute; 20 per hour",
    "account": "30 per 15 minutes; 100 per day",
    "ip": "60 per minute; 500 per hour",
}


@dataclass
class LoginThrottle:
    """The counters of one app, over its own storage connection."""

    storage: Storage
    prefix: str
    limits: dict[str, list[RateLimitItem]]

    def __post_init__(self) -> None:
        self.window = MovingWindowRateLimiter(self.storage)

    def _keys(self, ip: str, account: str) -> dict[str, str]:
        acct = hashlib.sha256(account.encode()).hexdigest()[:32]
        return {
            "pair": f"{self.prefix}login:pair:{ip}:{acct}",
            "account": f"{self.prefix}login:account:{acct}",
            "ip": f"{self.prefix}login:ip:{ip}",
        }

    def wait(self, ip: str, account: str, known_device: bool) -> int:
        """Seconds to wait before another attempt may be checked (0: go ahead)."""
        longest = 0.0
        for bucket, key in self._keys(ip, account).items():
            if bucket == "account" and known_device:
                continue
            for item in self.limits[bucket]:
                if not self.window.test(item, key):
                    reset = self.window.get_window_stats(item, key).reset_time
                    longest = max(longest, reset - time.time())
        return max(1, math.ceil(longest)) if longest > 0 else 0

    def failed(self, ip: str, account: str) -> None:
        """Count one failed attempt in every bucket."""
        for bucket, key in self._keys(ip, account).items():
            for item in self.limits[bucket]:
                self.window.hit(item, key)

    def succeeded(self, ip: str, account: str) -> None:
        """A good password from this address: its pair counter starts again from zero."""
        key = self._keys(ip, account)["pair"]
        for item in self.limits["pair"]:
            self.window.clear(item, key)


def init_app(app: Flask) -> None:
    """Give the app its throttle, on the rate-limit storage it is configured with."""
    limits = {
        bucket: parse_many(app.config.get(f"VIGIE_LOGIN_LIMIT_{bucket.upper()}", default))
        for bucket, default in DEFAULT_LIMITS.items()
    }
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    assert isinstance(storage, Storage)  # a synchronous storage: the app is WSGI
    app.extensions["vigie_login_throttle"] = LoginThrottle(
        storage=storage,
        prefix=app.config.get("RATELIMIT_KEY_PREFIX", "") or "",
        limits=limits,
    )


def _storage_down(exc: Exception) -> None:
    # Fail open: with the limits' Redis unreachable, people must still be able to work.
    current_app.logger.error("login throttling skipped, rate-limit storage unreachable: %s", exc)


def _throttle() -> LoginThrottle | None:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    return current_app.extensions["vigie_login_throttle"]


def _account(email: str) -> str:
    return email.strip().lower()[:254]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="vigie-known-device")


def _device_users() -> list[int]:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        users = _serializer().loads(raw, max_age=DEVICE_MAX_AGE)
    except BadSignature:
        return []
    return [u for u in users if isinstance(u, int)] if isinstance(users, list) else []


def seconds_to_wait(email: str, user_id: int | None) -> int:
    """Before checking a password: how long this attempt must wait (0 when it may proceed)."""
    throttle = _throttle()
    if throttle is None:
        return 0
    known = user_id is not None and user_id in _device_users()
    try:
        return throttle.wait(request.remote_addr or "", _account(email), known)
    except Exception as exc:  # any storage failure: redis, network
        _storage_down(exc)
        return 0


def record_failure(email: str) -> None:
    """A wrong password or unknown account."""
    throttle = _throttle()
    if throttle is not None:
        try:
            throttle.failed(request.remote_addr or "", _account(email))
        except Exception as exc:
            _storage_down(exc)


def record_success(email: str, user_id: int, response: Response) -> None:
    """A good password: reset this address's counter and remember this browser for the account."""
    throttle = _throttle()
    if throttle is not None:
        try:
            throttle.succeeded(request.remote_addr or "", _account(email))
        except Exception as exc:
            _storage_down(exc)
    users = [user_id] + [u for u in _device_users() if u != user_id]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(users[:DEVICE_MAX_USERS]),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
