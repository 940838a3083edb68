"""Serving the app under gunicorn from Python (`vigie run`, `vigie demo`)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from typing import Any

from flask import Flask

KEEPALIVE_SECONDS = 30
# Python's own GIL switch interval (5 ms) is kept. 1 ms was set here to shorten the wait of a
# thread back from the database; A/B under bench_load.py (50 CMs, 2 workers, PostgreSQL, on a
# shared 2-core machine, 2 runs each) it cost more CPU per request (18.9 and 21.6 ms against
# 17.3 and 20.8 ms at 5 ms) and lowered no route's p95 consistently.


class Gunicorn:
    """Runs the app under gunicorn from Python, so `vigie run` needs no separate config file."""

    @staticmethod
    def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
        from gunicorn.app.base import BaseApplication

        class Application(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)
                # Keep idle connections past the queue's 10 s poll (gunicorn's default is 2 s):
                # a browser tab then keeps its connection, and a request sent as the server
                # drops an idle one (the client sees "connection reset") becomes rare.
                self.cfg.set("keepalive", KEEPALIVE_SECONDS)

            def load(self) -> Any:
                return app

        prepare_lexicon_store()  # beside it, at low priority: the templates no one published yet
        warm_up_proofreading()  # in the master, before the fork: every worker inherits it
        warm_up_playbooks(app)  # likewise: no worker compiles on its first requests
        warm_up_templates(app)  # likewise for the pages' templates
        warm_up_locales(app)  # and the languages' catalogues and Babel's locale data
        freeze_heap()
        Application().run()


# Young collections once 20,000 container objects more were made than freed (Python's default:
# 700). A request frees nearly all it makes, so at 700 the queue page ran ~3 collections
# (1.6 ms of CPU, every thread of the worker waiting) and the case view ~1.5 (0.6-0.8 ms);
# at 20,000, one every ~80 requests. The cycles left between collections weigh a few MB.
YOUNG_COLLECTION_THRESHOLD = 20_000


def freeze_heap() -> None:
    """Leave what start-up built (app, proofreading engines, compiled playbooks) out of every
    later garbage collection: a full collection walks every tracked object while all the
    worker's threads wait. Under 50 CMs each worker made 2-4 full collections in 37 s over
    ~350,000 objects, ~200 ms of CPU each (0.8 s of wall time on a loaded machine); frozen,
    ~35,000 objects and ~25-40 ms. The frozen objects also stay in pages the workers share.
    Then collect less often (YOUNG_COLLECTION_THRESHOLD); the forked workers inherit both."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, older, oldest)


def prepare_lexicon_store() -> None:
    """Start `python -m playbooks.store_warmup` in its own process when the lexicon store lacks
    this release's shipped playbooks (an editor's first draft from a sector template would
    otherwise compile its lexicons on the request's thread); unless VIGIE_WARM_UP=0."""
    import subprocess
    import sys

    from canned_replies import warmup
    from playbooks import store_warmup

    if not warmup.enabled() or not store_warmup.missing():
        return
    # Its log lines go where this process's go; it outlives nothing: it ends when done.
    subprocess.Popen(
        [sys.executable, "-m", "playbooks.store_warmup"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C meant for the server does not cut a write short
    )


def warm_up_proofreading() -> None:
    """Load the proofreading engines now unless VIGIE_WARM_UP=0 (see canned_replies.warmup)."""
    import logging

    from canned_replies import warmup

    if warmup.enabled():
        seconds = warmup.warm_up()
        logging.getLogger(__name__).info("proofreading warmed up in %.1f s", seconds)


def warm_up_templates(app: Flask) -> int:
    """Compile every template now; Jinja compiles one on its first use, ~7 ms of CPU each, and
    under 50 CMs a worker's first queue page and case view paid ~170 ms of it. Returns how many
    were compiled (they stay in the environment's cache, which holds them all)."""
    env = app.jinja_env
    names = env.list_templates(extensions=("html",))  # mail/*.txt: notify.mail_templates
    for name in names:
        env.get_template(name)
    return len(names)


def warm_up_locales(app: Flask) -> None:
    """Load each language's catalogue and Babel's locale data (dates, "dans 5 minutes") now:
    both load on first use, per process, and a worker's first queue page paid ~25 ms of it while
    the CMs waiting for the same rows waited for it too."""
    from datetime import timedelta

    from flask_babel import force_locale, format_datetime, format_timedelta, get_translations

    from app.config import LANGUAGES

    with app.test_request_context():
        for language in LANGUAGES:
            with force_locale(language):
                get_translations()
                format_timedelta(timedelta(minutes=5), add_direction=True)
                format_datetime(datetime.now(UTC))


def warm_up_playbooks(app: Flask) -> None:
    """Compile the published playbooks now unless VIGIE_WARM_UP=0; the pool's connections are
    closed afterwards, so that forked processes never share one."""
    import logging

    from app.services import content
    from canned_replies import warmup

    if not warmup.enabled():
        return
    engine = app.extensions["vigie_engine"]
    try:
        seconds = content.warm_up_playbooks(engine)
    except Exception:  # no database yet (before `vigie init`): workers compile on demand
        logging.getLogger(__name__).exception("playbooks not compiled at start")
    else:
        logging.getLogger(__name__).info("published playbooks compiled in %.1f s", seconds)
    finally:
        engine.dispose()
