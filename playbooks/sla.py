"""Answer deadlines: the brand's own target per severity, else the playbook's, else the default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import SEVERITIES, BrandContext
from .schema import SlaSpec

# Where an answer deadline comes from, as `answer_target` reports it.
SLA_SOURCES = ("brand", "playbook", "default")
_SLA_SOURCE_LABELS = {
    "brand": "réglage de la marque",
    "playbook": "playbook",
    "default": "valeur par défaut",
}


def _capped_minutes(sla: SlaSpec) -> dict[str, int]:
    minutes = {str(k): v for k, v in sla.minutes.items()}
    return {sev: min(minutes.get(sev, sla.max_minutes), sla.max_minutes) for sev in SEVERITIES}


# What a brand without a published playbook gets: the playbook schema's own defaults.
DEFAULT_SLA_MINUTES: dict[str, int] = _capped_minutes(SlaSpec())


@dataclass(frozen=True, slots=True, init=False)
class AnswerTarget:
    """Minutes allowed to answer a mention of one severity, and who set them (`SLA_SOURCES`)."""

    minutes: int
    source: str

    def __init__(self, minutes: int, source: str) -> None:
        # The slots' own setters (frozen all the same): built twice per triaged mention.
        _set_minutes(self, minutes)
        _set_source(self, source)

    @property
    def source_label(self) -> str:
        """The source in words, as the evidence and the pages say it."""
        return _SLA_SOURCE_LABELS[self.source]


_set_minutes, _set_source = (AnswerTarget.__dict__[n].__set__ for n in ("minutes", "source"))


def answer_target(
    severity: str, playbook_minutes: Mapping[str, int] | None, context: BrandContext | None
) -> AnswerTarget:
    """The one rule for an answer deadline: the brand's own setting for this severity when it
    has one, else the playbook's (`Playbook.sla_minutes`, `playbook_sla_minutes`), else the
    default when no playbook applies."""
    brand = context.sla_minutes if context is not None else None
    if brand and severity in brand:
        return AnswerTarget(int(brand[severity]), "brand")
    if playbook_minutes is not None:
        return AnswerTarget(playbook_minutes[severity], "playbook")
    return AnswerTarget(DEFAULT_SLA_MINUTES[severity], "default")


def playbook_sla_minutes(sla: SlaSpec) -> dict[str, int]:
    """A playbook's answer targets per severity, `max_minutes` applied."""
    return _capped_minutes(sla)
