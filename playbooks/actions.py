"""Delegation actions: what the agency may do with a mention, and who must approve.

Each action is one small class in a registry, like conditions. `rank` orders actions by how
far they take the mention out of the agency's hands (used by the S4 safety floor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Action:
    """Base class of delegation actions."""

    name: ClassVar[str]
    rank: ClassVar[int]
    needs_answer: ClassVar[bool] = True  # has an SLA due time
    approvers: ClassVar[tuple[str | None, ...]] = (None,)  # allowed values, first is default
    label: ClassVar[str] = ""


ACTIONS: dict[str, type[Action]] = {}


def register_action(cls: type[Action]) -> type[Action]:
    """Class decorator adding an action to the registry."""
    if cls.name in ACTIONS:
        raise ValueError(f"action {cls.name!r} is already registered")
    ACTIONS[cls.name] = cls
    return cls


@register_action
class Ignore(Action):
    """No answer: noise or off-topic."""

    name = "ignore"
    rank = 0
    needs_answer = False
    label = "ignorer"


@register_action
class Hide(Action):
    """No answer and hide it on the platform (spam, abuse the brand does not want shown)."""

    name = "hide"
    rank = 1
    needs_answer = False
    label = "masquer"


@register_action
class Reply(Action):
    """The agency answers alone (délégation d'autorité)."""

    name = "reply"
    rank = 2
    label = "répondre (agence seule)"


@register_action
class ReplyWithApproval(Action):
    """The agency drafts the answer; a lead or the brand approves it before it is sent."""

    name = "reply_with_approval"
    rank = 3
    approvers = ("lead", "brand")
    label = "répondre après validation"


@register_action
class Escalate(Action):
    """Hand the case to the brand (or a lead) to decide."""

    name = "escalate"
    rank = 4
    approvers = ("brand", "lead")
    label = "escalader"


@register_action
class EscalateUrgent(Action):
    """Alert the brand's on-call contact at once (threats, self-harm, danger)."""

    name = "escalate_urgent"
    rank = 5
    approvers = ("brand",)
    label = "escalade urgente"


def resolve_approver(action: str, approver: str | None) -> str | None:
    """The approver to record: the given one, or the action's default."""
    allowed = ACTIONS[action].approvers
    return approver if approver is not None else allowed[0]
