"""Step 31 (issue 19): an elision joined to a word of its own ("sil vous plaît", "dune") or to
a capitalised name ("lEurope"); a silent final "d" heard as a "t" ("froit" → "froid"); the
subject pronoun read by subject_pronoun for the attribute's agreement too. Each with
look-alikes that must stay clean. Sentences written for these tests."""

import pytest

from canned_replies import adjective_past_complement, suggestion_agreement
from canned_replies.sounds import sound
from canned_replies.subject_pronoun import subject_pronoun
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Merci de patienter encore un peu sil vous plaît.", "sil", "s'il"),
        ("Sil te plait, rappelle-moi ce soir.", "Sil", "S'il"),
        ("Dites-moi sil manque une pièce.", "sil", "s'il"),
        ("On annule sil pleut samedi.", "sil", "s'il"),
        ("Je me demande sils reviennent lundi.", "sils", "s'ils"),
        ("Je vous écris au sujet dune facture.", "dune", "d'une"),
        ("Nous avons besoin dune photo du colis.", "dune", "d'une"),
        ("Le remboursement dépend dune vérification.", "dune", "d'une"),
        ("Nous livrons partout en France et dans lEurope du Sud.", "lEurope", "l'Europe"),
        ("Le colis arrive dItalie demain.", "dItalie", "d'Italie"),
        ("Le dossier dHélène est complet.", "dHélène", "d'Hélène"),
        ("La notice dOptiflex est jointe. Optiflex se règle en deux temps.", "dOptiflex",
         "d'Optiflex"),
    ],
)  # fmt: skip
def test_a_joined_elision_is_caught_with_its_fix_first(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le sil est une argile ocre.",
        "On trouve du sil rouge près de la rivière.",
        "Nous avons grimpé sur une dune immense.",
        "La dune blanche protège la plage.",
        "Le vent a déplacé la haute dune.",
        "Le film Dune sort en salle mercredi.",
        "Votre commande iPhone est expédiée via eBay.",
        "Le dossier d'Hélène est complet.",
        "S'il vous plaît, envoyez-nous une photo.",
        "La notice dOptimax est jointe.",  # an unknown name written nowhere else: unread
    ],
)
def test_joined_look_alikes_stay_clean(text: str) -> None:
    fixes = blocking_fixes(text)
    assert not {w for w in fixes if w in {"sil", "dune", "dOptimax", "iPhone", "eBay"}}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Il fait froit dehors, prenez un manteau.", "froit", "froid"),
        ("Votre colis arrivera en retart.", "retart", "retard"),
    ],
)
def test_a_silent_final_d_typed_t_is_heard_alike(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


def test_the_silent_d_is_read_at_the_word_end_only() -> None:
    assert sound("froid") == sound("froit")
    assert sound("grands") == sound("grants")
    assert sound("attendez") != sound("attentez")  # the ending "ez" is no final "d"


@pytest.mark.parametrize(
    ("text", "word", "pronoun"),
    [
        ("Bonjour, nous vous le renvoyons demain.", "vous", "nous"),
        ("elle les a reçus", "les", "elle"),
        ("Lucas et moi sommes passés", "sommes", "moi"),
        ("Je parle avec elle demain.", "demain", None),
    ],
)
def test_one_reader_gives_the_pronoun(text: str, word: str, pronoun: str | None) -> None:
    assert subject_pronoun(text, text.index(word)) == pronoun


def test_agreement_reads_objects_through_the_one_reader() -> None:
    text = "Bonjour, nous vous le renvoyon demain."
    assert suggestion_agreement.subject_person(text, text.index("renvoyon")) == ":1p"
    text = "Lucas et moi sommes arrivé"
    fits = suggestion_agreement.asks(text, text.index("arrivé"))  # "moi" after "et": plural
    assert fits is not None and fits("arrivés") and not fits("arrivé")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Dommages matériels post-installation signalées par les clients.", "signalées",
         "signalés"),
        ("Voici une boîte de bonbons acidulé.", "acidulé", "acidulés"),
        ("L'ancien président du comité régionale est venu.", "régionale", "régional"),
        ("Le tarif des abonnements annuelle baisse.", "annuelle", "annuels"),
    ],
)  # fmt: skip
def test_an_adjective_past_a_complement_agreeing_with_no_noun(
    text: str, word: str, fix: str
) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le prix des billets d'avion réservés en ligne baisse.",
        "La liste des pièces manquantes est jointe.",
        "Ils sont sortis de la réunion du matin satisfaits.",
        "Un homme et une femme âgés attendent.",
        "Nommez la montagne la plus élevée.",
        "L'offre étudiante donne droit à une remise.",
        "La carte de fidélité client est gratuite.",
        "Les juges ont une nouvelle fois demandé un délai.",
        "Une part de gâteau maison offerte.",
        "Un rapport de synthèse détaillée est joint.",  # agrees with "synthèse"
    ],
)
def test_adjectives_agreeing_with_one_noun_of_the_group_stay_clean(text: str) -> None:
    assert adjective_past_complement.check(text) == []
