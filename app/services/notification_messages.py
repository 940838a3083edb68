"""What a notification says: one template per kind, rendered in the READER's language.

A notification is stored as data — its ``kind`` and ``params`` (JSON) — and turned into a
sentence only when someone reads it (the notifications page, through the ``notification_text``
template filter). An English user therefore reads English even when the worker, or a French
colleague, wrote the notification. ``Notification.text`` keeps the French sentence: it is what
rows written before messages became data show, and what anyone reading the table sees.

Adding a kind (e.g. ``spike``):

1. Add an entry to ``MESSAGES`` below: ``"spike": _l("Pic de mentions sur %(brand)s : …")``.
   The msgid is French; placeholders are ``%(name)s`` filled from ``params``. A kind whose
   wording depends on what happened maps variants to templates, and the caller passes
   ``params={"variant": "…"}`` (see ``approval_answered``).
2. Call ``notifications.notify(session=…, user_ids=[…], brand_id=…, kind="spike",
   params={"brand": brand.name, …}, link="/…")``. Params are plain JSON values (names, ids,
   counts), never translated words: a word that depends on the language is a code listed in
   ``TERMS`` (see ``what``).
3. Append the msgid and its English translation at the end of ``app/translations/messages.pot``
   and ``app/translations/en/LC_MESSAGES/messages.po``. ``tests/app/services/
   test_notification_messages.py`` checks every template renders in both languages.

A kind not listed here still works: ``notify(kind=…, text=…)`` stores the sentence as given
and the reader sees it unchanged (the way of code written before this module).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext

from app.notify.mail_templates import translations


def _l(msgid: str) -> str:
    """Marks a French template for extraction (pybabel ``-k _l``); translated when rendered."""
    return msgid


# kind → template, or kind → {variant → template}.
MESSAGES: dict[str, str | dict[str, str]] = {
    "approval_requested": _l("Une réponse attend votre validation (cas n° %(id)s)."),
    "approval_answered": {
        "approved": _l("Votre réponse a été validée (cas n° %(id)s) : elle part."),
        "manual": _l("Votre réponse a été validée (cas n° %(id)s) : à publier à la main."),
        "edited": _l("Votre réponse a été modifiée puis validée (cas n° %(id)s)."),
        "rejected": _l("Votre réponse a été refusée (cas n° %(id)s) : voir le commentaire."),
        "held": _l(
            "Votre réponse n'est pas partie (cas n° %(id)s) : la décision du cas demande "
            "maintenant une validation."
        ),
    },
    "escalation_opened": _l("Nouvelle escalade : cas n° %(id)s."),
    "escalation_answered": {
        "answered": _l("La marque a répondu à votre escalade (cas n° %(id)s)."),
        "handled": _l("La marque a traité votre escalade (cas n° %(id)s)."),
    },
    "reminder": _l("Relance : %(what)s attend une réponse depuis l'échéance (cas n° %(id)s)."),
    "fallback": _l("Relance : %(what)s attend une réponse depuis l'échéance (cas n° %(id)s)."),
    "urgent_alert": {
        "first": _l("Escalade urgente — %(brand)s — cas n° %(id)s"),
        "again": _l("[RELANCE] Escalade urgente — %(brand)s — cas n° %(id)s"),
    },
    "alert_failed": _l(
        "ÉCHEC de l'alerte urgente du cas n° %(id)s : personne n'a été prévenu hors de "
        "la console. Vérifiez l'e-mail et les webhooks de %(brand)s."
    ),
    "routing_unassigned": _l("%(brand)s : %(n)s cas sans community manager éligible en service."),
    # A storm alert (``spikes``): the signal, where (the whole brand, or one scenario or
    # channel), and its figures.
    "spike": {
        "volume": _l(
            "Alerte tempête : %(brand)s — %(signal)s : %(n)s mentions en %(m)s min, %(e)s attendues"
        ),
        "volume_in": _l(
            "Alerte tempête : %(brand)s — %(signal)s (%(dim)s %(key)s) : %(n)s mentions en "
            "%(m)s min, %(e)s attendues"
        ),
        "share": _l(
            "Alerte tempête : %(brand)s — %(signal)s : %(share)s %% des mentions sur %(m)s min, "
            "%(usual)s %% d'habitude"
        ),
        "share_in": _l(
            "Alerte tempête : %(brand)s — %(signal)s (%(dim)s %(key)s) : %(share)s %% des "
            "mentions sur %(m)s min, %(usual)s %% d'habitude"
        ),
    },
    # Crisis mode switched on, off, or its planned end changed (``crisis``).
    "crisis": {
        "started": _l("Mode crise activé — %(brand)s : %(reason)s"),
        "ended": _l("Fin du mode crise — %(brand)s : le playbook normal trie de nouveau."),
        "end_set": _l("Mode crise — %(brand)s : fin prévue le %(when)s UTC."),
        "end_cleared": _l("Mode crise — %(brand)s : plus de fin prévue, fin à la main."),
    },
}

# The lines and link labels of an urgent alert posted to Slack and Teams; its title is
# MESSAGES["urgent_alert"]. Rendered with `phrase_in` in the brand's first language.
URGENT_CHAT: dict[str, str] = {
    "reason": _l("Motif : %(reason)s"),
    "deadline": _l("Délai de réponse : %(deadline)s"),
    "open": _l("Ouvrir le cas"),
    "portal": _l("Portail de la marque"),
    "ack": _l("Je prends (arrête les relances)"),
}

# Params that are codes for words of the sentence: param → {code → template}.
TERMS: dict[str, dict[str, str]] = {
    "what": {"reply": _l("une validation"), "escalation": _l("une escalade")},
    "signal": {
        "volume": _l("pic de mentions"),
        "severe": _l("hausse des mentions graves (S3+)"),
        "negative": _l("hausse des mentions négatives"),
    },
    "dim": {"scenario": _l("scénario"), "channel": _l("canal")},
}


def template_for(kind: str, params: Mapping[str, Any] | None) -> str | None:
    """The French template of this kind (and variant), or None for a kind not listed."""
    entry = MESSAGES.get(kind)
    if isinstance(entry, dict):
        return entry.get(str((params or {}).get("variant", "")))
    return entry


def _render(kind: str, params: Mapping[str, Any] | None, tr: Callable[[str], str]) -> str | None:
    template = template_for(kind, params)
    if template is None:
        return None
    values = {}
    for name, value in (params or {}).items():
        term = TERMS.get(name, {}).get(str(value))
        values[name] = tr(term) if term is not None else value
    try:
        return tr(template) % values
    except (KeyError, TypeError, ValueError):
        return None  # params that no longer fit the template: the stored text is shown


def render(kind: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The message in the current locale (the reader's, during a request); else `fallback`."""
    return _render(kind, params, gettext) or fallback


def french(kind: str, params: Mapping[str, Any] | None) -> str | None:
    """The message in French (the msgids' language), whatever the current locale."""
    return _render(kind, params, lambda msgid: msgid)


def in_language(kind: str, params: Mapping[str, Any] | None, lang: str) -> str | None:
    """The message in `lang` outside any request (a chat alert in the brand's language)."""
    return _render(kind, params, translations(lang).gettext)


def phrase_in(lang: str, msgid: str, **params: Any) -> str:
    """One French msgid in `lang` outside any request, its placeholders filled from `params`."""
    text = translations(lang).gettext(msgid)
    return text % params if params else text
