"""Per-rule precision in the backtest (issue 18, part 2): each scenario's firings against the
reviewers' corrections — kept, corrected (false alarm), missed — in the editor and the CLI."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.cli import main
from app.models import Triage, utcnow
from app.services import compiled_playbooks, content
from app.services.backtest import run_backtest
from app.services.rule_stats import RuleCounter
from playbooks import load_playbook
from tests.app.playbook_samples import SMALL_PLAYBOOK, add_history
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

HISTORY = [
    ("Mon train est en retard", "S2", "reply"),  # retard fires; reviewer keeps it
    ("Encore un retard, bravo", "S2", "reply"),  # retard fires; reviewer says: insulte only
    ("Quel connard ce contrôleur", "S3", "reply"),  # insulte fires; not reviewed
    ("Vous êtes des guignols", "S1", "reply"),  # nothing fires; reviewer names insulte
    ("Merci pour le voyage", "S1", "reply"),
]


def _correct(session, mention, scenarios, severity="S3"):
    session.add(
        Triage(
            brand_id=mention.brand_id,
            mention_id=mention.id,
            severity=severity,
            scenarios=scenarios,
            action="reply",
            source="override",
            reason="relu",
            created_at=utcnow() + timedelta(seconds=1),
        )
    )
    session.commit()


@pytest.fixture
def reviewed(session):
    brand = make_brand(session, slug="rail")
    mentions = add_history(session, brand, HISTORY)
    _correct(session, mentions[0], ["retard"], "S2")
    _correct(session, mentions[1], ["insulte"])
    _correct(session, mentions[3], ["insulte"])
    return brand


def test_the_counter_tells_kept_corrected_and_missed():
    pb = load_playbook(SMALL_PLAYBOOK)
    counter = RuleCounter(pb.spec.scenarios)
    counter.add("a", ["retard"], ["retard"])
    counter.add("b", ["retard"], ["insulte"])
    counter.add("c", ["insulte"], None)
    counter.add("d", [], ["insulte"])
    rules = {r.id: r for r in counter.table()}
    assert (rules["retard"].fired, rules["retard"].kept, rules["retard"].corrected) == (2, 1, 1)
    assert rules["retard"].precision == 0.5 and rules["retard"].false_alarms == ["b"]
    assert (rules["insulte"].fired, rules["insulte"].reviewed, rules["insulte"].missed) == (1, 0, 2)
    assert rules["insulte"].precision is None and rules["insulte"].recall == 0.0
    assert rules["insulte"].misses == ["b", "d"]
    assert counter.table()[0].id == "retard"  # the most corrected first


def test_backtest_reports_each_scenario(session, reviewed):
    result = run_backtest(
        session=session, brand=reviewed, engine=compiled_playbooks.compile_playbook(SMALL_PLAYBOOK)
    )
    rules = {r.id: r for r in result.rules}
    assert rules["retard"].as_dict() == {
        "id": "retard",
        "kind": "words",
        "fired": 2,
        "reviewed": 2,
        "kept": 1,
        "corrected": 1,
        "missed": 0,
        "precision": 0.5,
        "recall": 1.0,
    }
    assert (rules["insulte"].fired, rules["insulte"].missed) == (1, 2)
    assert "Vous êtes des guignols" in rules["insulte"].misses


def test_cli_prints_per_rule_statistics_as_json(app, session, reviewed, tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(SMALL_PLAYBOOK, "utf-8")
    result = app.test_cli_runner().invoke(
        main, ["playbook", "backtest", "--brand", "rail", str(draft), "--json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["mentions"] == 5 and record["overrides"] == 3
    by_id = {r["id"]: r for r in record["rules"]}
    assert by_id["retard"]["precision"] == 0.5 and by_id["retard"]["corrected"] == 1
    assert set(by_id["insulte"]) >= {"id", "fired", "kept", "corrected", "precision"}
    unknown = app.test_cli_runner().invoke(
        main, ["playbook", "backtest", "--brand", "nope", str(draft), "--json"]
    )
    assert unknown.exit_code != 0 and "unknown brand: nope" in unknown.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nscenarios: [\n", "utf-8")
    invalid = app.test_cli_runner().invoke(
        main, ["playbook", "backtest", "--brand", "rail", str(broken)]
    )
    assert invalid.exit_code != 0 and "invalid playbook" in invalid.output


def test_the_editor_shows_the_rule_table(client, session, reviewed):
    content.save_playbook(
        session=session, brand=reviewed, source=SMALL_PLAYBOOK, actor=None, publish=True
    )
    session.commit()
    make_user(session, reviewed, role="playbook_editor", email="ed@rail.test")
    login(client, "ed@rail.test")
    response = post(
        client,
        "/playbooks/backtest",
        {"brand_id": str(reviewed.id), "source": SMALL_PLAYBOOK, "days": "30"},
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert 'data-testid="rule-stats"' in html
    row = html.split('data-rule="retard"')[1].split("</tr>")[0]
    assert "50 %" in row and "Encore un retard, bravo" in row
