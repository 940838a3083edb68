"""Lexicon automata kept on disk across processes (playbooks.automaton_store): a process that
finds them decides exactly as one that compiled them, and a damaged, foreign or shared file is
never read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import weakref
from datetime import UTC, datetime
from pathlib import Path

import pytest

from playbooks import (
    BrandContext,
    MentionInput,
    automaton_store,
    lexicon_units,
    load_playbook,
    matcher,
)
from playbooks.key_automaton import KeyAutomaton, compiled

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PLAYBOOK = """format: 1
name: Test
languages: [fr, en]
lexicons:
  menaces: {files: {fr: menaces.txt}, fuzzy: true}
  insultes: {files: {fr: insultes.txt}, forms: true}
  marque: {terms: [gamme42]}
scenarios:
  - id: menace
    label: Menace
    severity: S4
    when: {lexicon: menaces}
  - id: insulte
    label: Insulte
    severity: S3
    when: {lexicon: insultes}
  - id: produit
    label: Produit
    severity: S1
    when: {lexicon: marque}
"""
THREATS = """{je vais|on va} {buter|défoncer|égorger} {le contrôleur|la guichetière|ton chef}
je sais où tu habites
!je vais buter le chrono
vous allez le regretter
"""
INSULTS = "connard\nespèce de crétin\nbouffon\n🤡\n"
TEXTS = [
    "je vais buter le contrôleur demain",
    "on va égorger ton chef",
    "je vais buter le chrono samedi",
    "je sias où tu habites",
    "espèce de crétin, bande de connards 🤡",
    "ma gamme42 est top",
    "vous allez le regreter",
    "rien à signaler",
]


def _files(folder: Path) -> Path:
    (folder / "menaces.txt").write_text(THREATS, encoding="utf-8")
    (folder / "insultes.txt").write_text(INSULTS, encoding="utf-8")
    return folder


def _decisions(book) -> list[dict]:
    out = []
    for text in TEXTS:
        d = book.decide(MentionInput(text=text, lang="fr"), BrandContext(), NOW, explain=True)
        out.append(d.to_dict())
    return out


def _as_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process compiled, as a fresh worker knows nothing."""
    lexicon_units.forget()
    monkeypatch.setattr(matcher, "_LAYOUTS", weakref.WeakValueDictionary())


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "lexicon-automata"


def test_a_process_reading_the_store_decides_as_one_that_compiled(tmp_path, store, monkeypatch):
    folder = _files(tmp_path)
    _as_new_process(monkeypatch)
    first = load_playbook(PLAYBOOK, base_dir=folder)
    reference = _decisions(first)
    assert reference[0]["severity"] == "S4" and reference[2]["severity"] != "S4"
    assert len(list(store.glob("*.automaton"))) == 1
    assert len(list(store.glob("*.facts"))) == 2  # one per lexicon file

    del first
    _as_new_process(monkeypatch)
    read: list[tuple] = []
    add = matcher.TermIndex.add

    def spy(*args, **kwargs):
        read.append(args)
        add(*args, **kwargs)

    monkeypatch.setattr(matcher.TermIndex, "add", spy)
    again = load_playbook(PLAYBOOK, base_dir=folder)
    # only the playbook's own term was indexed: the files came from the store
    assert [a[2] for a in read] == ["gamme42"]
    assert _decisions(again) == reference


def test_a_restored_automaton_finds_what_the_built_one_finds():
    table = {
        " je vais buter le contrôleur ": (0, "je vais buter le contrôleur"),
        " je vais buter la guichetière ": (0, "je vais buter la guichetière"),
        " je vais buter ": (2, "je vais buter"),
        " crétin ": [(0, "crétin"), (1, "crétin")],
        "con ": (3, "con*"),
        " 🤡": (4, "🤡"),
    }
    built = compiled(dict(table))
    facts, sections = built.export()
    restored = KeyAutomaton.restored(json.loads(json.dumps(facts)), dict(sections))
    for text in [" je vais buter le contrôleur 🤡 ", " un crétin de con ", " rien "]:
        assert restored.iter(text) == built.iter(text)
        assert restored.values(text) == built.values(text)
        assert [restored.locate(v) for _, v in restored.iter(text)] == [
            built.locate(v) for _, v in built.iter(text)
        ]
    assert list(restored.terms) == list(built.terms)


def test_a_damaged_file_is_a_miss_and_is_removed(tmp_path, store, monkeypatch):
    folder = _files(tmp_path)
    _as_new_process(monkeypatch)
    reference = _decisions(load_playbook(PLAYBOOK, base_dir=folder))
    (path,) = store.glob("*.automaton")
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF  # one byte of the automaton flipped
    path.write_bytes(bytes(data))
    _as_new_process(monkeypatch)
    assert automaton_store.load_automaton(path.name.split("-", 1)[1][: -len(".automaton")]) is None
    assert not path.exists()
    assert _decisions(load_playbook(PLAYBOOK, base_dir=folder)) == reference

    for facts in store.glob("*.facts"):  # cut short: a torn write
        facts.write_bytes(facts.read_bytes()[:40])
    _as_new_process(monkeypatch)
    assert _decisions(load_playbook(PLAYBOOK, base_dir=folder)) == reference


