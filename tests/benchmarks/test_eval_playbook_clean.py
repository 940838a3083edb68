"""benchmarks/eval_playbook.py: harmless real French is counted per part and genre, by the
scenarios behind it, and never printed (issue 13, wave 52). Sentences written for this test."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks import eval_playbook

HARMLESS = "Le musée du chemin de fer ouvre ses portes tous les dimanches de mai."
THREAT = "Je vais te tuer, je sais où tu habites et je viendrai ce soir avec un couteau."


def test_clean_sentences_are_counted_by_part_and_genre_without_their_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "proofreading-fr"
    folder.mkdir()
    rows = [
        {"source_id": "a", "text": HARMLESS, "labels": ["clean"], "meta": {"genre": "news"}},
        {"source_id": "b", "text": THREAT, "labels": ["clean"], "meta": {"genre": "chat"}},
        {"source_id": "c", "text": "Il a mangé", "labels": ["error"], "meta": {"genre": "chat"}},
        {"source_id": "d", "text": HARMLESS, "labels": ["clean"], "meta": {"genre": "chat"}},
    ]
    (folder / "dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    split = tmp_path / "split.json"
    split.write_text(json.dumps({"tuning": {"a": "", "b": ""}, "validation": {"c": "", "d": ""}}))
    monkeypatch.setattr(eval_playbook, "PROOFREAD_SPLIT", split)

    eval_playbook.clean_french("demo-rail", tmp_path, datetime(2026, 1, 5, 10, tzinfo=UTC))

    out = capsys.readouterr().out
    lines = {tuple(line.split()[:2]): line.split()[2:] for line in out.splitlines()[2:]}
    assert lines[("tuning", "(all)")] == ["2", "50.00%", "50.00%"]
    assert lines[("tuning", "chat")] == ["1", "100.00%", "100.00%"]
    assert lines[("validation", "(all)")] == ["1", "0.00%", "0.00%"]  # the error row is left out
    assert "menace" in out.split("behind S3+ (tuning):")[1].splitlines()[0]
    assert HARMLESS not in out and THREAT not in out


def test_a_missing_set_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eval_playbook.clean_french("demo-rail", tmp_path, datetime(2026, 1, 5, 10, tzinfo=UTC))
    assert "proofreading-fr: not found" in capsys.readouterr().out
