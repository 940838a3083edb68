"""A fresh process compiling a shipped playbook: without the lexicon store, writing it, reading it.

Run: .venv/bin/python benchmarks/bench_compile.py [--playbooks demo-rail sector-bank] [--rounds 2]
[--summary-json F]

What production runs: a web worker, a queue worker, `vigie playbook …` or a test process
starting with nothing compiled, then `load_playbook` on a shipped playbook (the editor's "create
from a template" does the same in a cold web process). Each figure is a new Python process (the
interpreter and imports are not counted: the child times `load_playbook` alone, CPU and wall)
in three states of `playbooks.automaton_store`:
- **off** (`VIGIE_CACHE_DIR=off`): the baseline, what every process paid before the store;
- **first**: an empty store, the process compiles and writes the automata;
- **warm**: the store filled by the first, the process reads them.
The store is a temporary directory made for the run and removed after it; the user's own cache
is neither read nor written. Each state keeps its best of `--rounds` rounds (the machine may be
shared); the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_GOAL_S = 3.0  # a worker ready within seconds of starting, whatever the lexicons weigh

CHILD = """
import json, resource, sys, time
from playbooks import MentionInput, load_playbook_file, shipped_playbook_path
path = shipped_playbook_path(sys.argv[1])
cpu, wall = time.process_time(), time.perf_counter()
book = load_playbook_file(path)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
severity = book.decide(MentionInput(text="je vais vous buter", channel="x")).severity
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": cpu, "wall": wall, "severity": severity, "rss_mb": rss}))
"""


def run(slug: str, store: str) -> dict[str, float]:
    env = {**os.environ, "VIGIE_CACHE_DIR": store, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, slug], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout)


def best(rows: list[dict[str, float]]) -> dict[str, float]:
    return min(rows, key=lambda r: r["cpu"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playbooks", nargs="+", default=["demo-rail", "sector-bank"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    summary: list[dict[str, object]] = []
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(
        f"{'playbook':<14} {'state':<6} {'CPU s':>7} {'wall s':>7} {'peak RSS MB':>12} "
        f"{'vs off (CPU)':>13}"
    )
    for slug in args.playbooks:
        states: dict[str, list[dict[str, float]]] = {"off": [], "first": [], "warm": []}
        store_mb = 0.0
        for _ in range(args.rounds):
            states["off"].append(run(slug, "off"))
            scratch = tempfile.mkdtemp(prefix="vigie-bench-compile-")
            try:
                states["first"].append(run(slug, scratch))
                states["warm"].append(run(slug, scratch))
                files = Path(scratch).rglob("*")
                store_mb = sum(p.stat().st_size for p in files if p.is_file()) / 1e6
            finally:
                shutil.rmtree(scratch)  # only what this run made
        severities = {r["severity"] for rows in states.values() for r in rows}
        assert len(severities) == 1, f"{slug}: the states decide differently: {severities}"
        off = best(states["off"])["cpu"]
        for state, rows in states.items():
            row = best(rows)
            print(
                f"{slug:<14} {state:<6} {row['cpu']:>7.2f} {row['wall']:>7.2f} "
                f"{row['rss_mb']:>12.0f} {row['cpu'] / off:>12.2f}×"
            )
        print(f"{slug:<14} store on disk: {store_mb:.0f} MB")
        warm = best(states["warm"])["cpu"]
        summary.append(
            {
                "figure": f"fresh process compiles {slug}, store warm (CPU; off: {off:.1f} s)",
                "goal": f"≤ {WARM_GOAL_S:.0f} s",
                "measured": f"{warm:.2f} s",
                "ok": warm <= WARM_GOAL_S,
            }
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
