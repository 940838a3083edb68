"""SQLModel tables of the whole domain; import from here so Alembic sees every table."""

from app.models.accounts import ACCOUNT_STATUSES, PLATFORMS, ConnectorAccount
from app.models.alerts import ALERT_CHANNELS, SENIORITIES, AlertDelivery, RoutingProfile, ShiftState
from app.models.audit import AuditEvent
from app.models.cases import (
    APPROVAL_STATES,
    CASE_STATUSES,
    ESCALATION_STATES,
    OUTBOX_STATES,
    ApprovalState,
    Case,
    CaseStatus,
    Escalation,
    EscalationState,
    OutboxState,
    Reply,
)
from app.models.content import BrandLexicon, CannedReply, CannedReplyVersion, Playbook
from app.models.identities import OIDCLoginState, UserIdentity
from app.models.mentions import SEVERITIES, TIERS, Author, Mention, Person, Triage
from app.models.moderation import MODERATION_STATES, ModerationAction
from app.models.notifications import AnswerClock, Notification, OutgoingMessage
from app.models.sessions import UserSession
from app.models.tenancy import (
    AGENCY_ROLES,
    DEFAULT_BUSINESS_HOURS,
    ROLES,
    Brand,
    Invitation,
    Membership,
    RecoveryCode,
    User,
)
from app.models.types import UTCDateTime, utcnow

__all__ = [
    "ACCOUNT_STATUSES",
    "AGENCY_ROLES",
    "ALERT_CHANNELS",
    "APPROVAL_STATES",
    "CASE_STATUSES",
    "DEFAULT_BUSINESS_HOURS",
    "ESCALATION_STATES",
    "MODERATION_STATES",
    "OUTBOX_STATES",
    "PLATFORMS",
    "ROLES",
    "SENIORITIES",
    "SEVERITIES",
    "TIERS",
    "AlertDelivery",
    "AnswerClock",
    "ApprovalState",
    "AuditEvent",
    "Author",
    "Brand",
    "BrandLexicon",
    "CannedReply",
    "CannedReplyVersion",
    "Case",
    "CaseStatus",
    "ConnectorAccount",
    "Escalation",
    "EscalationState",
    "Invitation",
    "Membership",
    "Mention",
    "ModerationAction",
    "Notification",
    "OIDCLoginState",
    "OutboxState",
    "OutgoingMessage",
    "Person",
    "Playbook",
    "RecoveryCode",
    "Reply",
    "RoutingProfile",
    "ShiftState",
    "Triage",
    "UTCDateTime",
    "User",
    "UserIdentity",
    "UserSession",
    "utcnow",
]
