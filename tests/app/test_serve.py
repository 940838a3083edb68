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
