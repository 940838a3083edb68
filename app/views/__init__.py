"""One blueprint per area; BLUEPRINTS is what create_app registers."""

# Modules that add routes to another area's blueprint (imported for that).
from app.views import (  # noqa: F401
    admin_accounts,
    admin_google,
    admin_meta,
    case_crm,
    case_mentions,
    case_moderation,
    case_platform,
    case_replies,
    portal_crm,
    portal_moderation,
    portal_playbooks,
    portal_reports,
    portal_settings,
    portal_survey,
)
from app.views.account import bp as account_bp
from app.views.ack import bp as ack_bp
from app.views.admin import bp as admin_bp
from app.views.alerts import bp as alerts_bp
from app.views.api import bp as api_bp
from app.views.audit import bp as audit_bp
from app.views.auth import bp as auth_bp
from app.views.canned_replies import bp as canned_replies_bp
from app.views.cases import bp as cases_bp
from app.views.clusters import bp as clusters_bp
from app.views.crisis import bp as crisis_bp
from app.views.dictionary import bp as dictionary_bp
from app.views.home import bp as home_bp
from app.views.invitations import bp as invitations_bp
from app.views.lexicons import bp as lexicons_bp
from app.views.meta_webhook import bp as meta_webhook_bp
from app.views.notifications import bp as notifications_bp
from app.views.onboarding import bp as onboarding_bp
from app.views.people import bp as people_bp
from app.views.playbook_forms import bp as playbook_forms_bp
from app.views.playbook_reviews import bp as playbook_reviews_bp
from app.views.playbooks import bp as playbooks_bp
from app.views.portal import bp as portal_bp
from app.views.proposals import bp as proposals_bp
from app.views.queue import bp as queue_bp
from app.views.reports import bp as reports_bp
from app.views.routing import bp as routing_bp
from app.views.sso import bp as sso_bp
from app.views.surveys import bp as surveys_bp

BLUEPRINTS = [
    auth_bp,
    home_bp,
    admin_bp,
    api_bp,
    meta_webhook_bp,
    playbooks_bp,
    playbook_reviews_bp,
    playbook_forms_bp,
    lexicons_bp,
    dictionary_bp,
    proposals_bp,
    onboarding_bp,
    canned_replies_bp,
    queue_bp,
    cases_bp,
    portal_bp,
    audit_bp,
    reports_bp,
    notifications_bp,
    ack_bp,
    alerts_bp,
    account_bp,
    sso_bp,
    invitations_bp,
    routing_bp,
    surveys_bp,
    crisis_bp,
    clusters_bp,
    people_bp,
]
