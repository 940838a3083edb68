"""`vigie run` compiles every template before forking its workers, so that no CM's first
page pays Jinja's compilation."""

from app.serve import warm_up_locales, warm_up_templates


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


def test_each_language_catalogue_and_locale_data_are_loaded_at_start(app) -> None:
    # Loaded once per process on first use: `vigie run` loads them before forking its workers.
    from babel import localedata

    from app.config import LANGUAGES

    localedata._cache.clear()
    warm_up_locales(app)
    assert set(LANGUAGES) <= set(localedata._cache)
    with app.app_context():
        from flask_babel import get_domain

        loaded = {language for language, _ in get_domain().cache}
    assert set(LANGUAGES) <= loaded
