"""`vigie run` compiles every template before forking its workers, so that no CM's first
page pays Jinja's compilation."""

import subprocess
import sys

from app.serve import warm_up_templates


def test_every_template_is_compiled_and_kept(app) -> None:
    env = app.jinja_env
    count = warm_up_templates(app)
    assert count >= 100  # the console's pages, partials and e-mails
    assert env.cache is not None and len(env.cache) >= count
    loads = 0
    real_load = env.loader.load

    def counting_load(environment, name, globals=None):
        nonlocal loads
        loads += 1
        return real_load(environment, name, globals)

    env.loader.load = counting_load  # type: ignore[method-assign]
    try:
        env.get_template("queue/_row_list.html")
    finally:
        env.loader.load = real_load  # type: ignore[method-assign]
    assert loads == 0  # served from the cache, not compiled again


def test_each_language_catalogue_and_locale_data_are_loaded_at_start(tmp_path) -> None:
    # Loaded once per process on first use: `vigie run` loads them before forking its workers.
    # Checked in a fresh process: in this one an earlier test's pages have loaded them already.
    script = f"""
from babel import localedata
from cryptography.fernet import Fernet
from flask_babel import get_domain

from app import create_app
from app.config import LANGUAGES, Settings
from app.serve import warm_up_locales

settings = Settings(
    instance_path={str(tmp_path)!r},
    database_url="sqlite:///{tmp_path}/warm.db",
    secret_key="test-secret",
    encryption_key=Fernet.generate_key().decode(),
)
app = create_app({{"TESTING": True}}, settings=settings)
assert not set(LANGUAGES) & set(localedata._cache), "loaded before the warm-up"
warm_up_locales(app)
assert set(LANGUAGES) <= set(localedata._cache)
with app.app_context():
    assert set(LANGUAGES) <= {{language for language, _ in get_domain().cache}}
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
