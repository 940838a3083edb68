import pytest

from canned_replies import TemplateError, render, template_variables


def test_variables_are_filled():
    result = render(
        "Bonjour {{ prenom }}, votre commande {{ ref }} est partie.",
        {"prenom": "Léa", "ref": "CMD-1"},
    )
    assert result.text == "Bonjour Léa, votre commande CMD-1 est partie."
    assert result.missing == []
    assert result.complete


def test_missing_variable_is_visible_and_listed_never_blank():
    result = render(
        "Bonjour {{ prenom }}, votre billet {{ reference }} est remboursé.", {"prenom": "Léa"}
    )
    assert result.text == "Bonjour Léa, votre billet [[reference]] est remboursé."
    assert result.missing == ["reference"]
    assert not result.complete


def test_empty_value_counts_as_missing():
    result = render("Bonjour {{ prenom }} !", {"prenom": "  "})
    assert result.text == "Bonjour [[prenom]] !"
    assert result.missing == ["prenom"]


def test_optional_parts_are_not_reported_missing():
    body = (
        'Livraison {{ delai|default("sous 48 heures") }}.'
        "{% if lien %} Suivi : {{ lien }}{% endif %}"
    )
    result = render(body, {})
    assert result.text == "Livraison sous 48 heures."
    assert result.missing == []


def test_values_from_platforms_are_inserted_as_text_not_evaluated():
    result = render("Bonjour {{ prenom }}", {"prenom": "{{ 7 * 7 }} {% raw %}"})
    assert result.text == "Bonjour {{ 7 * 7 }} {% raw %}"


def test_rendering_is_sandboxed():
    with pytest.raises(TemplateError):
        render("{{ prenom.__class__.__mro__ }}", {"prenom": "Léa"})
    with pytest.raises(TemplateError):
        render("{{ ''.__class__ }}", {})


def test_syntax_error_is_reported():
    with pytest.raises(TemplateError, match="line 1"):
        render("Bonjour {{ prenom ", {})


def test_template_variables_in_order_of_appearance():
    body = "{{ b }} {{ a }} {% if c %}{{ b }}{% endif %} {% for x in items %}{{ x }}{% endfor %}"
    assert template_variables(body) == ["b", "a", "c", "items"]
