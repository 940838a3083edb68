"""Customer satisfaction: the survey link a closing reply carries, and the customer's answer.

A canned reply that uses ``{{ lien_satisfaction }}`` (or ``{{ survey_link }}``) gets a signed
link for its case: ``/s/<token>``, valid ``SurveySettings.expiry_days`` days, no login. The
page asks CSAT (1–5), and, when the brand asks them, the NPS question (0–10) and the effort
question (CES, 1–7), plus a comment. One answer per case: the unique case id on
``survey_answer`` settles two answers sent at once. The answer goes on the case timeline
(audit) and into the reports (``satisfaction_figures``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import Brand, Case, Reply, SurveyAnswer, User, utcnow
from app.services import audit, brands

SETTINGS_KEY = "survey"
SURVEY_VARIABLES = ("lien_satisfaction", "survey_link")
_SALT = "vigie.survey"
MAX_COMMENT = 1000


class SurveyError(ValueError):
    """The answer cannot be taken; the code says why (the view words it)."""


@dataclass
class SurveySettings:
    """What the brand asks besides CSAT, and how long a link stays valid."""

    nps: bool = False
    ces: bool = False
    expiry_days: int = 14


def survey_settings(brand: Brand) -> SurveySettings:
    raw = (brand.settings or {}).get(SETTINGS_KEY) or {}
    if not isinstance(raw, dict):
        return SurveySettings()
    days = raw.get("expiry_days", 14)
    return SurveySettings(
        nps=bool(raw.get("nps", False)),
        ces=bool(raw.get("ces", False)),
        expiry_days=days if isinstance(days, int) and 1 <= days <= 90 else 14,
    )


def save_survey_settings(
    *, session: Session, brand: Brand, actor: User, settings: SurveySettings
) -> None:
    """Store the brand's survey questions; audited (what the customer is asked is the brand's)."""
    brands.save_settings_section(
        session=session,
        brand=brand,
        actor=actor,
        key=SETTINGS_KEY,
        value=asdict(settings),
        action="brand.survey_settings_changed",
        before_public=asdict(survey_settings(brand)),
        after_public=asdict(settings),
    )


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def make_token(case: Case, *, secret_key: str) -> str:
    """A signed token naming the case and its brand (the brand is checked again on use)."""
    return _serializer(secret_key).dumps({"c": case.id, "b": case.brand_id})


def survey_url(case: Case, *, secret_key: str, public_url: str) -> str:
    return f"{public_url.rstrip('/')}/s/{make_token(case, secret_key=secret_key)}"


def survey_variables(case: Case, body: str, *, secret_key: str, public_url: str) -> dict[str, str]:
    """The link for a canned reply that asks for it (no link otherwise: nothing to store)."""
    if not any(f"{name}" in body for name in SURVEY_VARIABLES):
        return {}
    url = survey_url(case, secret_key=secret_key, public_url=public_url)
    return {name: url for name in SURVEY_VARIABLES}


@dataclass(frozen=True)
class OpenSurvey:
    case: Case
    brand: Brand
    settings: SurveySettings
    answer: SurveyAnswer | None


def open_survey(*, session: Session, token: str, secret_key: str) -> OpenSurvey:
    """The case a token opens; SurveyError("invalid") or ("expired") otherwise."""
    try:
        data, issued = _serializer(secret_key).loads(
            token, max_age=90 * 24 * 3600, return_timestamp=True
        )
    except SignatureExpired as exc:
        raise SurveyError("expired") from exc
    except BadSignature as exc:
        raise SurveyError("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise SurveyError("invalid")
    case = session.get(Case, data["c"])
    if case is None or case.brand_id != data.get("b"):
        raise SurveyError("invalid")
    brand = session.get(Brand, case.brand_id)
    assert brand is not None
    settings = survey_settings(brand)
    answer = session.exec(select(SurveyAnswer).where(SurveyAnswer.case_id == case.id)).first()
    # Validity is the brand's current setting, counted from when the link was made.
    if answer is None and (utcnow() - issued).days >= settings.expiry_days:
        raise SurveyError("expired")
    return OpenSurvey(case, brand, settings, answer)


def _score(form: Mapping[str, str], name: str, low: int, high: int, required: bool) -> int | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        if required:
            raise SurveyError(f"{name}_missing")
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SurveyError(f"{name}_range")
    return int(raw)


def record_answer(
    *, session: Session, survey: OpenSurvey, form: Mapping[str, str], now: datetime | None = None
) -> SurveyAnswer:
    """Store the customer's answer (SurveyError("answered") if the case already has one)."""
    if survey.answer is not None:
        raise SurveyError("answered")
    csat = _score(form, "csat", 1, 5, required=True)
    nps = _score(form, "nps", 0, 10, required=False) if survey.settings.nps else None
    ces = _score(form, "ces", 1, 7, required=False) if survey.settings.ces else None
    comment = (form.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        raise SurveyError("comment_long")
    case = survey.case
    handled_by = session.exec(
        select(Reply.author_user_id)
        .where(Reply.case_id == case.id, col(Reply.author_user_id).is_not(None))
        .order_by(col(Reply.created_at).desc())
        .limit(1)
    ).first()
    answer = SurveyAnswer(
        brand_id=case.brand_id,
        case_id=case.id or 0,
        channel=case.channel,
        handled_by_id=handled_by or case.assignee_id,
        language=case.language or "fr",
        csat=csat or 0,
        nps=nps,
        ces=ces,
        comment=comment,
        answered_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(answer)
            session.flush()
    except IntegrityError as exc:  # another answer for this case landed first
        raise SurveyError("answered") from exc
    audit.case_event(
        session=session,
        case=case,
        action="survey.answered",
        actor_label="client",
        after={k: v for k, v in {"csat": csat, "nps": nps, "ces": ces}.items() if v is not None}
        | ({"comment": comment[:200]} if comment else {}),
    )
    return answer


@dataclass(frozen=True)
class SatisfactionGroup:
    """Satisfaction over a set of answers (a brand, a channel, a CM)."""

    key: str
    answers: int
    csat_average: float | None  # 1–5
    csat_satisfied: float | None  # share of 4 and 5 (the usual CSAT %)
    nps: float | None  # % promoters (9–10) minus % detractors (0–6), over NPS answers
    ces_average: float | None  # 1 (very easy) – 7


def _group(key: str, rows: Sequence[SurveyAnswer]) -> SatisfactionGroup:
    if not rows:
        return SatisfactionGroup(key, 0, None, None, None, None)
    csats = [r.csat for r in rows]
    npss = [r.nps for r in rows if r.nps is not None]
    cess = [r.ces for r in rows if r.ces is not None]
    nps = None
    if npss:
        nps = 100.0 * (sum(n >= 9 for n in npss) - sum(n <= 6 for n in npss)) / len(npss)
    return SatisfactionGroup(
        key=key,
        answers=len(rows),
        csat_average=sum(csats) / len(csats),
        csat_satisfied=sum(c >= 4 for c in csats) / len(csats),
        nps=nps,
        ces_average=sum(cess) / len(cess) if cess else None,
    )


@dataclass(frozen=True)
class SatisfactionFigures:
    overall: SatisfactionGroup
    by_channel: list[SatisfactionGroup]
    by_cm: list[SatisfactionGroup]  # keyed by the CM's e-mail; leads only
    comments: list[SurveyAnswer]  # the latest ones with a comment


def satisfaction_figures(
    session: Session, brand_ids: Sequence[int], since: datetime, until: datetime
) -> SatisfactionFigures:
    """CSAT, NPS and CES of the answers given in [since, until) for these brands."""
    rows = list(
        session.exec(
            select(SurveyAnswer).where(
                col(SurveyAnswer.brand_id).in_(list(brand_ids)),
                SurveyAnswer.answered_at >= since,
                SurveyAnswer.answered_at < until,
            )
        ).all()
    )
    by_channel: dict[str, list[SurveyAnswer]] = {}
    by_cm: dict[int, list[SurveyAnswer]] = {}
    for row in rows:
        by_channel.setdefault(row.channel or "—", []).append(row)
        if row.handled_by_id is not None:
            by_cm.setdefault(row.handled_by_id, []).append(row)
    emails = (
        dict(session.exec(select(User.id, User.email).where(col(User.id).in_(list(by_cm)))).all())
        if by_cm
        else {}
    )
    comments = sorted((r for r in rows if r.comment), key=lambda r: r.answered_at, reverse=True)
    return SatisfactionFigures(
        overall=_group("", rows),
        by_channel=[_group(k, v) for k, v in sorted(by_channel.items())],
        by_cm=sorted(
            (_group(emails.get(k, str(k)), v) for k, v in by_cm.items()), key=lambda g: g.key
        ),
        comments=comments[:20],
    )
