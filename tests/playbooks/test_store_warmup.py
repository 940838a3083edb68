"""The shipped playbooks put in the lexicon store ahead of their first use
(playbooks.store_warmup): once per release, one process at a time."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playbooks import store_warmup

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = """format: 1
name: Test
languages: [fr]
lexicons:
  menaces: {files: {fr: menaces.txt}}
scenarios:
  - id: menace
    label: Menace
    severity: S4
    when: {lexicon: menaces}
"""


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "menaces.txt").write_text("{je vais|on va} buter le contrôleur\n")
    path = tmp_path / "petit.yaml"
    path.write_text(PLAYBOOK)
    return path


def test_prepared_once_per_release(small, tmp_path):
    assert store_warmup.missing()
    assert store_warmup.prepare([small]) == 1
    store = tmp_path / "cache" / "lexicon-automata"
    assert len(list(store.glob("*.automaton"))) == 1
    assert not store_warmup.missing()
    assert store_warmup.prepare([small]) == 0  # the marker says it is done


def test_one_process_at_a_time(small):
    ready = store_warmup.marker()
    assert ready is not None
    with open(ready.with_suffix(".lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process is preparing them
        assert store_warmup.prepare([small]) == 0
    assert store_warmup.missing()


def test_nothing_to_do_without_a_store(small, monkeypatch):
    monkeypatch.setenv("VIGIE_CACHE_DIR", "off")
    assert not store_warmup.missing()
    assert store_warmup.prepare([small]) == 0


def test_the_command_leaves_when_the_release_is_prepared(tmp_path):
    """`python -m playbooks.store_warmup` as start-up runs it: done, it exits at once."""
    env = {**os.environ, "VIGIE_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)

    ready = run("-c", "from playbooks import store_warmup; print(store_warmup.marker())")
    Path(ready.stdout.strip()).touch()
    done = run("-m", "playbooks.store_warmup")
    assert done.returncode == 0 and not list(tmp_path.rglob("*.automaton"))
