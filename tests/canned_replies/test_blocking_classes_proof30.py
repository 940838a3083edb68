"""Classes of correct French that Grammalecte's agreement rules misread (issue 19 precision,
proof30): a bare noun after "être" and before "de" ("sont fonction de"), a noun in apposition
after "les" + noun, "se" as the indirect object, "que" as the object before "m'as", a time
complement after a reflexive participle, "on" before a conjugated verb after a vocative; with
the real slips of the same shapes that must still block. Sentences written for these tests."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        # être + bare noun + de: an attribute locution that does not agree
        "Les frais sont fonction du poids.",
        "Les délais de livraison seront fonction de la demande.",
        "Ces remboursements sont fonction de la date d'achat.",
        "Vos avis sont preuve de votre confiance.",
        # a noun in apposition after "les" + noun, the clause's verb further on
        "Les ateliers cuisine pour enfants ont lieu le mercredi.",
        "Les cours photo du samedi sont complets.",
        # "se" is the indirect object: the participle stays as it is
        "elles se sont téléphoné hier soir",
        "Les deux conseillères se sont parlé avant de vous rappeler.",
        # the object is the relative "que" before "m'as", "t'a"
        "les affaires que tu m'as prêtées sont dans mon sac",
        "Les photos que votre collègue m'a envoyées sont bien arrivées.",
        # a time complement after the participle is not its object
        "elles se sont mariées l'an dernier",
        "Mes sœurs se sont installées la semaine dernière à Lyon.",
        # "on" before a conjugated verb, after a vocative
        "les filles on arrive dans dix minutes",
        "les gars on part à 8h",
    ],
)
def test_correct_sentence_does_not_block(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # an adjective, a participle or a noun without "de" after "être" still agrees
        ("Elles sont content de venir.", "content", "contentes"),
        ("Les portes sont fermé de l'intérieur.", "fermé", ""),  # the fix offered: fermés
        ("Les filles sont partie de bonne heure.", "partie", "parties"),
        ("qui m'a conseiller de m'adresser à vous", "conseiller", "conseillé"),
        # "les" + noun + a verb that is not a noun, or a verb after a conjunction
        ("Les colis de Marseille arrive demain.", "arrive", "arrivent"),
        ("Les équipes techniques intervient ce soir.", "intervient", "interviennent"),
        ("Les enfants joue dans le jardin et rient.", "joue", "jouent"),
        # a reflexive participle whose "se" is the direct object
        ("elles se sont levé tôt", "levé", "levées"),
        ("ils se sont battu", "battu", "battus"),
        # "ont" before a participle, a noun or "pas"
        ("les trains on pris du retard", "on", "ont"),
        ("les enfants on faim", "on", "ont"),
        ("les gens on fait une erreur", "on", "ont"),
    ],
)
def test_real_slip_still_blocks(text: str, word: str, fix: str) -> None:
    fixes = blocking_fixes(text)
    assert word in fixes, fixes
    assert not fix or fixes[word].lower() == fix


def test_attribute_noun_stays_as_advice() -> None:
    """The agreement finding on "fonction" is still shown, as advice."""
    text = "Les frais sont fonction du poids."
    findings = [f for f in proofread(text) if text[f.start : f.end] == "fonction"]
    assert findings and not any(f.blocking for f in findings)


@pytest.mark.parametrize("text", ["on go au resto ce soir ?", "bon ben on go", "on rush demain"])
def test_english_verb_after_pronoun_is_advice(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("on faim", "faim"),
        ("tu peur ?", "peur"),
        ("Je pence que c'est réglé.", "pence"),
        ("je ni suis jamais allée", "ni"),
        ("le fournisseur ne nous à toujours pas envoyé le bon", "à"),
    ],
)
def test_french_noun_after_pronoun_still_blocks(text: str, word: str) -> None:
    assert word in blocking_fixes(text)
