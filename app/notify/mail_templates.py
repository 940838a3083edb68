"""E-mails as templates (`app/templates/mail/<name>.subject.txt`, `.body.txt`) in one language.

Plain text, so nothing is HTML-escaped. Rendered without a Flask context (the worker's tick
and the tests call the services directly) with the app's own catalogs, loaded by Babel: the
msgids are French, so French needs no catalog.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_datetime
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.config import LANGUAGES

_APP = Path(__file__).resolve().parents[1]
TEMPLATES = _APP / "templates" / "mail"
TRANSLATIONS = _APP / "translations"


def language(*choices: str | None) -> str:
    """The first of `choices` the app speaks (a user's locale, a brand's language), else French."""
    for choice in choices:
        if choice in LANGUAGES:
            return choice  # type: ignore[return-value]
    return "fr"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The app's catalog for `lang` (French, the msgids' language, needs none)."""
    lang = language(lang)
    return NullTranslations() if lang == "fr" else Translations.load(str(TRANSLATIONS), [lang])


def when(value: datetime | None, lang: str) -> str:
    """A moment as readers of `lang` write it, in UTC ("—" when there is none)."""
    if value is None:
        return "—"
    return format_datetime(value, "short", tzinfo=UTC, locale=language(lang)) + " UTC"


@lru_cache(maxsize=len(LANGUAGES))
def _env(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["when"] = lambda dt: when(dt, lang)
    return env


def render_mail(name: str, lang: str, **context: Any) -> tuple[str, str]:
    """(subject, body) of the mail template `name` in `lang` (French when not spoken)."""
    env = _env(language(lang))
    subject = env.get_template(f"{name}.subject.txt").render(**context)
    body = env.get_template(f"{name}.body.txt").render(**context)
    return " ".join(subject.split()), body
