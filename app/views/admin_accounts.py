"""Admin: the connector accounts (list, add with a live credential check, edit, push rate).

Routes of the ``admin`` blueprint (same URLs and endpoint names) in their own room;
``app/views/__init__.py`` imports this module so that they are registered.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import PLATFORMS, Brand, ConnectorAccount
from app.params import digits
from app.security import webhook_quota
from app.security.auth import permission_required
from app.services import accounts, platform_quota
from app.ui.labels import ACCESS_KIND_LABELS, ACCESS_NOTE_LABELS, ACCESS_OPERATION_LABELS
from app.views.admin import ADMIN, bp
from connectors import ConnectorError, get_connector


@bp.get("/accounts")
@permission_required(ADMIN)
def accounts_list() -> Any:
    """Connector accounts with their health: last and next poll, last error, quota."""
    rows = (
        db()
        .exec(
            g.scope.select(ConnectorAccount, ADMIN).order_by(
                ConnectorAccount.brand_id, ConnectorAccount.id
            )
        )
        .all()
    )
    names = {b.id: b.name for b in db().exec(g.scope.select(Brand, ADMIN))}
    return render_template("admin/accounts.html", accounts=rows, brand_names=names)


PLATFORM_NAMES = {
    "x": "X",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "webhook": "Webhook",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "google_business": "Google Business Profile",
}
#: Labels of the credential keys the connectors read (`credential_fields`).
CREDENTIAL_LABELS = {
    "identifier": _l("Identifiant (handle ou e-mail)"),
    "app_password": _l("Mot de passe d'application"),
    "access_token": _l("Jeton d'accès"),
    "bearer_token": _l("Bearer Token app-only (lecture seule)"),
    "client_id": _l("Client ID OAuth 2.0"),
    "client_secret": _l("Client secret OAuth 2.0 (app confidentielle seulement)"),
    "refresh_token": _l("Refresh token OAuth 2.0"),
    "consumer_key": _l("Clé d'API (consumer key)"),
    "consumer_secret": _l("Secret d'API (consumer secret)"),
    "access_token_secret": _l("Secret du jeton d'accès"),
    "user_id": _l("Identifiant numérique du compte (facultatif)"),
    "secret": _l("Secret de signature des réponses"),
    "page_id": _l("Identifiant de la Page Facebook"),
    "ig_user_id": _l("Identifiant du compte Instagram professionnel"),
    "app_secret": _l("Secret de l'application Meta (signature des webhooks)"),
    "verify_token": _l("Jeton de vérification du webhook Meta"),
    "channel_id": _l("Identifiant de la chaîne YouTube (facultatif : trouvé à la vérification)"),
    "account_id": _l("Identifiant du compte Google Business Profile (accounts/…)"),
    "location_id": _l("Identifiant de l'établissement (locations/…)"),
}
#: Keys typed in a password field (never echoed back into the page).
SECRET_KEYS = {
    "app_password",
    "access_token",
    "bearer_token",
    "client_secret",
    "refresh_token",
    "consumer_secret",
    "access_token_secret",
    "secret",
    "app_secret",
    "verify_token",
}
CREDENTIAL_HINTS = {
    "bluesky": _l(
        "Un mot de passe d'application (Bluesky : Paramètres → Confidentialité et sécurité → "
        "Mots de passe d'application), jamais le mot de passe du compte."
    ),
    "mastodon": _l(
        "Le jeton d'une application créée dans Préférences → Développement, avec les droits "
        "read:notifications, write:statuses et profile."
    ),
    "x": _l(
        "Pour lire, répondre et masquer : soit OAuth 2.0 utilisateur (client ID et refresh "
        "token obtenus avec les droits tweet.read tweet.write users.read offline.access "
        "tweet.moderate.write ; Vigie renouvelle le jeton toutes les deux heures), soit les "
        "quatre clés OAuth 1.0a d'une app réglée sur « Read and write ». Le Bearer Token du "
        "portail (app-only) ne fait que lire les mentions. L'API X est payante à l'usage."
    ),
    "facebook": _l(
        "Un jeton d'accès de Page (autorisations pages_read_engagement, "
        "pages_read_user_content, pages_manage_engagement). Webhook : "
        "/api/v1/meta/webhook, champ « feed »."
    ),
    "instagram": _l(
        "Le jeton d'accès de la Page liée au compte (autorisations instagram_basic, "
        "instagram_manage_comments). Webhook : /api/v1/meta/webhook, champs « comments » "
        "et « mentions »."
    ),
    "youtube": _l(
        "Client ID, client secret et refresh token d'un client OAuth Google auquel le "
        "propriétaire de la chaîne a consenti (portée youtube.force-ssl). Quota par défaut : "
        "10 000 unités par jour (lecture 1, réponse et modération 50), remis à zéro à minuit, "
        "heure du Pacifique."
    ),
    "google_business": _l(
        "Client OAuth Google (portée business.manage, accès à l'API Business Profile accordé "
        "sur formulaire), refresh token du gestionnaire de la fiche, identifiants du compte et "
        "de l'établissement. Réponse aux avis seulement : Google ne permet pas de les masquer."
    ),
}


def access_lines(access: Any) -> list[str]:
    """What the account's credentials allow, in words (from `Connector.access`)."""
    if not isinstance(access, dict):
        return []
    ops = [
        str(ACCESS_OPERATION_LABELS[o])
        for o in access.get("operations") or []
        if o in ACCESS_OPERATION_LABELS
    ]
    kind = ACCESS_KIND_LABELS.get(str(access.get("kind")))
    lines = [
        _("Ces identifiants permettent : %(ops)s.", ops=", ".join(ops) or _("rien"))
        + (f" ({kind})" if kind else "")
    ]
    lines += [
        str(ACCESS_NOTE_LABELS[n]) for n in access.get("notes") or [] if n in ACCESS_NOTE_LABELS
    ]
    return lines


