"""The gate every public text passes before the outbox: length per channel, then proofreading.

One gate for the agency's replies, approvers' edits and the brand's own replies. It checks the
text against the mention it answers (that mention's channel and detected language), and it
says "proofreading unavailable" rather than crashing or passing silently when the checker
cannot run: publishing then needs a reason, as publishing over findings does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

import canned_replies
from app.models import Brand, Case, Mention, Reply, User
from app.services import audit, content
from app.services.latest_triage import ENGINE_LANGUAGE
from canned_replies.grammalecte_engine import GrammalecteMissing
from canned_replies.proofreading import LANGUAGES


class PublicTextError(ValueError):
    """The text cannot be published as it is; the message says what to fix."""

    def __init__(self, result: GateResult) -> None:
        super().__init__(result.message)
        self.result = result


@dataclass(frozen=True)
class Target:
    """The mention a reply answers, and the language and channel the reply is checked in."""

    mention_id: int | None
    language: str | None
    channel: str | None
    # The mention row itself, for the checks that follow (the send's gate and messaging
    # window): read again, it cost a statement each, as the session keeps no unreferenced row.
    mention: Mention | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Proofreading:
    """Findings of the checker, or why it could not run (`unavailable`, shown to the user)."""

    language: str
    findings: list[canned_replies.Finding] = field(default_factory=list)
    unavailable: str | None = None


@dataclass(frozen=True)
class GateResult:
    """What the gate found about one text, and whether it may be published."""

    text: str
    channel: str
    length: canned_replies.LengthCheck
    proofreading: Proofreading
    override_reason: str = ""

    @property
    def findings(self) -> list[canned_replies.Finding]:
        return self.proofreading.findings

    @property
    def blocking_findings(self) -> list[canned_replies.Finding]:
        """The findings that stop a send (advice is shown, never blocks)."""
        return [f for f in self.findings if f.blocking]

    @property
    def unproofread(self) -> bool:
        """True when no checker read the text (missing engine, unsupported language)."""
        return self.proofreading.unavailable is not None

    @property
    def overridden(self) -> bool:
        """True when a reason lets the text out despite findings or without proofreading."""
        return bool(self.override_reason.strip()) and (
            bool(self.blocking_findings) or self.unproofread
        )

    @property
    def problem(self) -> str | None:
        """'length', 'findings' or 'unavailable' when the text may not go out; None when it may."""
        if not self.length.ok:
            return "length"
        if self.override_reason.strip():
            return None
        if self.blocking_findings:
            return "findings"
        if self.unproofread:
            return "unavailable"
        return None

    @property
    def message(self) -> str:
        """The sentence telling the writer what to do about `problem`."""
        if self.problem == "length":
            return str(
                _l(
                    "Trop long pour %(channel)s : %(count)s caractères sur %(limit)s.",
                    channel=self.channel,
                    count=self.length.count,
                    limit=self.length.limit,
                )
            )
        if self.problem == "findings":
            listed = " ; ".join(
                f"« {self.text[f.start : f.end]} » : {f.message}"
                for f in self.blocking_findings[:3]
            )
            return str(
                _l(
                    "Relecture : %(n)s faute(s) à corriger avant publication — %(list)s",
                    n=len(self.blocking_findings),
                    list=listed,
                )
            )
        if self.problem == "unavailable":
            return str(
                _l(
                    "%(why)s Relisez le texte vous-même, puis indiquez un motif pour le publier "
                    "sans relecture.",
                    why=self.proofreading.unavailable,
                )
            )
        return ""

    def findings_json(self) -> list[dict[str, Any]]:
        """The findings as the reply stores them."""
        return [f.to_dict() for f in self.findings]


def _language(raw: str | None) -> str:
    return (raw or "fr").lower().replace("_", "-").split("-")[0]


def proofread(*, brand: Brand, text: str, language: str | None) -> Proofreading:
    """Proofread a text in a language with the brand's dictionary; never raises for a missing
    checker: the result says proofreading is unavailable, and why."""
    lang = _language(language)
    if not text.strip():
        return Proofreading(lang)
    if lang not in LANGUAGES:
        return Proofreading(
            lang,
            unavailable=str(
                _l(
                    "Relecture indisponible : pas de correcteur pour la langue « %(lang)s ».",
                    lang=lang,
                )
            ),
        )
    try:
        findings = canned_replies.proofread(text, lang, dictionary=content.brand_dictionary(brand))
    except GrammalecteMissing:
        return Proofreading(
            lang,
            unavailable=str(
                _l(
                    "Relecture indisponible : le correcteur Grammalecte n'est pas installé sur "
                    "le serveur."
                )
            ),
        )
    return Proofreading(lang, sorted(findings, key=lambda f: (f.start, f.end)))


def check(
    *,
    brand: Brand,
    text: str,
    language: str | None,
    channel: str | None,
    override_reason: str = "",
) -> GateResult:
    """Measure the text on its channel and proofread it; `problem` says whether it may go out."""
    length = canned_replies.check_length(text, channel or "")
    return GateResult(
        text=text,
        channel=channel or "",
        length=length,
        proofreading=proofread(brand=brand, text=text, language=language),
        override_reason=override_reason.strip(),
    )


def require(
    *,
    brand: Brand,
    text: str,
    language: str | None,
    channel: str | None,
    override_reason: str = "",
) -> GateResult:
    """The gate's result when the text may be published; PublicTextError saying why otherwise."""
    result = check(
        brand=brand,
        text=text,
        language=language,
        channel=channel,
        override_reason=override_reason,
    )
    if result.problem:
        raise PublicTextError(result)
    return result


