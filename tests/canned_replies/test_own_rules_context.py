"""Our own rules stay quiet where the reading they rely on is wrong (sentences written here)."""

import pytest

from canned_replies import proofread

pytestmark = pytest.mark.usefixtures("grammalecte")


def _blocking(text: str) -> list[str]:
    return [text[f.start : f.end] for f in proofread(text, "fr") if f.blocking]


@pytest.mark.parametrize(
    "text",
    [
        # "je tort" after an inversion: the verb is before ("Ai-je").
        "Ai-je raison de penser que ce colis est perdu ?",
        # "vous" is the object; the subject came before a quoted exclamation.
        "Un message comme « c'est inadmissible ! » vous fera répondre par un conseiller.",
        # "vous le client": an apposition, not "vous" + verb.
        "Vous le client, vous êtes notre priorité.",
        # "l'on": the generic "on", singular.
        "Lorsque l'on est abonné, la livraison est offerte.",
        # A censored word quoted from a message is not spelled.
        "Votre message contenait « p*tain » et « encul*s », il a été masqué.",
    ],
)
def test_no_blocking_finding(text):
    assert _blocking(text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Je besoin de votre numéro de commande.", "Je"),
        ("Nous somme navrés pour ce contretemps.", "somme"),
        ("Vous le recevrez demain, il est partit ce matin.", "partit"),
        ("Bon, on est enfin arrivé au bout de votre dossier !", "arrivé"),
        ("Il a répondu « non ! » puis nous a envoyer un message.", "envoyer"),
    ],
)
def test_mistakes_still_block(text, word):
    assert word in _blocking(text)


def test_a_name_opening_a_sentence_before_its_verb_is_not_a_typo():
    assert _blocking("Pardelle a répondu hier soir.") == []
    assert _blocking("Pardelle, répondez-moi.") == ["Pardelle"]
    # Slips at a sentence start still block: a grammatical word, accents, a greeting.
    assert _blocking("Ilss sont partis ce matin.") == ["Ilss"]
    assert _blocking("Ca a été livré hier.") == ["Ca"]
    assert _blocking("Bonjuor Camille, votre colis arrive.") == ["Bonjuor"]
