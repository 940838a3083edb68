"""Login throttling: attackers slowed per IP + account; the real user and an office get in."""

from __future__ import annotations

import uuid

import pytest
import redis

from app import create_app
from app.cli import main
from app.config import Settings
from app.models import Membership, User
from app.security.passwords import hash_password
from tests.conftest import csrf_token
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db


def _limited_app(app, **config):
    """The same app with the login limits switched on (the test suite switches them off)."""
    limited = create_app(
        {"TESTING": True, "RATELIMIT_ENABLED": True, **config},
        settings=app.config["VIGIE_SETTINGS"],
    )
    limited.extensions["vigie_engine"].dispose()
    limited.extensions["vigie_engine"] = app.extensions["vigie_engine"]
    return limited


def _client(app, ip: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def _attempt(client, email: str, password: str, **kwargs):
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
        **kwargs,
    )


@pytest.fixture
def limited(app):
    return _limited_app(app)


def test_fifty_community_managers_behind_one_office_address_log_in_within_a_minute(
    limited, session
):
    brand = make_brand(session)
    digest = hash_password("pw-test")  # hashed once: the test times logins, not set-up
    emails = [f"cm{i}@agence.test" for i in range(50)]
    for email in emails:
        user = User(email=email, password_hash=digest)
        session.add(user)
        session.flush()
        session.add(Membership(user_id=user.id, brand_id=brand.id, role="community_manager"))
    session.commit()
    statuses = []
    for i, email in enumerate(emails):
        browser = _client(limited, "198.51.100.7")
        if i % 5 == 0:  # a typo here and there, as on any Monday morning
            assert _attempt(browser, email, "pw-tset").status_code == 401
        statuses.append(_attempt(browser, email, "pw-test").status_code)
    assert statuses == [302] * 50


