"""Experiment (issue 11 §3): does compiling the triage hot path with mypyc make it fast enough?

Run (from the worktree; nothing is downloaded, mypyc and gcc come with the venv and the image):
    .venv/bin/python benchmarks/exp_mypyc.py build     # C extensions beside the .py (~1-2 min)
    .venv/bin/python benchmarks/exp_mypyc.py stages    # µs per mention and stage, this process
    .venv/bin/python benchmarks/exp_mypyc.py ab 3      # pure vs compiled, back to back, 3 rounds
    .venv/bin/python benchmarks/exp_mypyc.py clean     # remove the extensions (pure Python again)

`build` compiles MODULES (the .py files stay the only source: Python imports an extension
module before the .py of the same name, and `clean` gives the pure package back). `stages` runs
each stage of triage as ingest runs it over every mention (normalise, language, SMS, fuzzy,
term scan, scorer in batches of 500, decide with the prepared text, evidence, to_dict), best of
3 rounds of CPU time. `ab` parks the extensions in a temporary directory for the pure rounds.

Findings (2026-12-04, 2 shared cores at load 5-11; CPU time, 2,000 mentions, best of 3 each):
- Compiled: normalize, text_shifts, matcher, evidence, facts, engine, model, priority, scope,
  language, scorer/runtime, scorer/features (12 modules; build 56-60 s wall, ~30 s CPU).
- Not compiled as they stand: key_automaton and fuzzy (native classes cannot be weakly
  referenced; their shared automata / indexes live in `WeakValueDictionary`s: "cannot create
  weak reference to 'KeyAutomaton' object"); conditions/* (below).
- With the 12, decisions are unchanged (test_decision_agreement.py: 6 passed; note that
  `pytest tests/playbooks -k golden` selects no test at all) and tests/playbooks gives 1,201
  passed, 7 failed: test_model_condition.py's FakeScorer is not a `Scorer`, and a compiled
  `get_scorer` checks its declared return type ("Scorer or None object expected").
- Per stage, pure → compiled, µs per mention (5 back-to-back pairs): normalise 22-25 → 22-23,
  language 8.3-9.1 → 8.2-8.4, SMS 4.1-4.5 → 3.9-4.5, fuzzy 6.5-7.4 → 6.5-7.0, term scan 22-28
  → 21-25, scorer 32-41 → 31-36, decide 25-33 → 20-30, evidence 43-52 → 31-37 (×1.4),
  to_dict 12.1-12.2 → 9.4-9.6 (×1.3); total 190.7 → 161.0, 181.1 → 170.6, 197.1 → 182.6,
  208.1 → 178.4, 204.4 → 170.5 µs: ×1.18, 1.06, 1.08, 1.17, 1.20 (mean ×1.14).
- bench_playbook.py --n 5000 --repeat 3 --no-memory, as ingest runs it: pure 3,739 and 4,076,
  compiled 5,535 and 5,066 mentions/s (load 5.5-6.3: the same pairs' other rows moved by
  -8% to +23%, too noisy to read alone). callgrind was tried for instruction counts: loading
  the 550k-term playbook under it took > 7 CPU-minutes per arm, abandoned.
- conditions/ (the most called code, `AnyOf.test`), tried on a scratch copy: needs `@register`
  turned into `register(Cls)` calls (a decorated class is not native, and a non-native class
  may not derive from the native `Condition`), `mypyc_attr(allow_interpreted_subclasses=True)`
  on `Condition` (a test subclasses it in Python), `Finding` without its slot-setter
  `__init__`; mypyc 2.4.1 then emits C that does not compile for the modules importing
  pydantic beside base ("CPyModule_pydantic___main undeclared": author, clock, decision,
  review, thread), and with those left out the playbook no longer loads ("type object
  'Lexicon' has no attribute 'value_type'": the ClassVars set by compiled subclasses). Left.
Why so little: the stages already spend most of their time inside C (re, str.translate,
bytes.translate, str.split/join, pyahocorasick, numpy, dict/set operations) that mypyc calls
the same way; it removes only the interpreter's dispatch between those calls, and the code is
written with few of them (sessions of micro-tweaks took them out already). Evidence, decide and
to_dict, mostly Python attribute work and small objects, gain the most.
Below the ×1.3 asked for wiring it into `make setup`: not wired in. Reaching 20,000/s (50 µs a
mention, against ~180 today) needs fewer passes, not faster glue: one C pass that folds,
masks, de-leets and collapses while it scans terms (normalise alone is 22 µs, the whole floor
20 µs), the scorer's features read from the same scan, and the evidence rows written from the scan's
hits in one step (31-37 µs compiled today) — each a change of design, not of compiler.
"""

from __future__ import annotations

import gc
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

MODULES = [
    "playbooks/normalize.py",
    "playbooks/text_shifts.py",
    "playbooks/matcher.py",
    "playbooks/evidence.py",
    "playbooks/facts.py",
    "playbooks/engine.py",
    "playbooks/model.py",
    "playbooks/priority.py",
    "playbooks/scope.py",
    "playbooks/language.py",
    "playbooks/scorer/runtime.py",
    "playbooks/scorer/features.py",
]


