"""Suggestions that are right and names that stay quiet (issue 19 §1, §3), own sentences."""

import pytest

from canned_replies import proofread


def _on(text: str, word: str):
    start = text.index(word)
    return [f for f in proofread(text, "fr") if f.start <= start < f.end]


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # A subject pronoun asks for a verb of its person: not "par", "vien".
        ("Je parl avec le transporteur demain matin.", "parl", "parle"),
        ("Il vien vous livrer demain.", "vien", "vient"),
        ("Tu comprend pourquoi le colis est bloqué ?", "comprend", "comprends"),
    ],
)
def test_a_subject_pronoun_asks_for_its_verb(text, word, fix):
    found = _on(text, word)
    assert found and found[0].blocking and found[0].suggestions[0] == fix


@pytest.mark.usefixtures("grammalecte")
def test_a_doubled_consonant_moved_is_a_slip_not_a_term():
    # "apellé" is two edits from "appelé" but one slip; "pellé", one edit away, is rare.
    found = _on("Nous avons apellé le livreur ce matin.", "apellé")
    assert found and found[0].blocking and found[0].suggestions[0] == "appelé"


@pytest.mark.usefixtures("grammalecte")
def test_a_compound_written_apart_gets_its_hyphen():
    text = "Le kinésithérapeute soigne les troubles musculo squelettiques."
    found = _on(text, "musculo")
    assert found and found[0].blocking
    assert text[found[0].start : found[0].end] == "musculo squelettiques"
    assert found[0].suggestions[0] == "musculo-squelettiques"
    fixed = found[0].apply_first_suggestion(text)
    assert not [f for f in proofread(fixed, "fr") if f.blocking]


@pytest.mark.usefixtures("grammalecte")
def test_two_words_are_not_glued_into_another_word():
    # "facon" + "de" would be "faconde": the slip is "façon".
    found = _on("Merci pour votre facon de nous aider.", "facon")
    assert found and found[0].suggestions[0] == "façon"


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    "text",
    [
        "Votre commande CMD-2024-118 part demain de notre entrepôt de Saint-Priest.",
        "Écrivez-nous en DM sur @SupportVigie ou avec #ServiceClient.",
        "Le Galaxy S24 Ultra est en stock dans notre boutique de Villeurbanne.",
        "Notre conseillère Maëlys vous a envoyé un mail de confirmation.",
        "Le vol AF1234 pour Nouméa est retardé à cause d'un souci technique.",
        "Vous pouvez payer avec Lydia, PayPal ou Apple Pay.",
        "Merci pour ce feedback, on le partage avec la team produit.",
        "Le kit de bienvenue contient un mug, un tote bag et des stickers.",
        "Bonjour Mme Nguyen, votre rendez-vous avec Maître Lefèvre est confirmé.",
        "Merci julien, votre colis arrive demain.",  # a first name in lowercase: advice
    ],
)
def test_names_brands_codes_and_loanwords_do_not_block(text):
    assert not [f for f in proofread(text, "fr") if f.blocking], text


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bonjour madame bernier, votre colis arrive demain.", "bernier"),
        ("Le dossier de M. guerin est bien traité.", "guerin"),
        ("Le docteur kouchner vous recevra à 10 h.", "kouchner"),
    ],
)
def test_a_surname_after_a_title_is_advice_to_capitalise(text, name):
    found = _on(text, name)
    assert found and not found[0].blocking
    assert found[0].suggestions[0] == name.title()


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    "text",
    [
        "Bernier vous rappellera dans la journée.",  # subject name, object pronoun, verb
        "Kowalczyk ne répond plus depuis lundi.",
    ],
)
def test_a_name_before_its_verb_and_pronouns_does_not_block(text):
    assert not [f for f in proofread(text, "fr") if f.blocking], text


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Il me dit que me comande est partie.", "comande"),  # "me" is not "Me" (maître)
        ("Bonjuor vous allez bien ?", "Bonjuor"),  # a greeting, then a 2nd-person verb
    ],
)
def test_slips_next_to_pronouns_still_block(text, word):
    found = _on(text, word)
    assert found and found[0].blocking
