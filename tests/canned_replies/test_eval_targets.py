"""The French test set targets: ≥ 90 % of known errors caught, ≤ 2 % false alarms.

Latency (p95 < 50 ms for a 500-character reply) is measured by benchmarks/bench_proofread.py,
not here: a timed test fails on a loaded machine without anything being wrong.
"""

import pytest

from canned_replies.evaluation import (
    CORRECT_FILE,
    ERRORS_FILE,
    evaluate,
    load_jsonl,
)
from canned_replies.proofreading import Proofreader

pytestmark = pytest.mark.usefixtures("grammalecte")

REPLY_500 = (
    "Bonjour Camille, nous sommes sincèrement désolés pour le retard de votre train ce matin. "
    "Nos équipes ont été mobilisées toute la journée pour rétablir la circulation. Vous pouvez "
    "demander une compensation sur notre site avec votre référence de réservation, et nous "
    "restons à votre disposition en message privé si vous avez la moindre question. Les billets "
    "que vous avez achetés pour le retour restent valables. Merci de votre patience et de votre "
    "compréhension, nous vous souhaitons une bonne soirée !"
)


def test_test_set_is_large_enough_and_well_formed():
    errors, correct = load_jsonl(ERRORS_FILE), load_jsonl(CORRECT_FILE)
    assert len(errors) >= 100 and len(correct) >= 100
    for record in errors:
        for error in record["errors"]:
            assert record["text"][error["start"] : error["end"]] == error["wrong"]
            assert error["type"]


def test_catch_rate_and_false_alarms_meet_the_targets():
    report = evaluate()
    assert report.catch_rate >= 0.90, report.misses
    assert report.false_alarm_rate <= 0.02, report.false_alarms


def test_a_clean_500_character_reply_gets_no_finding():
    assert 450 <= len(REPLY_500) <= 550
    assert Proofreader("fr").check(REPLY_500) == []
