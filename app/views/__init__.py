"""One blueprint per area; BLUEPRINTS is what create_app registers."""

from app.views.admin import bp as admin_bp
from app.views.api import bp as api_bp
from app.views.auth import bp as auth_bp
from app.views.home import bp as home_bp

BLUEPRINTS = [auth_bp, home_bp, admin_bp, api_bp]
