"""The command line answers bad input with a message, never a traceback (issue 12, finding 11)."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from playbooks import shipped_playbook_path
from tests.factories import make_brand

pytestmark = pytest.mark.db

DEEP = "[" * 5000 + "]" * 5000


def run(app, args, input=None):
    return app.test_cli_runner().invoke(main, args, input=input)


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output


def test_playbook_classify_skips_a_deeply_nested_line_and_goes_on(app):
    good = json.dumps({"id": "m2", "text": "Mon train a 2 heures de retard", "lang": "fr"})
    stdin = "\n".join([DEEP, '{"id": "m1", "text": ' + DEEP + "}", good]) + "\n"
    result = run(app, ["playbook", "classify", str(shipped_playbook_path("demo-rail"))], stdin)
    _no_traceback(result)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [row["line"] for row in rows] == [1, 2, 3]
    assert "error" in rows[0] and "error" in rows[1]
    assert "error" not in rows[2] and rows[2]["id"] == "m2" and rows[2]["severity"]


def test_proofread_jsonl_reports_a_bad_line_and_checks_the_next(app):
    stdin = "not json\n" + DEEP + "\n" + '{"no_text": 1}\n' + '"Nous somme désolés"\n'
    result = run(app, ["proofread", "--lang", "fr", "--jsonl"], stdin)
    _no_traceback(result)
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [row.get("line") for row in rows[:3]] == [1, 2, 3]
    assert all("error" in row for row in rows[:3])
    assert rows[3]["text"] == "Nous somme désolés" and "findings" in rows[3]


def test_mentions_list_since_garbage_is_a_usage_error(app, session):
    make_brand(session, slug="acme")
    result = run(app, ["mentions", "list", "--brand", "acme", "--since", "garbage"])
    _no_traceback(result)
    assert result.exit_code == 2 and "--since" in result.output


def test_connectors_add_options_must_be_a_json_object(app, session):
    make_brand(session, slug="acme")
    for options in ("[1, 2]", "42", "[" * 5000, "{oops"):
        result = run(
            app,
            ["connectors", "add", "--brand", "acme", "--platform", "webhook", "--options", options],
        )
        _no_traceback(result)
        assert result.exit_code == 1 and "Options" in result.output


@pytest.mark.parametrize("account_id", ["99999", "99999999999999999999"])
def test_connectors_poll_an_unknown_account_says_so(app, account_id):
    result = run(app, ["connectors", "poll", account_id])
    _no_traceback(result)
    assert result.exit_code != 0 and "no connector account" in result.output
