"""Backtest speed: a draft replayed over 5,000 stored mentions within one request (SQLite).

    python benchmarks/bench_backtest.py [--mentions 5200] [--quick] [--summary-json F]

Moved out of the default test suite (tests/app/services/test_backtest.py keeps what the
replay finds): a wall-clock bound flakes on a loaded CI machine. Goal: under 5 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from app.extensions import make_engine
from app.migrate import upgrade
from app.models import Brand
from app.services import compiled_playbooks
from app.services.backtest import run_backtest
from tests.app.playbook_samples import STRICTER_PLAYBOOK, add_history

GOAL_SECONDS = 5.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentions", type=int, default=5200)
    parser.add_argument("--quick", action="store_true", help="same size: it takes seconds")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:  # its own database, removed afterwards
        url = f"sqlite:///{Path(tmp) / 'backtest.db'}"
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            brand = Brand(slug="bench-backtest", name="Bench")
            session.add(brand)
            session.commit()
            texts = [
                (f"Mon train {i} est en retard, quel connard", "S2", "reply")
                for i in range(args.mentions)
            ]
            add_history(session, brand, texts)
            draft = compiled_playbooks.compile_playbook(STRICTER_PLAYBOOK)
            started = time.perf_counter()
            result = run_backtest(session=session, brand=brand, engine=draft)
            elapsed = time.perf_counter() - started
        engine.dispose()
    ok = elapsed < GOAL_SECONDS
    print(f"backtest of {result.total} mentions: {elapsed:.2f} s (goal < {GOAL_SECONDS:.0f} s)")
    if args.summary_json:
        line = {
            "figure": f"backtest of {result.total} stored mentions",
            "goal": f"< {GOAL_SECONDS:.0f} s",
            "measured": f"{elapsed:.2f} s",
            "ok": ok,
        }
        Path(args.summary_json).write_text(json.dumps([line], ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
