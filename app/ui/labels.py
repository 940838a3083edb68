"""Human labels for the codes stored in the database (audit actions, delegation decisions)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.ui.i18n import translations

DECISION_LABELS = {
    "ignore": _l("Ignorer"),
    "hide": _l("Masquer"),
    "reply": _l("L'agence répond seule"),
    "reply_with_approval": _l("Réponse soumise à approbation"),
    "escalate": _l("Escalade à la marque"),
    "escalate_urgent": _l("Escalade urgente"),
}

#: What a connector account's credentials allow (`Connector.access`), for the admin.
ACCESS_OPERATION_LABELS = {
    "read": _l("lire les mentions"),
    "reply": _l("répondre"),
    "hide": _l("masquer des réponses"),
}
ACCESS_KIND_LABELS = {
    "oauth2": _l("OAuth 2.0 utilisateur (renouvelé automatiquement)"),
    "oauth1": _l("OAuth 1.0a utilisateur"),
    "bearer": _l("Bearer Token"),
}
ACCESS_NOTE_LABELS = {
    "app_only": _l(
        "Bearer Token « app-only » : lecture seule. Pour répondre et masquer, donnez les "
        "identifiants OAuth 2.0 utilisateur (client id + refresh token) ou les clés OAuth 1.0a."
    ),
    "expires_without_refresh": _l(
        "Jeton utilisateur sans refresh token : X le refuse au bout de deux heures. Donnez le "
        "client id et le refresh token pour qu'il soit renouvelé."
    ),
    "oauth1_read_only": _l(
        "L'app X est en lecture seule : dans le portail développeur, passez « App permissions » "
        "à « Read and write », régénérez l'Access Token et son secret, puis collez-les ici."
    ),
    "no_hide_scope": _l(
        "Le jeton n'a pas le droit tweet.moderate.write : masquer est impossible. Autorisez "
        "l'app à nouveau avec ce droit."
    ),
    "no_write_scope": _l(
        "Le jeton n'a pas le droit tweet.write : répondre est impossible. Autorisez l'app à "
        "nouveau avec ce droit."
    ),
}

AUDIT_LABELS = {
    "wave.started": _l("Réponse groupée lancée"),
    "person.linked": _l("Deux personnes rapprochées (même personne)"),
    "person.link_dismissed": _l("Rapprochement de personnes écarté"),
    "wave.stopped": _l("Réponse groupée arrêtée"),
    "wave.resumed": _l("Réponse groupée reprise"),
    "wave.cancelled": _l("Réponse groupée annulée"),
    "cluster.bulk_hide": _l("Mentions d'une vague masquées en masse"),
    "cluster.bulk_close": _l("Cas d'une vague clos en masse"),
    "cluster.bulk_spam": _l("Cas d'une vague classés comme spam en masse"),
    "auth.login": _l("Connexion"),
    "auth.login_failed": _l("Échec de connexion"),
    "auth.sso_refused": _l("Connexion unique refusée"),
    "user.sso_unlinked": _l("Identité de connexion unique déliée"),
    "auth.password_reset_requested": _l("Lien de réinitialisation envoyé"),
    "auth.password_reset_unknown": _l("Réinitialisation demandée pour une adresse inconnue"),
    "auth.password_reset": _l("Mot de passe réinitialisé par e-mail"),
    "auth.2fa_failed": _l("Code de double authentification refusé"),
    "user.2fa_enabled": _l("Double authentification activée"),
    "user.2fa_disabled": _l("Double authentification désactivée"),
    "user.2fa_reset_by_admin": _l("Double authentification réinitialisée par un administrateur"),
    "routing.profile_saved": _l("Profil de routage enregistré"),
    "routing.rebalanced": _l("Cas rééquilibrés entre les CM"),
    "routing.switched": _l("Routage automatique activé ou désactivé"),
    "invitation.sent": _l("Invitation envoyée"),
    "invitation.resent": _l("Invitation renvoyée"),
    "invitation.revoked": _l("Invitation retirée"),
    "invitation.accepted": _l("Invitation acceptée"),
    "lexicon.created": _l("Lexique de la marque créé"),
    "lexicon.updated": _l("Lexique de la marque modifié"),
    "lexicon.deleted": _l("Lexique de la marque supprimé"),
    "user.recovery_code_used": _l("Code de secours utilisé"),
    "user.recovery_codes_renewed": _l("Codes de secours renouvelés"),
    "brand.2fa_required": _l("Double authentification exigée pour la marque"),
    "brand.2fa_optional": _l("Double authentification plus exigée pour la marque"),
    "auth.logout_everywhere": _l("Déconnexion de toutes les sessions"),
    "auth.session_revoked": _l("Déconnexion d'un appareil"),
    "brand.created": _l("Marque créée"),
    "brand.updated": _l("Réglages de la marque modifiés"),
    "brand.alert_settings_changed": _l("Réglages d'alerte modifiés"),
    "brand.dictionary_changed": _l("Dictionnaire de la marque modifié"),
    "brand.survey_settings_changed": _l("Questionnaire de satisfaction modifié"),
    "survey.answered": _l("Avis du client reçu (questionnaire de satisfaction)"),
    "brand.crm_configured": _l("CRM de la marque configuré"),
    "brand.crm_removed": _l("CRM de la marque retiré"),
    "canned_reply.saved": _l("Réponse type enregistrée"),
    "canned_reply.approved": _l("Réponse type approuvée"),
    "case.opened": _l("Cas ouvert"),
    "case.claimed": _l("Cas pris en charge"),
    "case.released": _l("Cas rendu à la file"),
    "case.claim_expired": _l("Prise en charge expirée"),
    "case.reassigned": _l("Cas réattribué"),
    "case.routed": _l("Cas attribué automatiquement"),
    "case.unrouted": _l("Aucun CM disponible pour ce cas"),
    "case.rebalanced": _l("Cas réattribué par rééquilibrage"),
    "case.unassigned_off_shift": _l("Cas libéré : CM hors service"),
    "case.escalated": _l("Cas escaladé à la marque"),
    "case.merged": _l("Cas fusionné"),
    "case.merged_into": _l("Cas fusionné dans un autre"),
    "case.split": _l("Mention séparée dans un nouveau cas"),
    "case.split_from": _l("Cas créé par séparation"),
    "case.spam": _l("Classé comme spam"),
    "case.closed": _l("Cas clos"),
    "clock.fallback": _l("Relais vers l'approbateur suivant"),
    "connector.reply_url_set": _l("URL de réponse du compte modifiée"),
    "connector.push_rate_set": _l("Limite de mentions poussées du compte modifiée"),
    "connector.created": _l("Compte connecté"),
    "connector.auth_failed": _l("Identifiants refusés par la plateforme"),
    "reply.held_for_account": _l("Réponse en attente : compte à corriger"),
    "reply.refused_duplicate": _l("Réponse refusée : doublon d'une publication récente"),
    "reply.variant_sent": _l("Variante envoyée"),
    "mention.edited": _l("Mention modifiée par son auteur"),
    "connector.credentials_replaced": _l("Identifiants remplacés"),
    "connector.verified": _l("Identifiants vérifiés auprès de la plateforme"),
    "connector.enabled": _l("Relève réactivée"),
    "connector.disabled": _l("Relève désactivée"),
    "connector.token_rotated": _l("Jeton du webhook renouvelé"),
    "escalation.opened": _l("Escalade ouverte"),
    "escalation.alerted": _l("Alerte urgente délivrée"),
    "escalation.realerted": _l("Alerte urgente relancée"),
    "escalation.alert_failed": _l("ÉCHEC de l'alerte urgente : personne n'a été prévenu"),
    "escalation.acknowledged": _l("Alerte acquittée"),
    "escalation.answered": _l("Réponse de la marque"),
    "escalation.handled": _l("Escalade traitée"),
    "escalation.withdrawn": _l("Escalade urgente levée par un superviseur"),
    "membership.granted": _l("Rôle attribué"),
    "membership.revoked": _l("Rôle retiré"),
    "mention.triaged": _l("Mention triée par le playbook"),
    "mention.triage_failed": _l("Tri impossible : mention mise de côté"),
    "mention.hidden": _l("Mention masquée"),
    "mention.hide_synced": _l("Masquage appliqué sur la plateforme"),
    "moderation.requested": _l("Action de modération demandée"),
    "moderation.approved": _l("Action de modération approuvée"),
    "moderation.refused": _l("Action de modération refusée"),
    "moderation.cancelled": _l("Action de modération annulée"),
    "moderation.synced": _l("Action de modération appliquée sur la plateforme"),
    "moderation.deferred": _l("Action de modération reportée (limite d'usage de la plateforme)"),
    "mention.rule_hide_undone": _l("Masquage par règle annulé : mention de nouveau visible"),
    "mention.rule_hide_confirmed": _l("Masquage par règle confirmé"),
    "reply.private_queued": _l("Réponse privée au commentaire envoyée dans la file"),
    "reply.ack_queued": _l("Accusé de réception automatique envoyé dans la file"),
    "reply.ack_skipped": _l("Accusé de réception automatique non envoyé"),
    "brand.moderation_settings_saved": _l("Réglages de modération et de messagerie modifiés"),
    "connector.meta_connected": _l("Compte Meta connecté avec Facebook"),
    "connector.meta_renewed": _l("Jeton Meta renouvelé avec Facebook"),
    "connector.meta_options_saved": _l("Réglages de messagerie du compte Meta modifiés"),
    "person.notes_updated": _l("Notes sur l'auteur modifiées"),
    "playbook.saved": _l("Playbook enregistré"),
    "playbook.draft_updated": _l("Brouillon de playbook modifié"),
    "playbook.published": _l("Playbook publié"),
    "playbook.proposals_requested": _l("Propositions de playbook demandées"),
    "playbook.proposal_accepted": _l("Proposition acceptée dans un brouillon"),
    "onboarding.started": _l("Accueil de la marque commencé"),
    "onboarding.template_chosen": _l("Accueil : modèle de secteur choisi"),
    "onboarding.import_requested": _l("Accueil : import d'historique demandé"),
    "onboarding.imported": _l("Accueil : historique importé"),
    "onboarding.history_done": _l("Accueil : étape historique terminée"),
    "onboarding.backtested": _l("Accueil : rejeu consulté"),
    "onboarding.proposed": _l("Accueil : version proposée au responsable de la marque"),
    "onboarding.replies_installed": _l("Accueil : réponses types installées"),
    "onboarding.refused": _l("Accueil : version refusée par la marque"),
    "onboarding.done": _l("Accueil de la marque terminé"),
    "playbook.form_saved": _l("Brouillon enregistré depuis un formulaire"),
    "playbook.proposed": _l("Playbook proposé à la publication"),
    "playbook.approved": _l("Proposition de playbook approuvée"),
    "playbook.rejected": _l("Proposition de playbook refusée"),
    "playbook.withdrawn": _l("Proposition de playbook retirée"),
    "reply.queued": _l("Réponse mise en file d'envoi"),
    "reply.submitted": _l("Réponse soumise à approbation"),
    "reply.approved": _l("Réponse approuvée"),
    "reply.approved_edited": _l("Réponse modifiée et approuvée"),
    "reply.rejected": _l("Réponse refusée"),
    "reply.held": _l("Réponse retenue : la décision du cas demande une validation"),
    "reply.rerouted": _l("Validation confiée à un rôle supérieur"),
    "reply.proofreading_overridden": _l("Envoi malgré les fautes signalées"),
    "reply.sent_unproofread": _l("Envoi sans relecture (correcteur indisponible)"),
    "reply.promoted_to_canned": _l("Réponse promue en réponse type"),
    "reply.sent": _l("Réponse publiée"),
    "reply.requeued": _l("Réponse renvoyée après vérification"),
    "reply.send_retry": _l("Envoi à réessayer"),
    "reply.send_deferred": _l("Envoi reporté (limite d'usage de la plateforme)"),
    "reply.send_failed": _l("Échec de l'envoi"),
    "reply.send_interrupted": _l("Envoi interrompu"),
    "reply.outcome_unknown": _l("Issue de l'envoi inconnue : vérification sur la plateforme"),
    "reply.reconciled": _l("Réponse trouvée publiée sur la plateforme"),
    "reply.not_published": _l("Réponse absente de la plateforme : nouvel essai"),
    "reply.check_failed": _l("Vérification sur la plateforme impossible pour l'instant"),
    "reply.to_copy_by_hand": _l("Réponse à copier à la main"),
    "reply.published_by_hand": _l("Réponse publiée à la main"),
    "sla.breached": _l("Délai dépassé"),
    "shift.started": _l("Prise de service"),
    "shift.ended": _l("Fin de service"),
    "triage.overridden": _l("Triage corrigé"),
    "user.created": _l("Utilisateur créé"),
    "user.password_changed": _l("Mot de passe changé"),
    "user.activated": _l("Compte réactivé"),
    "user.deactivated": _l("Compte désactivé"),
    "user.superadmin_granted": _l("Droits de superadministrateur donnés"),
    "user.superadmin_revoked": _l("Droits de superadministrateur retirés"),
    "spike.detected": _l("Tempête détectée (pic de mentions)"),
    "spike.alerted": _l("Alerte tempête envoyée hors console"),
    "spike.settings_changed": _l("Réglages de la veille tempête modifiés"),
    "crisis.started": _l("Mode crise activé"),
    "crisis.ended": _l("Mode crise désactivé"),
    "crisis.expired": _l("Mode crise terminé à l'heure prévue"),
    "crisis.end_changed": _l("Fin prévue du mode crise modifiée"),
    "demo.storm_started": _l("Tempête de démonstration déclenchée"),
}


FIELD_LABELS = {
    "status": _l("état"),
    "assignee_id": _l("pris par (n°)"),
    "severity": _l("gravité"),
    "scenario": _l("scénario"),
    "scenarios": _l("scénarios"),
    "action": _l("décision"),
    "approver": _l("validation"),
    "approver_role": _l("validation par"),
    "priority": _l("priorité"),
    "decision_mention_id": _l("mention décisive (n°)"),
    "withdrawn_escalations": _l("escalades levées (n°)"),
    "escalations": _l("escalades (n°)"),
    "approval_state": _l("validation"),
    "outbox_state": _l("envoi"),
    "pinned": _l("épinglé"),
    "involved_brand": _l("marque sollicitée"),
    "hidden": _l("masqué"),
    "hide_state": _l("masquage"),
    "playbook_version": _l("version du playbook"),
    "canned_reply": _l("réponse type"),
    "urgency": _l("urgence"),
    "reason": _l("motif"),
    "external_id": _l("identifiant publié"),
    "url": _l("lien"),
    "attempt": _l("essai"),
    "next_attempt_at": _l("prochain essai"),
    "due_at": _l("échéance"),
    "round": _l("relance n°"),
    "recipients": _l("destinataires"),
    "delivered": _l("envois délivrés"),
    "failed": _l("envois en échec"),
    "on_shift": _l("en service"),
    "via": _l("par"),
    "acknowledged_at": _l("pris en compte le"),
    "reconciled": _l("retrouvée sur la plateforme sans nouvel envoi"),
}


def _said(label: Any) -> str:
    """A label in the request's language, from the translations held for the request
    (app/ui/i18n.py): str() of a lazy one walks g, the domain and the locale each time, and a
    case page's timeline says some fifty of them."""
    if isinstance(label, LazyString) and label._func is gettext and not label._kwargs:
        (message,) = label._args
        return str(translations().ugettext(message))
    return str(label)


def field_label(name: str) -> str:
    return _said(FIELD_LABELS.get(name, name))


def audit_label(action: str) -> str:
    """'reply.sent' → 'Réponse publiée'; unknown codes are shown as they are."""
    return _said(AUDIT_LABELS.get(action, action))


def decision_label(action: str | None) -> str:
    return _said(DECISION_LABELS.get(action or "", action or ""))
