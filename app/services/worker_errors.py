"""Worker errors as codes: the worker stores a code, the UI says it in the reader's language.

A reply the outbox could not send, or an account the worker could not poll, keeps a code
(`last_error_code`) and the raw detail the platform or the connector gave (`last_error`,
shown to the people who fix it, untranslated: it is the platform's own words). Rows from
before the codes (code NULL) show their stored sentence. The audit trail keeps the French
sentence with the detail (`note`), as it keeps every other worker note.

Adding a code: an entry in `REPLY` or `ACCOUNT` (a French msgid; `%(attempts)s` and
`%(checks)s` come from the reply), its English at the end of the catalogs, and
`tests/app/services/test_worker_errors.py` checks it renders in both languages.
"""

from __future__ import annotations

from flask_babel import gettext

from app.models import ConnectorAccount, Reply


def _l(msgid: str) -> str:
    """Marks a French template for extraction (pybabel ``-k _l``); translated when rendered."""
    return msgid


REPLY: dict[str, str] = {
    "awaiting_approval": _l("Refusé : cette réponse attend une validation."),
    "no_mention": _l("Aucune mention à laquelle répondre."),
    "account_misconfigured": _l("Le compte de publication est mal configuré."),
    "held_for_account": _l(
        "En attente : le compte de publication est à corriger (identifiants). Nouvel essai "
        "automatique dès qu'il est corrigé."
    ),
    "rejected": _l("La plateforme refuse cette réponse."),
    "retry": _l("Erreur de la plateforme : nouvel essai prévu."),
    # Meta's usage headers near the limit, or a rate-limit refusal: not counted as an attempt.
    "rate_limited": _l("Limite de la plateforme atteinte : reprise à l'heure qu'elle indique."),
    "gave_up": _l("Abandon après %(attempts)s essais."),
    "gave_up_absent": _l(
        "Abandon après %(attempts)s essais : la réponse n'est pas sur la plateforme."
    ),
    "absent_retry": _l("Absente de la plateforme après vérification : nouvel essai."),
    "unknown": _l("Issue inconnue, vérification sur la plateforme."),
    "unknown_uncheckable": _l("Issue inconnue, vérification impossible pour l'instant."),
    "check_gave_up": _l(
        "Impossible de vérifier sur la plateforme si la réponse a été publiée "
        "(%(checks)s vérifications). Vérifiez sur la plateforme : si elle n'y est pas, "
        "renvoyez-la."
    ),
    "interrupted": _l(
        "Envoi interrompu (worker arrêté pendant l'envoi) : vérification sur la plateforme "
        "avant tout nouvel essai."
    ),
    "duplicate_text": _l(
        "La plateforme refuse un texte identique à une publication récente du compte : "
        "envoyez une variante."
    ),
}

ACCOUNT: dict[str, str] = {
    "misconfigured": _l("Compte mal configuré : un administrateur doit le corriger."),
    "auth_failed": _l(
        "Identifiants refusés par la plateforme : un administrateur doit les remplacer."
    ),
    "rate_limited": _l("Limite de la plateforme atteinte : reprise à l'heure qu'elle indique."),
    "unreachable": _l("Plateforme injoignable ou en erreur : nouvel essai après une attente."),
    "partial": _l("Relève partielle : la suite au prochain passage."),
}


def _values(record: Reply | ConnectorAccount) -> dict[str, object]:
    return {"attempts": getattr(record, "attempts", 0), "checks": getattr(record, "checks", 0)}


def _table(record: Reply | ConnectorAccount) -> dict[str, str]:
    return REPLY if isinstance(record, Reply) else ACCOUNT


def set_error(record: Reply | ConnectorAccount, code: str, detail: str | None = None) -> str:
    """Store the code and the raw detail; returns the French note for the audit trail."""
    template = _table(record)[code]  # an unknown code is a bug: fail loudly
    record.last_error_code = code
    record.last_error = detail[:2000] if detail else None
    sentence = template % _values(record)
    return f"{sentence} ({detail})"[:2000] if detail else sentence


def clear_error(record: Reply | ConnectorAccount) -> None:
    record.last_error_code = None
    record.last_error = None


def message(record: Reply | ConnectorAccount) -> str | None:
    """What went wrong, in the current locale (the reader's); old rows: their stored text."""
    code = record.last_error_code
    template = _table(record).get(code) if code else None
    if template is None:
        return record.last_error
    return gettext(template) % _values(record)


def detail(record: Reply | ConnectorAccount) -> str | None:
    """The platform's own words behind a coded error (None for old rows: it is in message)."""
    return record.last_error if record.last_error_code else None
