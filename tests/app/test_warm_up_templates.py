"""`vigie run` compiles every template before forking its workers, so that no CM's first
page pays Jinja's compilation."""

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