# A mention with the language its engine's latest triage detected, in one statement (two
# before): the given one, or the case's newest. Built once (a new statement is compiled anew).
_GIVEN = select(Mention, ENGINE_LANGUAGE).where(Mention.id == bindparam("mention_id"))
_NEWEST = (
    select(Mention, ENGINE_LANGUAGE)
    .where(Mention.case_id == bindparam("case_id"))
    .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
    .limit(1)  # a viral thread's case holds thousands: read only the newest
)


def target(
    *,
    session: Session,
    case: Case,
    mention_id: int | None = None,
    detected: dict[int, str | None] | None = None,
) -> Target:
    """The mention a reply answers (the one given, else the case's newest) and its language:
    the language triage detected for that mention, else the platform's, else the case's.
    `detected`: the engine triage's language by mention, for mentions the caller has read."""
    # The language is the engine's triage's, not a reviewer's correction (corrections copy the
    # case's language): `detected`'s, else read with the mention.
    mention: Mention | None = None
    language: str | None = None
    if mention_id is not None:
        if detected is not None and mention_id in detected:
            mention, language = session.get(Mention, mention_id), detected[mention_id]
        else:
            row = session.exec(_GIVEN, params={"mention_id": mention_id}).first()
            if row is not None:
                mention, language = row
        if mention is not None and mention.case_id != case.id:
            mention = None
    if mention is None:
        row = session.exec(_NEWEST, params={"case_id": case.id}).first()
        if row is None:
            return Target(None, case.language, case.channel)
        mention, language = row
        if detected is not None and mention.id in detected:
            language = detected[mention.id]
    return Target(
        mention.id,
        language or mention.lang or case.language,
        mention.channel or case.channel,
        mention,
    )


def record_override(
    *, session: Session, result: GateResult, reply: Reply, actor: User | None
) -> None:
    """Audit a text published over findings or without proofreading, with the reason given."""
    if not result.overridden:
        return
    audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action="reply.sent_unproofread" if result.unproofread else "reply.proofreading_overridden",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        after={
            "findings": len(result.blocking_findings),
            "rules": sorted({f.rule for f in result.blocking_findings}),
            "language": result.proofreading.language,
            "unavailable": result.proofreading.unavailable,
        },
        note=result.override_reason,
    )
