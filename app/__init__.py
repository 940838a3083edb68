"""Vigie's Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.config import Settings


def create_app(
    test_config: dict[str, Any] | None = None, settings: Settings | None = None
) -> Flask:
    """Build the web app: configuration, extensions, blueprints, error pages."""
    from app import web

    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        static_folder=str(web.STATIC_DIR),
        static_url_path="/static",
    )
    web.configure(app, settings, test_config or {})
    web.init_extensions(app)
    web.register_blueprints(app)
    web.register_error_handlers(app)
    return app
