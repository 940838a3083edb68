"""Single sign-on with OpenID Connect: « Se connecter avec Google Workspace / Microsoft Entra ».

GET /login/sso/<key> sends the browser to the provider (Authorization Code flow with PKCE, a
state and a nonce); GET /login/sso/<key>/callback finishes: the state is single-use and bound to
this browser, the code is exchanged server-side through the outbound-URL policy, the ID token's
signature and claims are checked, and the user is matched (see app/security/sso.py). The session
is the same server-side session as a password login.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
)
from flask import url_for as flask_url_for
from flask_babel import gettext as _

from app.extensions import db, limiter
from app.models import User
from app.security import oidc, outbound, sso, throttle, totp
from app.security.auth import login_user, permission_required
from app.services import audit, users
from app.views.account import start_second_factor
from app.views.auth import _safe_next

bp = Blueprint("sso", __name__)

PENDING_KEY = "sso_pending"  # in the cookie session: {"p": provider key, "s": state}


def _redirect_uri(key: str) -> str:
    # From the configured public URL, never from the request's Host header.
    base = current_app.config["VIGIE_SETTINGS"].public_url.rstrip("/")
    return base + flask_url_for("sso.callback", key=key)


def _refusal_message(reason: str, name: str) -> str:
    messages = {
        sso.UNVERIFIED: _(
            "%(provider)s n'a pas confirmé que cette adresse e-mail vous appartient. "
            "Vérifiez-la auprès de votre administrateur, puis réessayez.",
            provider=name,
        ),
        sso.NO_EMAIL: _("%(provider)s n'a pas transmis d'adresse e-mail.", provider=name),
        sso.DOMAIN: _(
            "Les adresses de ce domaine ne peuvent pas se connecter par %(provider)s.",
            provider=name,
        ),
        sso.UNKNOWN: _(
            "Aucun compte Vigie n'existe pour cette adresse. La connexion unique ne crée pas de "
            "compte : demandez à un administrateur de votre agence de vous inviter."
        ),
        sso.INACTIVE: _("Ce compte Vigie est désactivé."),
        sso.OTHER_IDENTITY: _(
            "Ce compte Vigie est déjà lié à une autre identité %(provider)s. Un administrateur "
            "doit vérifier l'adresse avant que vous puissiez vous connecter ainsi.",
            provider=name,
        ),
        "state": _(
            "Cette demande de connexion a expiré ou a déjà servi. Recommencez depuis la page "
            "de connexion."
        ),
        "cancelled": _("La connexion a été annulée chez %(provider)s.", provider=name),
        oidc.UNREACHABLE: _(
            "%(provider)s ne répond pas. Réessayez dans un instant ou connectez-vous avec "
            "votre mot de passe.",
            provider=name,
        ),
        oidc.DISCOVERY: _(
            "La connexion avec %(provider)s est mal configurée. Prévenez l'exploitant de Vigie.",
            provider=name,
        ),
        oidc.TOKEN: _("%(provider)s a refusé la connexion. Recommencez.", provider=name),
        oidc.ID_TOKEN: _(
            "La réponse de %(provider)s n'a pas pu être vérifiée. Recommencez.", provider=name
        ),
    }
    return messages.get(reason, messages["state"])


_STATUS = {
    oidc.UNREACHABLE: 502,
    oidc.DISCOVERY: 502,
    oidc.TOKEN: 400,
    oidc.ID_TOKEN: 400,
    "state": 400,
    "cancelled": 400,
}


def _refuse(prov_key: str, name: str, reason: str, email: str = "", detail: str = "") -> Any:
    """The refusal page, and the refusal in the audit trail."""
    db().rollback()
    audit.record(
        session=db(),
        action="auth.sso_refused",
        target_type="user",
        target_id=None,
        brand_id=None,
        actor_label=email or f"sso:{prov_key}",
        after={"provider": prov_key, "reason": reason},
        note=detail[:500] or None,
    )
    db().commit()
    page = render_template(
        "auth/sso_refused.html", provider_name=name, message=_refusal_message(reason, name)
    )
    return page, _STATUS.get(reason, 403)


def _provider_or_404(key: str) -> Any:
    prov = sso.provider(key[:64])
    if prov is None:
        abort(404)
    return prov


@bp.get("/login/sso/<key>")
@limiter.limit("30 per minute; 300 per hour")
def start(key: str) -> Any:
    """Send the browser to the provider's sign-in page."""
    prov = _provider_or_404(key)
    try:
        meta = oidc.metadata(prov, outbound.policy())
    except oidc.OIDCError as exc:
        current_app.logger.error("SSO %s: %s", prov.key, exc)
        return _refuse(prov.key, prov.name, exc.reason, detail=str(exc))
    auth = oidc.authorization_request(prov, meta, _redirect_uri(prov.key))
    sso.save_state(
        db=db(),
        provider_key=prov.key,
        state=auth.state,
        nonce=auth.nonce,
        code_verifier=auth.code_verifier,
        next_url=_safe_next(request.args.get("next")),
    )
    db().commit()
    session[PENDING_KEY] = {"p": prov.key, "s": auth.state}
    return redirect(auth.url)