def _credential_forms(platforms: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """The credential fields of each platform, from its connector's `credential_fields`."""
    forms = []
    for platform in platforms:
        keys = get_connector(platform).credential_fields
        if keys:
            fields = [(k, CREDENTIAL_LABELS.get(k, k), k in SECRET_KEYS) for k in keys]
            forms.append(
                {
                    "platform": platform,
                    "name": PLATFORM_NAMES.get(platform, platform),
                    "fields": fields,
                    "hint": CREDENTIAL_HINTS.get(platform),
                }
            )
    return forms


def _typed_credentials(platform: str, form: Any) -> str | dict[str, Any]:
    """The pasted JSON when there is some, else what was typed in the platform's fields."""
    pasted = form.get("credentials", "").strip()
    if pasted or platform not in PLATFORMS:
        return pasted
    return {
        key: form.get(f"cred-{platform}-{key}", "").strip()
        for key in get_connector(platform).credential_fields
        if form.get(f"cred-{platform}-{key}", "").strip()
    }


def _check_failure_text(exc: ConnectorError) -> str:
    """A failed credentials check in words that do not tell which ports answer."""
    kind, detail = accounts.check_failure(exc)
    if kind == "refused":
        return _("La plateforme refuse ces identifiants : %(error)s", error=detail)
    if kind == "blocked":
        return _(
            "L'adresse du serveur est privée ou locale : Vigie ne s'y connecte pas "
            "(VIGIE_ALLOW_PRIVATE_URLS)."
        )
    return _(
        "Impossible de joindre le serveur de la plateforme, ou il ne répond pas comme elle. "
        "Vérifiez l'URL du serveur."
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@permission_required(ADMIN)
def account_new() -> Any:
    """Connect a platform account; credentials are encrypted and never shown again."""
    admin_brands = db().exec(g.scope.select(Brand, ADMIN).order_by(Brand.name)).all()
    error = None
    form = request.form
    if request.method == "POST":
        brand = next((b for b in admin_brands if str(b.id) == form.get("brand_id")), None)
        platform = form.get("platform", "")
        try:
            if brand is None or platform not in PLATFORMS:
                raise accounts.AccountError(_("Choisissez une marque et une plateforme."))
            credentials = accounts.parse_credentials(platform, _typed_credentials(platform, form))
            interval = form.get("interval_seconds", "60").strip()
            options = accounts.parse_options(form.get("options") or "")
            account, token = accounts.create_account(
                session=db(),
                brand=brand,
                platform=platform,
                credentials=credentials,
                box=accounts.secrets_box(),
                label=form.get("label", "").strip(),
                handle=form.get("handle", "").strip(),
                base_url=form.get("base_url", "").strip() or None,
                interval_seconds=int(interval) if digits(interval) else -1,
                options=options,
                actor=g.user,
                verify=not form.get("skip_verify"),
            )
            db().commit()
            if token:
                return render_template("admin/token_once.html", account=account, token=token)
            flash(
                _("Compte connecté. Les identifiants sont chiffrés et ne seront plus affichés."),
                "success",
            )
            return redirect(url_for("admin.account_detail", account_id=account.id))
        except (accounts.AccountError, json.JSONDecodeError) as exc:
            db().rollback()
            error = str(exc)
        except ConnectorError as exc:
            db().rollback()
            error = (
                _check_failure_text(exc)
                + " "
                + _("Rien n'a été enregistré ; réessayez, ou cochez « Enregistrer sans vérifier ».")
            )
    return render_template(
        "admin/account_new.html",
        brands=admin_brands,
        platforms=PLATFORMS,
        credential_forms=_credential_forms(PLATFORMS),
        error=error,
        form=form,
    ), (422 if error else 200)


def _push_rate(raw: str) -> int | None:
    """The form's mentions-a-minute field: empty means the default."""
    raw = raw.strip().replace(" ", "").replace("\u202f", "")
    if not raw:
        return None
    if not digits(raw):
        raise accounts.AccountError(_("Limite : un nombre entier de mentions par minute."))
    return int(raw)


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@permission_required(ADMIN)
def account_detail(account_id: int) -> Any:
    """One account's health and actions: replace credentials, enable/disable, rotate token."""
    account = g.scope.get_or_404(db(), ConnectorAccount, account_id, ADMIN)
    error = None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "credentials":
                credentials = accounts.parse_credentials(
                    account.platform, _typed_credentials(account.platform, request.form)
                )
                accounts.replace_credentials(
                    session=db(),
                    account=account,
                    credentials=credentials,
                    box=accounts.secrets_box(),
                    actor=g.user,
                )
            elif action in ("enable", "disable"):
                accounts.set_active(
                    session=db(), account=account, active=action == "enable", actor=g.user
                )
            elif action == "verify":
                try:
                    handle = accounts.verify_account(
                        session=db(), account=account, box=accounts.secrets_box(), actor=g.user
                    )
                except ConnectorError as exc:
                    raise accounts.AccountError(_check_failure_text(exc)) from exc
                db().commit()
                flash(_("Identifiants valides : compte %(handle)s.", handle=handle), "success")
                for line in access_lines(account.options.get("access")):
                    flash(line, "info")
                return redirect(url_for("admin.account_detail", account_id=account.id))
            elif action == "reply_url" and account.platform == "webhook":
                accounts.set_reply_url(
                    session=db(),
                    account=account,
                    url=request.form.get("reply_url", "")[:1001],
                    reply_secret=request.form.get("reply_secret", "")[:500],
                    box=accounts.secrets_box(),
                    actor=g.user,
                )
            elif action == "push_rate" and account.platform == "webhook":
                accounts.set_push_rate(
                    session=db(),
                    account=account,
                    per_minute=_push_rate(request.form.get("rate_per_minute", "")),
                    actor=g.user,
                )
            elif action == "rotate_token" and account.platform == "webhook":
                token = accounts.rotate_webhook_token(session=db(), account=account, actor=g.user)
                db().commit()
                return render_template("admin/token_once.html", account=account, token=token)
            else:
                abort(400)
            db().commit()
            flash(_("Modification enregistrée."), "success")
            return redirect(url_for("admin.account_detail", account_id=account.id))
        except accounts.AccountError as exc:
            db().rollback()
            error = str(exc)
    brand = db().get(Brand, account.brand_id)
    return render_template(
        "admin/account_detail.html",
        account=account,
        brand=brand,
        credential_forms=_credential_forms([account.platform]),
        access=access_lines((account.options or {}).get("access")),
        pacing=(account.options or {}).get("pacing") or {},
        default_push_rate=webhook_quota.rate_for({}).amount,
        max_push_rate=webhook_quota.MAX_RATE_PER_MINUTE,
        quota=platform_quota.health(db().get_bind(), account),  # type: ignore[arg-type]
        error=error,
    ), (422 if error else 200)
