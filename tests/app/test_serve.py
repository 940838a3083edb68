"""`vigie run`'s process set-up (app/serve.py): what start-up built stays out of later garbage
collections, and the young ones run less often."""

from __future__ import annotations

import gc

from app import serve


def test_freeze_heap_leaves_start_up_objects_out_of_collections():
    kept = [object() for _ in range(10)]
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        serve.freeze_heap()
        assert gc.get_freeze_count() > len(kept)
        assert len(gc.get_objects()) < gc.get_freeze_count()
        assert gc.get_threshold() == (serve.YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_start_up_prepares_the_lexicon_store_in_its_own_process_only_when_it_lacks_them(
    monkeypatch, tmp_path
):
    import subprocess
    import sys

    from playbooks import store_warmup

    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kwargs: started.append(args))
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("VIGIE_WARM_UP", "1")
    serve.prepare_lexicon_store()
    assert started == [[sys.executable, "-m", "playbooks.store_warmup"]]

    ready = store_warmup.marker()
    assert ready is not None
    ready.touch()  # this release's templates are in the store
    serve.prepare_lexicon_store()
    monkeypatch.setenv("VIGIE_CACHE_DIR", "off")
    serve.prepare_lexicon_store()
    ready.unlink()
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("VIGIE_WARM_UP", "0")
    serve.prepare_lexicon_store()
    assert len(started) == 1