@bp.get("/login/sso/<key>/callback")
@limiter.limit("30 per minute; 300 per hour")
def callback(key: str) -> Any:
    """The provider sends the browser back here with a code (or an error)."""
    prov = _provider_or_404(key)
    state = request.args.get("state", "")[:200]
    pending = session.pop(PENDING_KEY, None)
    # Bound to this browser (no one else's sign-in lands in this session) and single-use.
    mine = (
        isinstance(pending, dict)
        and pending.get("p") == prov.key
        and isinstance(pending.get("s"), str)
        and secrets.compare_digest(pending["s"].encode(), state.encode())
    )
    row = sso.take_state(db=db(), provider_key=prov.key, state=state) if state else None
    if request.args.get("error"):  # denied or failed at the provider: nothing to check
        return _refuse(prov.key, prov.name, "cancelled", detail=request.args.get("error", "")[:100])
    if not mine or row is None:
        return _refuse(prov.key, prov.name, "state")
    code = request.args.get("code", "")
    if not code or len(code) > 2000:
        return _refuse(prov.key, prov.name, "state")
    policy = outbound.policy()
    try:
        meta = oidc.metadata(prov, policy)
        tokens = oidc.exchange_code(
            prov,
            meta,
            policy,
            code=code,
            redirect_uri=_redirect_uri(prov.key),
            code_verifier=row.code_verifier,
        )
        access_token = tokens.get("access_token")
        claims = oidc.verify_id_token(
            prov,
            meta,
            policy,
            id_token=tokens["id_token"],
            nonce=row.nonce,
            access_token=access_token if isinstance(access_token, str) else None,
        )
    except oidc.OIDCError as exc:
        current_app.logger.warning("SSO %s refused: %s", prov.key, exc)
        return _refuse(prov.key, prov.name, exc.reason, detail=str(exc))
    try:
        user = sso.match_user(db=db(), prov=prov, issuer=meta.issuer, claims=claims)
    except sso.SSORefused as exc:
        return _refuse(prov.key, prov.name, exc.reason, email=exc.email)
    return _sign_in(user, prov.key, oidc.provider_did_mfa(claims), row.next_url)


def _sign_in(user: User, key: str, mfa: bool, next_url: str | None) -> Any:
    if totp.is_enabled(user):
        # The user turned on Vigie's two-factor: asked after SSO too (an account taken over at
        # the provider alone does not open Vigie).
        db().commit()
        return start_second_factor(user, next_url, via=f"sso:{key}")
    audit.record(
        session=db(),
        action="auth.login",
        target_type="user",
        target_id=user.id,
        brand_id=None,
        actor=user,
        note=f"sso:{key}" + (":mfa" if mfa else ""),
    )
    db().commit()
    login_user(user)
    sso.mark_session(key, mfa)
    response = redirect(next_url or flask_url_for("home.index"))
    throttle.record_success(user.email, user.id, response)  # type: ignore[arg-type]
    return response


@bp.post("/admin/users/<int:user_id>/sso/unlink")
@permission_required("admin.manage")
def unlink(user_id: int) -> Any:
    """An admin unlinks a user's SSO identity (same rule as a password reset: only for accounts
    whose every brand the admin administers)."""
    from app.views.admin import _user_or_404

    user = _user_or_404(user_id)
    if not users.may_manage_account(session=db(), actor=g.user, target=user):
        abort(403)
    count = sso.unlink_all(db=db(), user=user, actor=g.user)
    db().commit()
    if count:
        flash(_("Identité de connexion unique déliée ; ses sessions sont fermées."), "success")
    return redirect(flask_url_for("admin.user_edit", user_id=user.id))


@bp.app_context_processor
def sso_globals() -> dict[str, Any]:
    """The login page's buttons, and the linked identities shown on « Mon compte » and the
    admin's user page."""

    def identities(user: User) -> list[dict[str, Any]]:
        return [
            {
                "provider": sso.provider_name(i.provider),
                "email": i.email,
                "created_at": i.created_at,
                "last_login_at": i.last_login_at,
            }
            for i in sso.identities_of(db=db(), user=user)
        ]

    marker = session.get(sso.SESSION_KEY) if g.get("user") is not None else None
    return {
        "sso_providers": sso.providers(),
        "sso_identities": identities,
        "sso_session_provider": sso.provider_name(marker["p"])
        if isinstance(marker, dict) and isinstance(marker.get("p"), str)
        else None,
    }
