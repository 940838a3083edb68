"""The ordered steps of create_app, each kept small and named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, render_template, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.routing import IntegerConverter

from app.config import LANGUAGES, PROJECT_ROOT, Settings
from app.extensions import babel, close_db, csrf, db, htmx, limiter, make_engine
from app.params import MAX_ID
from app.services.case_locks import CaseChanged

STATIC_DIR = PROJECT_ROOT / "static"


def configure(app: Flask, settings: Settings, overrides: dict[str, Any]) -> None:
    """Settings → Flask config; cookies HttpOnly + SameSite, secure when served over https."""
    app.config.update(
        SECRET_KEY=settings.secret_key,
        VIGIE_SETTINGS=settings,
        VIGIE_DATABASE_URL=settings.database_url,
        VIGIE_ENCRYPTION_KEY=settings.encryption_key,
        VIGIE_DEMO=settings.demo_mode,
        VIGIE_ALLOW_PRIVATE_URLS=settings.allow_private_urls,
        VIGIE_2FA_ROLES=settings.two_factor_roles,
        VIGIE_SMTP_URL=settings.smtp_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        SESSION_COOKIE_NAME="vigie_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=False,
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE="Europe/Paris",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
        VIGIE_TRUSTED_PROXIES=settings.trusted_proxies,
        VIGIE_OIDC_PROVIDERS=settings.oidc_providers,
        VIGIE_OIDC_ONLY_DOMAINS=settings.oidc_only_domains,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.config.update(overrides)
    if "VIGIE_DATABASE_URL" in overrides:
        from app.config import normalise_database_url

        app.config["VIGIE_DATABASE_URL"] = normalise_database_url(overrides["VIGIE_DATABASE_URL"])


def select_locale() -> str:
    """The UI language: the user's choice (English switch), French by default."""
    if not has_request_context():  # worker and CLI: French, the product's first language
        return "fr"
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else "fr"


def init_extensions(app: Flask) -> None:
    from app.request_timing import init_request_timing
    from app.security import api_requests, proxies, throttle
    from app.security.auth import load_current_user
    from app.security.totp import enforce_enrolment
    from app.ui.filters import init_filters
    from app.ui.i18n import init_i18n
    from app.ui.queue_poll import init_queue_poll
    from app.ui.queue_rows import init_queue_rows

    app.extensions["vigie_engine"] = make_engine(app.config["VIGIE_DATABASE_URL"])
    init_request_timing(app)  # opt-in (VIGIE_REQUEST_TIMING): load tests only
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)  # after flask_babel's own callables, which it replaces
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    api_requests.init_app(app, limiter)
    throttle.init_app(app)
    app.wsgi_app = proxies.wrap(app.wsgi_app, app.config.get("VIGIE_TRUSTED_PROXIES"))  # type: ignore[method-assign]
    app.teardown_appcontext(close_db)
    init_filters(app)
    init_queue_rows(app)
    init_queue_poll(app)
    app.before_request(load_current_user)
    app.before_request(enforce_enrolment)

    @app.after_request
    def _headers(response: Any) -> Any:
        if api_requests.is_api_request():
            for name, value in api_requests.API_HEADERS:
                response.headers.setdefault(name, value)
            return response
        # One URL serves a page or its fragment: caches must key on HX-Request.
        response.vary.add("HX-Request")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
        )
        return response

    @app.context_processor
    def _globals() -> dict[str, Any]:
        from app.ui.navigation import navigation_for

        return {
            "current_user": g.get("user"),
            "scope": g.get("scope"),
            "nav_items": navigation_for(g.get("scope")),
            "demo_mode": app.config.get("VIGIE_DEMO", False),
            "current_lang": select_locale(),
        }


def register_blueprints(app: Flask) -> None:
    from app.views import BLUEPRINTS

    app.url_map.converters["int"] = IdConverter
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs: a number no id column can hold is a 404, not a database error."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_error_handlers(app: Flask) -> None:
    def render_error(status: int, title: str, message: str) -> Any:
        template = (
            "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
        )
        return render_template(template, status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> Any:
        return render_error(
            400,
            _("Formulaire expiré"),
            _(
                "Le jeton de sécurité du formulaire manque ou a expiré. "
                "Rechargez la page puis recommencez."
            ),
        )

    @app.errorhandler(403)
    def _forbidden(_exc: Exception) -> Any:
        return render_error(
            403, _("Accès refusé"), _("Votre rôle ne permet pas cette action sur cette marque.")
        )

    @app.errorhandler(404)
    def _not_found(_exc: Exception) -> Any:
        return render_error(
            404, _("Page introuvable"), _("Cette page n'existe pas ou vous n'y avez pas accès.")
        )

    @app.errorhandler(429)
    def _too_many(_exc: Exception) -> Any:
        return render_error(
            429,
            _("Trop de tentatives"),
            _("Trop de tentatives en peu de temps. Patientez une minute."),
        )

    @app.errorhandler(413)
    def _too_large(_exc: Exception) -> Any:
        return render_error(413, _("Envoi trop volumineux"), _("Le contenu envoyé est trop gros."))

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _bad_value(_exc: Exception) -> Any:
        # Last line of defence: a value the database refuses (NUL byte, out-of-range number,
        # text longer than its column) is the sender's mistake; nothing of it is kept.
        db().rollback()
        return render_error(
            400,
            _("Valeur refusée"),
            _("Une valeur envoyée est invalide (trop longue, hors limites ou caractère interdit)."),
        )

    @app.errorhandler(CaseChanged)
    def _case_changed(exc: CaseChanged) -> Any:
        # Another action on the case won the race (case pages have a richer handler of their own).
        db().rollback()
        return render_error(409, _("Cas modifié entre-temps"), str(exc))
