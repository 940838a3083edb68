import io
import json
import os
import subprocess
import sys

import pytest

from canned_replies import proofread_jsonl

pytestmark = pytest.mark.usefixtures("grammalecte")


def test_jsonl_keeps_fields_and_adds_findings():
    lines = [
        {"id": 1, "text": "Nous somme désolés."},
        {"id": 2, "text": "Merci pour votre message !"},
        "Ferlys vous remercie.",
    ]
    in_stream = io.StringIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    out_stream = io.StringIO()
    flagged = proofread_jsonl("fr", in_stream, out_stream, dictionary=["Ferlys"])
    results = [json.loads(line) for line in out_stream.getvalue().splitlines()]
    assert flagged == 1
    assert results[0]["id"] == 1 and results[0]["findings"][0]["start"] == 5
    assert results[1]["findings"] == []
    assert results[2] == {"text": "Ferlys vous remercie.", "findings": []}
    assert results[0]["findings"][0]["blocking"] is True


def test_jsonl_marks_advice_as_not_blocking_and_does_not_count_it():
    in_stream = io.StringIO(json.dumps({"text": "Merci du fond du coeur."}) + "\n")
    out_stream = io.StringIO()
    flagged = proofread_jsonl("fr", in_stream, out_stream)
    (result,) = [json.loads(line) for line in out_stream.getvalue().splitlines()]
    assert flagged == 0
    assert [(f["suggestions"][0], f["blocking"]) for f in result["findings"]] == [("cœur", False)]


def test_module_command_line(tmp_path):
    dictionary = tmp_path / "brand.txt"
    dictionary.write_text("# brand terms\nFerlys\n", encoding="utf-8")
    command = [sys.executable, "-m", "canned_replies.proofread", "--lang", "fr"]
    ok = subprocess.run(
        [*command, "--dictionary", str(dictionary)],
        input="Ferlys vous remercie.",
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [*command, "--jsonl"],
        input=json.dumps({"text": "Nous somme désolés."}) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1, bad.stderr
    assert json.loads(bad.stdout)["findings"][0]["suggestions"][0] == "sommes"


def test_function_stays_callable_after_importing_the_cli_module():
    import canned_replies

    # Importing the CLI module sets the package attribute "proofread" to that module.
    import canned_replies.proofread

    assert canned_replies.proofread("Merci beaucoup !") == []


def test_the_same_text_gets_the_same_suggestions_in_every_process():
    # String hashing is salted per process; the suggester's endings were once gathered in a
    # set, so a lowercase name or a chat spelling got other suggestions from run to run.
    texts = ["t'as des nouvelles de paul", "jai pas compris", "ce soin est certifié vega"]
    stdin = "".join(json.dumps({"text": text}) + "\n" for text in texts)
    command = [sys.executable, "-m", "canned_replies.proofread", "--lang", "fr", "--jsonl"]
    outputs = set()
    for seed in ("1", "2", "3", "5"):
        run = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert run.returncode in (0, 1), run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1
