"""Grouping reads its ranks from the playbook package (one source), in the order it always had."""

from __future__ import annotations

from app.services import grouping


def test_ranks_come_from_playbooks_in_the_known_order():
    assert grouping.SEVERITY_RANK == {"S0": 0, "S1": 1, "S2": 2, "S3": 3, "S4": 4}
    order = ["ignore", "hide", "reply", "reply_with_approval", "escalate", "escalate_urgent"]
    assert sorted(grouping.ACTION_RANK, key=grouping.ACTION_RANK.__getitem__) == order


def test_a_case_takes_the_more_serious_decision_never_less():
    class Row:
        def __init__(self, severity, action, priority=0):
            self.severity, self.action, self.priority = severity, action, priority
            self.scenarios, self.approver, self.due_at = [f"{severity}-{action}"], None, None

    class Mention:
        text, id = "texte", 7

    case = Row("S2", "reply")
    case.excerpt, case.decision_mention_id = "", None
    grouping.merge_decision(case, Row("S3", "hide"), Mention())
    assert (case.severity, case.action) == ("S3", "reply")  # more serious; action never less
    grouping.merge_decision(case, Row("S1", "escalate"), Mention())
    assert (case.severity, case.action) == ("S3", "escalate")
