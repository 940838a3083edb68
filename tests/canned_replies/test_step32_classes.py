"""Step 32 (issue 19): "qui" after a comma agrees with the phrase before the comma (and its
reference number); "ai" with no "je" is "est" or "a" by what follows; an elision joined to an
acronym ("lICP"); a nationality adjective past a complement ("diamants africain"), read with
the lexicon's "#G" mark; "vous" after a subject and its comma is the object ("Nos
conseillers, disponibles le samedi, vous répondent"). Each with look-alikes that must stay
clean. Sentences written for these tests."""

import pytest

from canned_replies.french_words import Token, _gender_number, sentences, tokenize
from canned_replies.noun_phrases import past_reference
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("J'ai parlé à vos conseillères, qui était absentes hier.", "était", "étaient"),
        ("Nos conseillers, qui vous répondra demain, sont disponibles.", "répondra",
         "répondront"),
        ("Votre conseillère, qui vous répondront demain, est disponible.", "répondront",
         "répondra"),
        ("Vos colis, qui est parti ce matin, arrivent demain.", "est", "sont"),
        ("La somme, qui n'apparaissent pas sur la facture, vous sera remboursée.",
         "apparaissent", "apparaît"),
    ],
)  # fmt: skip
def test_qui_after_a_comma_agrees_with_the_phrase_before(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je vous relance pour la facture n° 2024-57, qui n'a pas été régler.", "régler",
         "réglée"),
        ("Bonjour, la commande, qui a été expédier hier, arrive demain.", "expédier",
         "expédiée"),
        ("Nous avons reçu vos colis, qui ont été livrer hier.", "livrer", "livrés"),
    ],
)  # fmt: skip
def test_participle_after_qui_and_a_comma_takes_the_antecedent(
    text: str, word: str, fix: str
) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le stylo et la gomme, qui étaient sur la table, ont disparu.",
        "Il a demandé 2 % du montant, qui lui ont été versés.",
        "La liste des colis, qui sont partis hier, est jointe.",
        "Un de nos clients, qui nous ont écrit la semaine dernière, attend.",
        "La facture n° 2024-57, qui est jointe, reste à régler.",
        "Nos conseillères, qui étaient absentes hier, vous rappellent.",
        "Dans cette équipe, qui sont les responsables du planning ?",
    ],
)
def test_qui_after_a_comma_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Nos conseillers, disponibles le samedi, vous répondent sous 24 heures.",
        "Bonjour Léa, nos techniciens, passés hier, vous rappellent demain.",
        "Votre conseillère, absente ce matin, vous rappelle cet après-midi.",
    ],
)
def test_vous_after_a_subject_and_its_comma_is_the_object(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Bonjour, vous recevront un mail demain.", "recevront", "recevrez"),
        ("Les techniciens passent lundi. Ensuite, vous recevront un mail.", "recevront",
         "recevrez"),
    ],
)  # fmt: skip
def test_vous_opening_its_clause_is_still_the_subject(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Votre dossier est suivi par Julie Martin, qui vous rappelleront demain.",
         "rappelleront", "rappellera"),
        ("J'ai transmis votre demande à Karim, qui vous répondent sous 48 heures.",
         "répondent", "répond"),
    ],
)  # fmt: skip
def test_qui_after_a_person_s_name_is_singular(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Nous avons reçu Paul et Julie Martin, qui sont ravis.",
        "Les amis de Julie Martin, qui sont venus hier, repartent.",
        "Le club, présidé par Paul Martin et dirigé par Luc Petit, qui seront présents, ouvre.",
        "Julie, qui sont ces personnes ?",
    ],
)
def test_qui_after_a_name_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_past_reference_skips_a_number_after_its_noun() -> None:
    sentence = next(iter(sentences(tokenize("la facture n° 2024-118, qui"))))
    assert past_reference(sentence, 2) == 4
    plain = next(iter(sentences(tokenize("la facture, qui"))))
    assert past_reference(plain, 2) == 2


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("Bonjour, le code promo ETE24 n'ai valable que sur la boutique en ligne.", "est"),
        ("Cette remise n'ai pas cumulable avec les soldes.", "est"),
        ("Le colis n'ai toujours pas arrivé.", "est"),
        ("Votre commande ai disponible en magasin.", "est"),
        ("Le client n'ai pas reçu sa facture.", "a"),
    ],
)
def test_ai_with_no_je_is_est_or_a(text: str, fix: str) -> None:
    assert blocking_fixes(text).get("ai") == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("La notice de lICP est jointe.", "lICP", "l'ICP"),
        ("Nous avons écrit à lURSSAF hier.", "lURSSAF", "l'URSSAF"),
        ("Le courrier de lUE est arrivé.", "lUE", "l'UE"),
        ("Le dossier dEDF est complet.", "dEDF", "d'EDF"),
    ],
)  # fmt: skip
def test_an_elision_joined_to_an_acronym(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Une batterie de 3000 mAh suffit.",
        "Le bruit atteint 80 dB ici.",
        "Réglez le volume en dBA.",
        "Votre commande iPhone est partie.",
        "Le rapport de l'INSEE sort lundi.",
    ],
)
def test_acronym_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_a_nationality_mark_does_not_hide_the_number() -> None:
    token = Token("africain", 0, 8, "word")
    assert _gender_number(token, r":A") == ({"m"}, {"s"})


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nous vendons des lots de diamants africain.", "africain", "africains"),
        ("Nous livrons des paniers de fromages belge.", "belge", "belges"),
    ],
)
def test_a_nationality_past_a_complement(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "La carte de fidélité client est gratuite.",
        "Les clients du magasin français sont ravis.",
        "Un groupe de touristes chinois est arrivé.",
        "Le prix des fromages belges a augmenté.",
        "Nous livrons des caisses de vin italien.",
    ],
)
def test_nationality_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}
