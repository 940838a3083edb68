"""`make bench` (benchmarks/run_all.py): one table whatever the benchmarks do, and benchmarks
that keep to their own databases and files (issue 11, §6). No database, seconds."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from benchmarks import run_all
from benchmarks.support import ScratchDatabases

BENCH_DIR = Path(run_all.__file__).resolve().parent


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("import sys, json, time\n" + textwrap.dedent(body))
    return str(path)  # absolute: run_all's folder / an absolute path is that path


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = """
        out = sys.argv[sys.argv.index("--summary-json") + 1]
        assert "--quick" in sys.argv
        json.dump([{"figure": "speed", "goal": ">= 10/s", "measured": "12/s", "ok": True},
                   {"figure": "memory", "goal": "<= 5 MB", "measured": "7 MB", "ok": False}],
                  open(out, "w"))
        sys.exit(1)
    """
    benches = {
        "summarised": run_all.Benchmark(script(tmp_path, "a.py", summary)),
        "crashes": run_all.Benchmark(script(tmp_path, "b.py", "raise RuntimeError('boom')\n")),
        "plain": run_all.Benchmark(script(tmp_path, "c.py", "pass\n"), summarises=False),
        "slow": run_all.Benchmark(script(tmp_path, "d.py", "time.sleep(60)\n"), limit_s=1),
    }
    monkeypatch.setattr(run_all, "BENCHMARKS", benches)


@pytest.mark.usefixtures("fakes")
def test_one_table_with_a_failed_row_for_what_crashed_or_overran(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_all.main([])
    out = capsys.readouterr().out
    table = out[out.index("figure  ") :].splitlines()
    at = table[0].index("verdict")
    rows = {line.split()[0]: line[at:] for line in table[2:]}
    assert code == 1
    assert rows == {
        "speed": "OK",
        "memory": "NOT MET",
        "crashes": "FAILED",
        "plain": "OK",
        "slow": "FAILED",
    }
    assert "stopped after 1 s" in out
    assert re.search(r"load average [\d.]+–[\d.]+ on \d+ cores", out)
    assert all(len(line) <= len(table[1]) for line in table)  # columns aligned


def test_verdicts() -> None:
    verdicts = [run_all.verdict(ok) for ok in (True, False, "info", None)]
    assert verdicts == ["OK", "NOT MET", "-", "FAILED"]


def test_unknown_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_all.main(["no-such-bench"]) == 2
    assert "known:" in capsys.readouterr().out


def test_every_benchmark_exists_and_takes_what_run_all_passes() -> None:
    for name, bench in run_all.BENCHMARKS.items():
        source = (BENCH_DIR / bench.script).read_text()
        for flag in [*bench.args, *bench.quick]:
            if flag.startswith("--"):
                assert f'"{flag}"' in source, (name, flag)
        assert ('"--summary-json"' in source) == bench.summarises, name


def test_every_benchmark_is_in_make_bench() -> None:
    scripts = {bench.script for bench in run_all.BENCHMARKS.values()}
    assert {p.name for p in BENCH_DIR.glob("bench_*.py")} <= scripts


def test_database_names_are_unique_per_run_and_say_whose() -> None:
    first, second = ScratchDatabases("vigie_bench_x"), ScratchDatabases("vigie_bench_x")
    names = [first.new_name(), first.new_name(), second.new_name()]
    assert len(set(names)) == 3
    assert all(re.fullmatch(r"vigie_bench_x_\d+_[0-9a-f]{8}", n) for n in names)


def test_only_support_creates_or_drops_databases_and_temp_folders_are_removed() -> None:
    for path in BENCH_DIR.glob("*.py"):
        source = path.read_text()
        if path.name != "support.py":
            assert not re.search(r"(CREATE|DROP) DATABASE", source, re.I), path.name
        if "mkdtemp(" in source:
            assert "rmtree(" in source, f"{path.name}: a temporary folder left behind"