def extensions() -> list[Path]:
    """The compiled modules beside their sources, and mypyc's shared runtime library."""
    return [*ROOT.glob("playbooks/**/*.so"), *ROOT.glob("*__mypyc*.so")]


def build() -> None:
    """Compile MODULES in place (C sources and objects under build/mypyc)."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    os.chdir(ROOT)
    t0 = time.perf_counter()
    ext = mypycify(["--ignore-missing-imports", *MODULES], target_dir="build/mypyc")
    # A bare Distribution: setup() would read pyproject.toml, whose license field this
    # setuptools rejects.
    dist = Distribution({"name": "vigie-mypyc", "ext_modules": ext})
    cmd = dist.get_command_obj("build_ext")
    cmd.inplace = True  # type: ignore[attr-defined]
    cmd.build_temp = "build/mypyc/tmp"  # type: ignore[attr-defined]
    dist.run_command("build_ext")
    print(f"built {len(MODULES)} modules in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def clean() -> None:
    """Remove every compiled module: the package is pure Python again."""
    for path in extensions():
        path.unlink()


def stages(n: int) -> None:
    """µs per mention of each stage of triage as ingest runs it, best of 3 rounds."""
    import bench_playbook as bench

    from playbooks import BrandContext, MentionInput
    from playbooks import normalize as normalize_module
    from playbooks.engine import PreparedText
    from playbooks.scorer import get_scorer

    normalize = normalize_module.normalize
    rng = random.Random(bench.SEED)
    terms = bench.synthetic_terms(5000, rng)
    texts = bench.mentions(n, rng, terms)
    playbook = bench.build_playbook(terms)
    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    context = BrandContext()
    inputs = [MentionInput(t, channel="x") for t in texts]
    for m in inputs[:500]:  # warm-up (word caches)
        playbook.decide(m, context, now).to_dict()
    scorer = get_scorer()
    index = playbook.index
    clock = time.process_time
    best: dict[str, float] = {}
    for _ in range(3):
        gc.disable()
        took: dict[str, float] = {}
        t0 = clock()
        nts = [normalize(t, index.unmask) for t in texts]
        took["normalise"] = clock() - t0
        t0 = clock()
        langs = [playbook.language_of(m, nt) for m, nt in zip(inputs, nts, strict=True)]
        took["language"] = clock() - t0
        t0 = clock()
        expanded = []
        for nt, lang in zip(nts, langs, strict=True):
            expand = playbook.sms.get(lang)
            expanded.append(expand(nt) if expand is not None else nt)
        took["sms"] = clock() - t0
        t0 = clock()
        nts = [index.correct(nt, lang) for nt, lang in zip(expanded, langs, strict=True)]
        took["fuzzy"] = clock() - t0
        t0 = clock()
        hits = [index.scan(nt, lang) for nt, lang in zip(nts, langs, strict=True)]
        took["term scan"] = clock() - t0
        t0 = clock()
        scores = []
        for i in range(0, n, 500):
            batch = nts[i : i + 500]
            scores += scorer.score_many([nt.text for nt in batch], [nt.words() for nt in batch])
        took["scorer"] = clock() - t0
        prepared = [
            PreparedText(nt, lang, set(h), h, s)
            for nt, lang, h, s in zip(nts, langs, hits, scores, strict=True)
        ]
        t0 = clock()
        decisions = [
            playbook.decide(m, context, now, explain=True, prepared=p)
            for m, p in zip(inputs, prepared, strict=True)
        ]
        took["decide"] = clock() - t0
        t0 = clock()
        for d in decisions:
            _ = d.evidence
        took["evidence"] = clock() - t0
        t0 = clock()
        for d in decisions:
            d.to_dict()
        took["to_dict"] = clock() - t0
        gc.enable()
        for stage, seconds in took.items():
            best[stage] = min(best.get(stage, float("inf")), seconds)
    total = sum(best.values())
    compiled = normalize_module.__file__ is not None and normalize_module.__file__.endswith(".so")
    print(
        ("compiled: " if compiled else "pure:     ")
        + "  ".join(f"{stage} {s / n * 1e6:.1f}" for stage, s in best.items())
        + f" | total {total / n * 1e6:.1f} µs = {n / total:,.0f}/s"
    )


def ab(rounds: int, n: int) -> None:
    """Pure and compiled `stages`, back to back, `rounds` times (extensions parked meanwhile)."""
    built = extensions()
    if not built:
        sys.exit("no compiled modules: run `build` first")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "stages", str(n)]
    with tempfile.TemporaryDirectory(prefix="vigie-mypyc-") as parked:
        moved = [(path, Path(parked) / str(i)) for i, path in enumerate(built)]
        try:
            for _ in range(rounds):
                for path, away in moved:
                    shutil.move(path, away)
                subprocess.run(command, env=env, check=True)
                for path, away in moved:
                    shutil.move(away, path)
                subprocess.run(command, env=env, check=True)
        finally:
            for path, away in moved:
                if away.exists():
                    shutil.move(away, path)


def main() -> None:
    """Dispatch the sub-command."""
    what = sys.argv[1] if len(sys.argv) > 1 else "stages"
    if what == "build":
        build()
    elif what == "clean":
        clean()
    elif what == "stages":
        stages(int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
    elif what == "ab":
        ab(int(sys.argv[2]) if len(sys.argv) > 2 else 3, 2000)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
