"""First proofreads of a fresh process, sixteen at once: no exception, same answers.

Each case runs in a new interpreter so Grammalecte and wordfreq are really cold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys, threading
from canned_replies import warmup
from canned_replies.proofreading import proofread

if sys.argv[1] == "warm":
    warmup.warm_up()
texts = [
    ("Bonjour, nous avons bien recu votre mesage.", "fr"),
    ("Les colis est en route, merci de votre patiance.", "fr"),
    ("Hello, we has received your mesage.", "en"),
    ("Merci Julie, votre commande part demain.", "fr"),
]
barrier = threading.Barrier(16)
results, errors = {}, []

def run(i):
    text, lang = texts[i % len(texts)]
    barrier.wait()
    try:
        results[i] = sorted(f.rule for f in proofread(text, lang))
    except Exception as exc:  # the defect: AttributeError / KeyError from a half-loaded engine
        errors.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=run, args=(i,)) for i in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"errors": errors, "results": results}))
"""


@pytest.mark.parametrize("mode", ["cold", "warm"])
def test_sixteen_first_proofreads_in_a_fresh_process(grammalecte: None, mode: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    results = {int(k): v for k, v in report["results"].items()}
    assert len(results) == 16
    # The same text gives the same findings in every thread, and the typos are found.
    for i in range(4):
        assert all(results[j] == results[i] for j in range(i, 16, 4))
    assert results[0] and results[1] and results[2]
    assert results[3] == []


def test_warm_up_is_configurable() -> None:
    from canned_replies import warmup

    assert warmup.enabled({})
    assert not warmup.enabled({"VIGIE_WARM_UP": "0"})
    assert warmup.enabled({"VIGIE_WARM_UP": "1"})
