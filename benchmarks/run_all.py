"""`make bench`: every benchmark in turn, at the sizes the issues name; prints the figures.

Pass names to run only some: python benchmarks/run_all.py playbook proofread
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "playbook": ["bench_playbook.py"],
    "playbook-eval": ["eval_playbook.py"],
    "proofread": ["bench_proofread.py"],
    "ingest": ["bench_ingest.py"],
    "ingest-http": ["bench_ingest_http.py"],
    "console": ["bench_console.py"],
}


def main(names: list[str]) -> int:
    failures = 0
    for name in names or list(BENCHMARKS):
        command = [sys.executable, str(HERE / BENCHMARKS[name][0]), *BENCHMARKS[name][1:]]
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        failures += subprocess.call(command) != 0
        print(f"({name}: {time.perf_counter() - started:.0f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
