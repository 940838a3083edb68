"""The batch helpers and `python -m playbooks` that the app's CLI wraps."""

from __future__ import annotations

import io
import json
from pathlib import Path

from playbooks import Playbook, classify_jsonl
from playbooks.__main__ import main


def test_classify_jsonl_writes_one_decision_per_line(rail: Playbook) -> None:
    src = io.StringIO(
        json.dumps({"id": "1", "text": "bande de cons"})
        + "\n\n"
        + json.dumps({"id": "2", "text": "merci !", "author": {"tier": "Or"}})
        + "\n"
        + "not json\n"
    )
    out = io.StringIO()
    assert classify_jsonl(rail, src, out) == 3
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("id") for r in rows[:2]] == ["1", "2"]
    assert rows[0]["severity"] == "S3" and rows[1]["severity"] == "S1"
    assert "error" in rows[2]


def test_cli_validate_and_test(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert main(["validate", "demo-shop"]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["test", "demo-rail", "je vais vous buter"]) == 0
    assert "S4" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 2\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    assert f"{bad}:1:9:" in capsys.readouterr().err
