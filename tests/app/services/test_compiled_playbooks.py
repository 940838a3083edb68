"""A playbook is compiled once per process: concurrent first requests wait for one
compilation, and the published playbooks can be compiled at start (before the fork)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import playbooks
from app.services import compiled_playbooks, content
from playbooks import shipped_playbook_path
from tests.factories import make_brand

pytestmark = pytest.mark.db


def test_concurrent_first_calls_compile_the_playbook_once(monkeypatch):
    compiled_playbooks.cache_clear()
    calls: list[str] = []
    real = playbooks.load_playbook
    start = threading.Barrier(4)

    def counted(text, **kwargs):
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(playbooks, "load_playbook", counted)
    source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")

    def first_request() -> object:
        start.wait(10)
        return compiled_playbooks.compile_playbook(source)

    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: first_request(), range(4)))
    assert len(calls) == 1 and all(e is engines[0] for e in engines)
    info = compiled_playbooks.compile_playbook.cache_info()  # type: ignore[attr-defined]
    assert (info.misses, info.hits, info.currsize) == (1, 3, 1)


def test_warm_up_compiles_the_published_playbooks(app, session, engine):
    brand = make_brand(session, slug="rail", name="Rail")
    source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
    content.save_playbook(session=session, brand=brand, source=source, actor=None, publish=True)
    session.commit()
    compiled_playbooks.cache_clear()
    content.warm_up_playbooks(engine)
    assert compiled_playbooks.compile_playbook.cache_info().currsize == 1  # type: ignore[attr-defined]
    # The first triage of the brand finds it compiled.
    assert content.published_playbook(session=session, brand_id=brand.id) is not None
    info = compiled_playbooks.compile_playbook.cache_info()  # type: ignore[attr-defined]
    assert (info.misses, info.hits) == (1, 1)


def test_warm_up_reads_the_published_playbooks_scenario_labels(app, session, engine, monkeypatch):
    # Read at start, not by each worker's first queue page (its other queue pages waited).
    brand = make_brand(session, slug="rail", name="Rail")
    source = shipped_playbook_path("demo-rail").read_text(encoding="utf-8")
    row = content.save_playbook(
        session=session, brand=brand, source=source, actor=None, publish=True
    )
    session.commit()
    monkeypatch.setattr(content, "_LABELS_BY_VERSION", {})
    content.warm_up_playbooks(engine)
    assert content._LABELS_BY_VERSION[row.version]  # the rail playbook names its scenarios
    parsed: list[str] = []
    monkeypatch.setattr(content, "_labels_from_source", lambda text: parsed.append(text) or {})
    labels = content.scenario_labels(session=session, brand_ids=[brand.id])
    assert parsed == [] and labels[brand.id] == content._LABELS_BY_VERSION[row.version]
