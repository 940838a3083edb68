"""`make bench`: every benchmark in turn, then one table: figure, goal, measured, verdict.

Each benchmark runs in its quick mode (`--quick`: smaller sizes, minutes not hours) and writes
its summary lines to a JSON file (`--summary-json`); a benchmark without one shows as a single
line, OK when it exited 0. `--full` runs them at the sizes the issues name.

    python benchmarks/run_all.py [--full] [names…]     e.g. run_all.py playbook proofread
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# name: (script, its own arguments, takes --quick/--summary-json)
BENCHMARKS: dict[str, tuple[str, list[str], bool]] = {
    "playbook": ("bench_playbook.py", [], True),
    "playbook-eval": ("eval_playbook.py", [], False),
    "brands": ("bench_brands.py", [], True),
    "proofread": ("bench_proofread.py", [], True),
    "proofread-injected": ("bench_proofread_synthetic.py", [], True),
    "ingest": ("bench_ingest.py", [], True),
    "ingest-http": ("bench_ingest_http.py", [], True),
    "load": ("bench_load.py", [], True),
    "spikes": ("bench_spikes.py", [], True),
    "proposals": ("bench_proposals.py", [], True),
    "console": ("bench_console.py", [], False),
    "wave": ("bench_wave.py", [], True),
    "reports": ("bench_reports.py", [], True),
    "backtest": ("bench_backtest.py", [], True),
}


def run(name: str, full: bool) -> tuple[list[dict[str, object]], float]:
    script, extra, summarises = BENCHMARKS[name]
    command = [sys.executable, str(HERE / script), *extra]
    handle, summary_path = tempfile.mkstemp(prefix=f"vigie-bench-{name}-", suffix=".json")
    os.close(handle)
    if summarises:
        command += ["--summary-json", summary_path] + ([] if full else ["--quick"])
    print(f"\n=== {name} ===", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    code = subprocess.call(command, cwd=ROOT, env=env)
    seconds = time.perf_counter() - started
    try:
        lines = json.loads(Path(summary_path).read_text() or "[]") if summarises else []
    except json.JSONDecodeError:
        lines = []
    finally:
        Path(summary_path).unlink(missing_ok=True)
    if not lines:
        lines = [
            {
                "figure": f"{name} (see its output above)",
                "goal": "its goals",
                "measured": f"exit {code}",
                "ok": code == 0,
            }
        ]
    return lines, seconds


def table(rows: list[dict[str, object]]) -> str:
    head = ("figure", "goal", "measured", "verdict")
    cells = [
        (str(r["figure"]), str(r["goal"]), str(r["measured"]), "OK" if r["ok"] else "NOT MET")
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(4)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(head), line(tuple("-" * w for w in widths))] + [line(c) for c in cells]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    full = "--full" in argv
    names = [a for a in argv if a != "--full"] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
        return 2
    rows: list[dict[str, object]] = []
    for name in names:
        lines, seconds = run(name, full)
        rows += lines
        print(f"({name}: {seconds:.0f} s)", flush=True)
    print(
        f"\n{'full' if full else 'quick'} run; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores (a shared machine slows every figure)\n"
    )
    print(table(rows))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