def test_failures_from_one_address_slow_that_address_down_for_that_account(limited, session):
    make_user(session, make_brand(session), email="cm@example.test")
    attacker = _client(limited, "203.0.113.9")
    statuses = [_attempt(attacker, "cm@example.test", "guess").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    refused = _attempt(attacker, "cm@example.test", "pw-test")  # even the right password waits
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Trop de tentatives. Réessayez dans" in refused.get_data(as_text=True)


def test_an_attacker_elsewhere_does_not_lock_the_real_user_out(limited, session):
    make_user(session, make_brand(session), email="lead@example.test")
    office = _client(limited, "198.51.100.7")
    assert _attempt(office, "lead@example.test", "pw-test").status_code == 302
    office.post("/logout", data={"csrf_token": csrf_token(office, "/")})

    # A distributed guess: many addresses, until the account-wide cap stops unknown browsers.
    statuses = []
    for n in range(40):
        attacker = _client(limited, f"203.0.113.{n % 10 + 1}")
        statuses.append(_attempt(attacker, "lead@example.test", f"guess{n}").status_code)
    assert statuses[-1] == 429  # the attacker is stopped
    newcomer = _client(limited, "192.0.2.50")
    assert _attempt(newcomer, "lead@example.test", "guess").status_code == 429

    # The lead's own browser (it logged in here before) still gets in at once.
    assert _attempt(office, "lead@example.test", "pw-test").status_code == 302
    assert office.get("/queue").status_code == 200


def test_a_few_failures_elsewhere_do_not_touch_the_user_on_a_new_browser(limited, session):
    make_user(session, make_brand(session), email="cm@example.test")
    attacker = _client(limited, "203.0.113.9")
    for _ in range(8):
        _attempt(attacker, "cm@example.test", "guess")
    assert _attempt(_client(limited, "198.51.100.7"), "cm@example.test", "pw-test").status_code == (
        302
    )


def test_a_successful_login_resets_the_counter_of_that_address(limited, session):
    make_user(session, make_brand(session), email="cm@example.test")
    browser = _client(limited, "198.51.100.7")
    for _ in range(4):
        assert _attempt(browser, "cm@example.test", "oops").status_code == 401
    assert _attempt(browser, "cm@example.test", "pw-test").status_code == 302
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    statuses = [_attempt(browser, "cm@example.test", "oops").status_code for _ in range(4)]
    assert statuses == [401] * 4


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    untrusted = _limited_app(app)
    attacker = _client(untrusted, "203.0.113.9")
    statuses = [
        _attempt(
            attacker, "cm@example.test", "guess", headers={"X-Forwarded-For": f"10.9.9.{n}"}
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == 429  # a made-up header does not buy fresh attempts

    proxied = _limited_app(app, VIGIE_TRUSTED_PROXIES="127.0.0.1/32, 10.0.0.0/8")
    nginx = _client(proxied, "10.0.0.2")
    # Behind the proxy each real client gets its own pair counter...
    for n in range(6):
        response = _attempt(
            nginx, "cm@example.test", "guess", headers={"X-Forwarded-For": f"192.0.2.{n}"}
        )
        assert response.status_code == 401
    # ...and a client cannot pass itself off as someone else by prepending addresses.
    spoofed = [
        _attempt(
            nginx,
            "cm@example.test",
            "guess",
            headers={"X-Forwarded-For": f"192.0.2.{n}, 198.51.100.66"},
        ).status_code
        for n in range(6)
    ]
    assert spoofed == [401] * 5 + [429]


def test_proxy_count_setting_uses_the_proxys_view_of_the_client(app, session):
    from app.security import proxies

    seen = {}

    def wsgi(environ, start_response):
        seen["addr"], seen["scheme"] = environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]
        start_response("200 OK", [])
        return [b""]

    env = {
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.10",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "http",
    }
    proxies.wrap(wsgi, "1")(dict(env), lambda *a: None)
    assert seen == {"addr": "192.0.2.10", "scheme": "https"}
    proxies.wrap(wsgi, None)(dict(env), lambda *a: None)
    assert seen == {"addr": "10.0.0.2", "scheme": "http"}
    with pytest.raises(proxies.ProxyConfigError):
        proxies.parse("nginx")


def test_limits_are_shared_by_two_processes_through_redis(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    prefix = f"vigie-test-{uuid.uuid4().hex}:"
    config = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix}
    first, second = _limited_app(app, **config), _limited_app(app, **config)
    try:
        one, two = _client(first, "203.0.113.9"), _client(second, "203.0.113.9")
        statuses = [
            _attempt(one if n % 2 else two, "cm@example.test", "guess").status_code
            for n in range(6)
        ]
        assert statuses == [401] * 5 + [429]
    finally:
        store = redis.Redis.from_url("redis://127.0.0.1:6379")
        keys = list(store.scan_iter(match=f"*{prefix}*"))
        if keys:
            store.delete(*keys)


def test_redis_is_the_default_storage_when_configured():
    env = {"VIGIE_SECRET_KEY": "k", "VIGIE_ENCRYPTION_KEY": "k", "VIGIE_INSTANCE_PATH": "/tmp"}
    assert Settings.from_env(env).ratelimit_storage_url == "memory://"
    with_redis = {**env, "VIGIE_REDIS_URL": "redis://cache:6379/0"}
    assert Settings.from_env(with_redis).ratelimit_storage_url == "redis://cache:6379/0"
    explicit = {**with_redis, "VIGIE_RATELIMIT_STORAGE_URL": "redis://limits:6379/1"}
    assert Settings.from_env(explicit).ratelimit_storage_url == "redis://limits:6379/1"


def test_several_web_processes_refuse_in_memory_limits(app, monkeypatch):
    from app import serve

    started = []
    monkeypatch.setattr(serve.Gunicorn, "serve", lambda *args: started.append(args[1:]))
    runner = app.test_cli_runner()
    refused = runner.invoke(main, ["run", "--host", "0.0.0.0", "--workers", "4"])
    assert refused.exit_code != 0 and "VIGIE_RATELIMIT_STORAGE_URL" in refused.output
    assert started == []
    # Without --workers, one process with in-memory limits; with Redis, the usual two.
    assert runner.invoke(main, ["run"]).exit_code == 0
    assert started[-1][2] == 1
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
    assert runner.invoke(main, ["run", "--workers", "4"]).exit_code == 0
    assert runner.invoke(main, ["run"]).exit_code == 0
    assert [args[2] for args in started[-2:]] == [4, 2]


def test_an_unreachable_redis_does_not_stop_people_logging_in(app, session):
    make_user(session, make_brand(session), email="cm@example.test")
    down = _limited_app(app, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1")
    browser = _client(down, "198.51.100.7")
    assert _attempt(browser, "cm@example.test", "oops").status_code == 401
    assert _attempt(browser, "cm@example.test", "pw-test").status_code == 302