def test_other_code_versions_miss(tmp_path, store, monkeypatch):
    folder = _files(tmp_path)
    _as_new_process(monkeypatch)
    load_playbook(PLAYBOOK, base_dir=folder)
    monkeypatch.setattr(automaton_store, "_fingerprint", "0" * 16)  # another release
    _as_new_process(monkeypatch)
    load_playbook(PLAYBOOK, base_dir=folder)
    assert len(list(store.glob("*.automaton"))) == 2  # compiled again, under its own name


def test_a_store_others_may_write_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "lexicon-automata").mkdir(parents=True)
    os.chmod(shared / "lexicon-automata", 0o777)
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(shared))
    assert automaton_store.directory() is None
    monkeypatch.setenv("VIGIE_CACHE_DIR", "off")
    assert automaton_store.directory() is None
    monkeypatch.setenv("VIGIE_CACHE_DIR", str(tmp_path / "private"))
    where = automaton_store.directory()
    assert where is not None and (where.stat().st_mode & 0o077) == 0


def test_the_store_keeps_the_recently_used_automata_within_its_budget(tmp_path, store, monkeypatch):
    store.mkdir(parents=True)
    for i in range(4):
        path = store / f"{automaton_store.fingerprint()}-old{i}.automaton"
        path.write_bytes(b"x" * 600_000)
        os.utime(path, (1_000 + i, 1_000 + i))
    monkeypatch.setenv("VIGIE_CACHE_MB", "1")
    _as_new_process(monkeypatch)
    load_playbook(PLAYBOOK, base_dir=_files(tmp_path))  # writes the newest
    left = sorted(p.name.split("-", 1)[1] for p in store.glob("*.automaton"))
    # the one just written, then the most recently used old one: 1 MB holds no more
    assert len(left) == 2 and "old3.automaton" in left


SCRIPT = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from playbooks import BrandContext, MentionInput, load_playbook
book = load_playbook(sys.argv[1], base_dir=Path(sys.argv[2]))
now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
texts = json.loads(sys.argv[3])
print(json.dumps([
    book.decide(MentionInput(text=t, lang="fr"), BrandContext(), now, explain=True).to_dict()
    for t in texts
]))
"""


def test_processes_compiling_at_once_into_an_empty_store_agree(tmp_path):
    """Two fresh processes write the same automaton at the same moment; a third reads it."""
    folder = _files(tmp_path)
    env = {**os.environ, "VIGIE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", SCRIPT, PLAYBOOK, str(folder), json.dumps(TEXTS)]

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)

    racing = [start(), start()]
    outputs = [p.communicate(timeout=240)[0] for p in racing]
    assert all(p.returncode == 0 for p in racing)
    store = tmp_path / "cache" / "lexicon-automata"
    assert len(list(store.glob("*.automaton"))) == 1
    assert not list(store.glob(".tmp-*"))  # each writer renamed its whole file into place
    third = start()
    outputs.append(third.communicate(timeout=240)[0])
    assert third.returncode == 0
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])[0]["severity"] == "S4"


def test_a_full_disk_loses_nothing_but_time(tmp_path, store, monkeypatch):
    """A write that fails leaves no file behind and the playbook compiled as usual."""
    folder = _files(tmp_path)
    _as_new_process(monkeypatch)
    reference = _decisions(load_playbook(PLAYBOOK, base_dir=folder))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    for old in store.iterdir():
        old.unlink()
    monkeypatch.setattr(automaton_store.os, "replace", full)
    _as_new_process(monkeypatch)
    assert _decisions(load_playbook(PLAYBOOK, base_dir=folder)) == reference
    assert list(store.iterdir()) == []


def test_other_releases_unused_for_a_month_and_killed_writes_are_removed(
    tmp_path, store, monkeypatch
):
    store.mkdir(parents=True)
    month = 31 * 86400
    old_release = store / "0123456789abcdef-abc.facts"
    recent_release = store / "fedcba9876543210-abc.automaton"
    killed = store / ".tmp-killed"
    mine = store / f"{automaton_store.fingerprint()}-old.facts"
    for path in (old_release, recent_release, killed, mine):
        path.write_bytes(b"x")
    for path in (old_release, killed, mine):
        os.utime(path, (path.stat().st_mtime - month,) * 2)
    _as_new_process(monkeypatch)
    load_playbook(PLAYBOOK, base_dir=_files(tmp_path))  # a write prunes
    assert not old_release.exists() and not killed.exists()
    assert recent_release.exists()  # another release still in use here
    assert mine.exists()  # this release's facts: small, kept
