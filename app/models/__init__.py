"""SQLModel tables of the whole domain; import from here so Alembic sees every table."""

from app.models.accounts import ACCOUNT_STATUSES, PLATFORMS, ConnectorAccount, OAuthStateUse
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
from app.models.clusters import (
    WAVE_STATES,
    AccountPace,
    ClusterBand,
    ClusterSignature,
    MentionCluster,
    PersonLink,
    Wave,
    WaveItem,
    WaveState,
)
from app.models.content import (
    BrandLexicon,
    CannedReply,
    CannedReplyChange,
    CannedReplyVersion,
    Playbook,
)
from app.models.crisis import CrisisPeriod, SpikeAlert, SpikeRollup, SpikeState
from app.models.crm import CrmProfile
from app.models.identities import OIDCLoginState, UserIdentity
from app.models.mentions import SEVERITIES, TIERS, Author, Mention, Person, Triage
from app.models.moderation import MODERATION_STATES, ModerationAction, PlatformQuota
from app.models.notifications import AnswerClock, Notification, OutgoingMessage
from app.models.onboarding import (
    HISTORY_IMPORT_STATES,
    ONBOARDING_STEPS,
    HistoryImport,
    Onboarding,
)
from app.models.playbook_reviews import PlaybookReview
from app.models.proposals import PROPOSAL_JOB_STATES, ProposalJob
from app.models.reports import REPORT_FACETS, MonthlyReportFile, ReportDay, ReportDayMark
from app.models.sessions import UserSession
from app.models.surveys import SurveyAnswer
from app.models.tenancy import (
    AGENCY_ROLES,
    DEFAULT_BUSINESS_HOURS,
    ROLES,
    Brand,
    BrandChange,
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
    "HISTORY_IMPORT_STATES",
    "MODERATION_STATES",
    "ONBOARDING_STEPS",
    "OUTBOX_STATES",
    "PLATFORMS",
    "PROPOSAL_JOB_STATES",
    "REPORT_FACETS",
    "ROLES",
    "SENIORITIES",
    "SEVERITIES",
    "TIERS",
    "WAVE_STATES",
    "AccountPace",
    "AlertDelivery",
    "AnswerClock",
    "ApprovalState",
    "AuditEvent",
    "Author",
    "Brand",
    "BrandChange",
    "BrandLexicon",
    "CannedReply",
    "CannedReplyChange",
    "CannedReplyVersion",
    "Case",
    "CaseStatus",
    "ClusterBand",
    "ClusterSignature",
    "ConnectorAccount",
    "CrisisPeriod",
    "CrmProfile",
    "Escalation",
    "EscalationState",
    "HistoryImport",
    "Invitation",
    "Membership",
    "Mention",
    "MentionCluster",
    "ModerationAction",
    "MonthlyReportFile",
    "Notification",
    "OAuthStateUse",
    "OIDCLoginState",
    "Onboarding",
    "OutboxState",
    "OutgoingMessage",
    "Person",
    "PersonLink",
    "PlatformQuota",
    "Playbook",
    "PlaybookReview",
    "ProposalJob",
    "RecoveryCode",
    "Reply",
    "ReportDay",
    "ReportDayMark",
    "RoutingProfile",
    "ShiftState",
    "SpikeAlert",
    "SpikeRollup",
    "SpikeState",
    "SurveyAnswer",
    "Triage",
    "UTCDateTime",
    "User",
    "UserIdentity",
    "UserSession",
    "Wave",
    "WaveItem",
    "WaveState",
    "utcnow",
]
