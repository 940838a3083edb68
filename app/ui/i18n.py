"""Jinja's gettext with the translations looked up once per request and locale.

flask_babel's own Jinja callables walk `g`, the domain and the locale on every `_()`: a queue
page says some 600 of them (labels repeated on each of its 50 rows), a third of its rendering.
These callables keep the translations on `g` beside the locale they were made for, so a
`force_locale` (a mail in its recipient's language) still gets its own.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from flask_babel import get_translations

_KEY = "_vigie_translations"


def translations() -> Any:
    """The current translations: flask_babel's, cached on `g` for the locale in force."""
    try:
        store = g._get_current_object()
    except RuntimeError:  # no app context: flask_babel answers (null translations)
        return get_translations()
    held = store.__dict__
    ctx = held.get("_flask_babel")
    cached = held.get(_KEY)
    if cached is not None and ctx is not None and cached[0] is getattr(ctx, "babel_locale", None):
        return cached[1]
    found = get_translations()
    ctx = held.get("_flask_babel")  # flask_babel has now chosen the locale
    locale = getattr(ctx, "babel_locale", None)
    if locale is not None:
        held[_KEY] = (locale, found)
    return found


def init_i18n(app: Flask) -> None:
    """Replace flask_babel's Jinja callables (same strings, same catalogue) by the cached ones."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
