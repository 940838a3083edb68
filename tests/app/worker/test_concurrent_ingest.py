"""Ingest under real concurrency: 8 webhook clients over HTTP and 2 workers at once.

The clients share threads and authors (so grouping collides), retry some posts and race on
shared ids; the workers poll a demo account, store mentions left untriaged (a web process
that died between storing and triaging) and sweep the backlog. Afterwards every mention has
exactly one engine triage, every open case has the mentions it counts, and no thread has two
open cases.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from werkzeug.serving import make_server

from app.models import Case, ConnectorAccount, Mention, Triage
from app.security.secrets_box import SecretsBox
from app.services import ingest
from app.services.accounts import create_account
from app.worker import polling
from app.worker.runner import Worker
from connectors import AuthorInfo, FetchedMention
from connectors.demo import load_stream
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.factories import make_brand

pytestmark = pytest.mark.db

TEXTS = [line["text"] for line in load_stream("demo-shop")]
THREADS = 6  # few threads and authors: concurrent triages of one thread or person collide
AUTHORS = 5


class LiveServer:
    """The real app on a loopback port, a thread per request (as in tests/browser)."""

    def __init__(self, app: Flask) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()


@pytest.fixture
def live(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


def _payload(client: int, n: int, brand: str) -> dict:
    author = (client + n) % AUTHORS
    return {
        "id": f"{brand}-c{client}-{n}",
        "text": TEXTS[(client * 31 + n) % len(TEXTS)],
        "author": {"id": f"{brand}-a{author}", "handle": f"{brand}_client_{author}"},
        "created_at": "2026-11-23T10:00:00Z",
        "channel": "web_form",
        "thread_id": f"{brand}-t{(client * 7 + n) % THREADS}",
        "lang": "fr",
    }


def _orphan(worker: int, n: int) -> FetchedMention:
    author = (worker + n) % AUTHORS
    return FetchedMention(
        external_id=f"orphan-w{worker}-{n}",
        text=TEXTS[(worker * 17 + n) % len(TEXTS)],
        author=AuthorInfo(external_id=f"shop-a{author}", handle=f"shop_client_{author}"),
        posted_at=datetime(2026, 11, 23, 10, tzinfo=UTC) + timedelta(seconds=n),
        url=None,
        lang="fr",
        channel="web_form",
        thread_id=f"shop-t{(worker + n) % THREADS}",
    )


DEMO_STREAM = 260  # the demo account's mentions: 20 a poll until all are in


def _stored(engine: Engine, account_id: int) -> int:
    with Session(engine) as own:
        return own.exec(
            select(func.count()).select_from(Mention).where(Mention.account_id == account_id)
        ).one()


def _scale(engine: Engine) -> tuple[int, int]:
    """Clients and posts per client: the full run on PostgreSQL, a smaller one on SQLite,
    whose writers queue behind one lock (the run checks the same invariants)."""
    return (8, 30) if engine.dialect.name == "postgresql" else (4, 10)


def test_concurrent_clients_and_workers_triage_each_mention_once(app, engine, session, live):
    box = SecretsBox(TEST_ENCRYPTION_KEY)
    shop, rail = make_brand(session, slug="shop"), make_brand(session, slug="rail")
    tokens = {}
    for brand in (shop, rail):
        _, tokens[brand.slug] = create_account(
            session=session, brand=brand, platform="webhook", credentials={}, box=box
        )
    # The workers' own stream, in the busiest brand: 20 mentions a poll until 260 are in.
    demo, _ = create_account(
        session=session,
        brand=shop,
        platform="demo",
        credentials={},
        box=box,
        options={"brand": "demo-shop", "pace": 0, "max_batch": 20},
    )
    session.commit()
    webhook_shop = session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == shop.id, ConnectorAccount.platform == "webhook"
        )
    ).one()
    clients, per_client = _scale(engine)
    statuses: Counter[int] = Counter()
    errors: list[BaseException] = []
    done = threading.Event()

    def client(number: int) -> None:
        # Two clients in three post to the shop, the others to the rail brand.
        slug = "rail" if number % 3 == 2 else "shop"
        headers = {"Authorization": f"Bearer {tokens[slug]}"}
        try:
            with httpx.Client(base_url=live.url, headers=headers, timeout=60) as http:
                for n in range(per_client):
                    payloads = [_payload(number, n, slug)]
                    if n % 4 == 0:
                        payloads.append(payloads[0])  # a retry of the same id
                    if n % 5 == 0:
                        # An id the next client posts too: the two stores race.
                        payloads.append({**_payload(number, n, slug), "id": f"{slug}-shared-{n}"})
                    for payload in payloads:
                        response = http.post("/api/v1/mentions", json=payload)
                        statuses[response.status_code] += 1
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def work(number: int) -> None:
        # Like the scheduler's jobs: a failed round is reported, the next one runs anyway.
        runner = Worker(app)
        for n in range(0, 10_000, 2):
            finished = done.is_set()
            try:
                polling.poll_account(engine, demo.id, box, runner.owner)
                with Session(engine, expire_on_commit=False) as own:
                    account = own.get(ConnectorAccount, webhook_shop.id)
                    assert account is not None
                    orphans = [_orphan(number, n), _orphan(number, n + 1)]
                    ingest.store_mentions(session=own, account=account, items=orphans)
                    own.commit()
                runner.triage_backlog()
            except Exception as exc:
                errors.append(exc)
            # Once the clients are done, polling goes on until the demo stream is all in (a fast
            # machine's clients finish before the 13 polls it takes).
            if finished and _demo_count() >= DEMO_STREAM:
                return

    def _demo_count() -> int:
        with Session(engine) as own:
            found = own.exec(
                select(func.count()).select_from(Mention).where(Mention.account_id == demo.id)
            ).one()
        return int(found)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    workers = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads + workers:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    for thread in workers:
        thread.join(timeout=120)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads + workers)
    Worker(app).triage_backlog()  # what a later sweep would find (nothing, if all went well)

    session.expire_all()
    mentions = session.exec(select(Mention)).all()
    engine_triages = Counter(
        session.exec(select(Triage.mention_id).where(Triage.source == "engine")).all()
    )
    counts = dict(
        session.exec(
            select(Mention.case_id, func.count())
            .where(col(Mention.case_id).is_not(None))
            .group_by(Mention.case_id)
        ).all()
    )
    cases = session.exec(select(Case).where(Case.status != "closed")).all()
    per_thread = Counter((c.brand_id, c.thread_id) for c in cases if c.thread_id)
    figures = {
        "mentions": len(mentions),
        "engine triages": engine_triages.total(),
        "open cases": len(cases),
        "seconds": round(elapsed, 1),
    }
    problems = {
        "not triaged": sum(m.state != "triaged" for m in mentions),
        "triaged more than once": sum(n > 1 for n in engine_triages.values()),
        "without an engine triage": len({m.id for m in mentions} - set(engine_triages)),
        "open cases without a mention": sum(not counts.get(c.id) for c in cases),
        "cases counting other than their mentions": sum(
            c.mention_count != counts.get(c.id, 0) for c in cases
        ),
        "threads with two open cases": sum(n > 1 for n in per_thread.values()),
        "failed requests": sum(n for status, n in statuses.items() if status != 202),
        "failed worker rounds": len(errors),
    }
    assert {k: n for k, n in problems.items() if n} == {}, (figures, errors[:2])
    stored = {m.external_id for m in mentions}
    posted = {
        _payload(number, n, "rail" if number % 3 == 2 else "shop")["id"]
        for number in range(clients)
        for n in range(per_client)
    }
    assert posted - stored == set()  # every accepted post is kept
    assert sum(m.account_id == demo.id for m in mentions) == DEMO_STREAM
