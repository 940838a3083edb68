"""`make bench`: every benchmark in turn, then one table: figure, goal, measured, verdict.

Each benchmark runs in its quick mode (smaller sizes where the figure keeps its meaning: minutes,
not hours) and writes its summary lines to a JSON file (`--summary-json`); a benchmark without
one shows as a single line, OK when it exited 0. A benchmark that crashes, or outlasts its time
limit, shows as a FAILED line: the table is printed whatever happens. `--full` runs them at the
sizes the issues name.

    python benchmarks/run_all.py [--full] [names…]     e.g. run_all.py playbook proofread
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
INTERRUPT_GRACE_S = 90  # after Ctrl-C, a benchmark drops its databases before it is killed


@dataclass(frozen=True)
class Benchmark:
    script: str
    args: list[str] = field(default_factory=list)  # always passed
    quick: list[str] = field(default_factory=lambda: ["--quick"])  # only without --full
    summarises: bool = True  # takes --summary-json
    limit_s: int = 900  # killed after this (quick run; four times as long with --full)


# Every goal of issue 11 (§2 ingest over HTTP, §3 triage, §4 20 brands, §5 console load), issue
# 13's throughput and memory (playbook) and issue 19's latency (proofread), plus the older ones.
BENCHMARKS: dict[str, Benchmark] = {
    "playbook": Benchmark("bench_playbook.py"),
    "playbook-eval": Benchmark("eval_playbook.py", quick=[], summarises=False),
    "brands": Benchmark("bench_brands.py"),
    # A fresh process's playbook compilation without, writing and reading the lexicon store.
    "compile": Benchmark("bench_compile.py", quick=["--playbooks", "demo-rail", "--rounds", "1"]),
    "brand-lexicons": Benchmark("bench_brand_lexicons.py", quick=[], summarises=False),
    "proofread": Benchmark("bench_proofread.py"),
    "proofread-injected": Benchmark("bench_proofread_synthetic.py"),
    # First suggestion right on slips of a writer's slip model (step 43), two hash halves.
    "proofread-suggestions": Benchmark("bench_suggestions.py"),
    # Precision of each blocking rule group with its Wilson bound (issue 19, step 28).
    "proofread-blocking": Benchmark("bench_blocking_precision.py", quick=[], summarises=False),
    # Clean formal French written for step 42 (in-sample): the sentences blocked (printed).
    "proofread-formal": Benchmark("bench_formal_register.py", quick=[], summarises=False),
    # English spelling: clean blocked, slips caught, first suggestion, CPU per check (printed).
    "proofread-en": Benchmark("bench_proofread_en.py", quick=[], summarises=False),
    "ingest": Benchmark("bench_ingest.py"),
    "ingest-http": Benchmark("bench_ingest_http.py", limit_s=1200),
    # Single posts only, with the batch sizes the group commit formed (read from xmin); its
    # rate is also a row of ingest-http.
    "ingest-singles": Benchmark(
        "bench_ingest_singles.py", quick=["--rounds", "1"], summarises=False
    ),
    # The load goals are about 50 and 150 CMs: the quick run keeps them and shortens the time.
    "load-50": Benchmark(
        "bench_load.py",
        ["--cms", "50", "--workers", "2", "--goal-ms", "300"],
        quick=["--seconds", "30", "--mentions", "1000"],
    ),
    "load-150": Benchmark(
        "bench_load.py",
        ["--cms", "150", "--workers", "4", "--goal-ms", "500"],
        quick=["--seconds", "30", "--mentions", "1000"],
    ),
    "spikes": Benchmark("bench_spikes.py"),
    "proposals": Benchmark("bench_proposals.py"),
    "console": Benchmark("bench_console.py"),
    "wave": Benchmark("bench_wave.py"),
    "reports": Benchmark("bench_reports.py"),
    "backtest": Benchmark("bench_backtest.py"),
}


def failed(name: str, why: str) -> dict[str, object]:
    return {"figure": f"{name} (see its output above)", "goal": "runs", "measured": why, "ok": None}


def run(name: str, full: bool) -> tuple[list[dict[str, object]], float]:
    """Run one benchmark; its summary lines, or one line saying how it ended without them."""
    bench = BENCHMARKS[name]
    command = [sys.executable, str(HERE / bench.script), *bench.args]
    if not full:
        command += bench.quick
    handle, summary_path = tempfile.mkstemp(prefix=f"vigie-bench-{name}-", suffix=".json")
    os.close(handle)
    if bench.summarises:
        command += ["--summary-json", summary_path]
    print(f"\n=== {name}: {' '.join(command[1:])} ===", flush=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    started = time.perf_counter()
    limit = bench.limit_s * (4 if full else 1)
    try:
        code: int | str = wait(
            subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True), limit
        )
        lines = json.loads(Path(summary_path).read_text() or "[]") if bench.summarises else []
    except (OSError, json.JSONDecodeError) as error:
        code, lines = f"error: {error}", []
    finally:
        Path(summary_path).unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    if isinstance(code, str):
        lines = [failed(name, code)]  # a partial summary would hide what did not run
    elif not lines:
        lines = [
            {
                "figure": f"{name} (see its output above)",
                "goal": "exits 0" if code == 0 else "runs",
                "measured": f"exit {code}",
                "ok": True if code == 0 else None,
            }
        ]
    return lines, seconds


def wait(process: subprocess.Popen[bytes], limit_s: float) -> int | str:
    """The exit code, or why the benchmark was stopped (it runs in a session of its own: the
    server it started goes with it). Interrupted first, so that it drops its databases."""
    try:
        return process.wait(timeout=limit_s)
    except subprocess.TimeoutExpired:
        why = f"stopped after {limit_s:.0f} s"
    except KeyboardInterrupt:
        why = "interrupted"
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=INTERRUPT_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if why == "interrupted":
        raise KeyboardInterrupt
    return why


def verdict(ok: object) -> str:
    """A line's `ok`: True, False, "info" (a figure shown, no goal), None (did not run)."""
    return {True: "OK", False: "NOT MET", "info": "-"}.get(ok, "FAILED")  # type: ignore[call-overload]


def table(rows: list[dict[str, object]]) -> str:
    head = ("figure", "goal", "measured", "verdict")
    cells = [(str(r["figure"]), str(r["goal"]), str(r["measured"]), verdict(r["ok"])) for r in rows]
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
    loads, started = [os.getloadavg()[0]], time.perf_counter()
    for name in names:
        lines, seconds = run(name, full)
        rows += lines
        loads.append(os.getloadavg()[0])
        print(f"({name}: {seconds:.0f} s)", flush=True)
    print(
        f"\n{'full' if full else 'quick'} run, {(time.perf_counter() - started) / 60:.0f} min; "
        f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores (wall-clock "
        "figures are pessimistic on a shared machine; CPU and counts hold)\n"
    )
    print(table(rows))
    return 0 if all(r["ok"] in (True, "info") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
