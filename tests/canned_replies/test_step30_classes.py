"""Step 30 (issue 19): one reader of the subject pronoun for every suggestion; a first name or
"moi"/"toi" in a coordinated subject; a subject phrase with a place's name after "de"; an
elision written without its apostrophe or a silent "h" left out; "tout" agreeing with the
noun phrase after it. Each with look-alikes that must stay clean. Sentences written for
these tests."""

import pytest

from canned_replies.suggestion_context import subject_person
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


def _person(text: str, word: str, **options: bool) -> str | None:
    return subject_person(text, text.index(word), **options)


@pytest.mark.parametrize(
    ("text", "word", "person"),
    [
        ("je voudrai venir", "voudrai", ":1s"),
        ("Elle pourrai venir", "pourrai", ":3s"),
        ("elles devrai partir", "devrai", ":3p"),
        ("Bonjour Sophie, nous avont reçu", "avont", ":1p"),
        ("et vous pouvé passer", "pouvé", ":2p"),
        ("Lucas et moi avont reçu", "avont", ":1p"),
        ("Sarah et toi ête invités", "ête", ":2p"),
        ("s'il pouvais venir", "pouvais", ":3s"),
    ],
)
def test_one_reader_knows_every_subject_pronoun(text: str, word: str, person: str) -> None:
    assert _person(text, word) == person


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Où puis-je trouvé mon numéro ?", "trouvé"),  # an inverted subject
        ("Je parle avec elle demain.", "demain"),  # "elle" after a preposition
        ("Il nous avont dit", "avont"),  # "nous" as an object
        ("Le colis vous sera remis", "sera"),
    ],
)
def test_the_reader_reads_no_subject_where_there_is_none(text: str, word: str) -> None:
    assert _person(text, word) is None


def test_the_clause_reader_does_not_read_past_an_elision() -> None:
    text = "Il faut qu'il viens demain."
    assert _person(text, "viens") == ":3s"
    assert _person(text, "viens", after_elision=False) is None


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a first name or "moi"/"toi" coordinated in the subject
        ("Lucas et moi avont bien reçu votre message.", "avont", "avons"),
        ("Sarah et toi ête invités samedi.", "ête", "êtes"),
        ("Inès et sa cousine sont venu hier soir.", "venu", "venues"),
        # a place's name after "de" in the subject phrase
        ("Notre agence de Toulouse sera fermer samedi.", "fermer", "fermée"),
        # an elision without its apostrophe, a silent "h" left out
        ("Bonjour, jai bien noté votre demande.", "jai", "j'ai"),
        ("Merci de consulter lhoraire en ligne.", "lhoraire", "l'horaire"),
        ("Nous répondons dhabitude sous deux jours.", "dhabitude", "d'habitude"),
        ("N'ésitez pas à revenir vers nous.", "ésitez", "hésitez"),
        ("Le livreur sapprête à partir.", "sapprête", "s'apprête"),
        # "tout" before a determiner agrees with the noun phrase
        ("Il appelle toute les matins.", "toute", "tous"),
        ("Le magasin reste ouvert tous la journée.", "tous", "toute"),
        ("Je suis disponible tout la semaine.", "tout", "toute"),
        ("Tout l'équipe vous remercie.", "Tout", "Toute"),
        ("Une remise est offerte sur toutes les articles.", "toutes", "tous"),
    ],
)
def test_the_mistake_is_caught_with_its_fix_first(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Lucas et moi avons bien reçu votre message.",
        "Sarah et toi êtes invitées samedi.",
        "Inès et sa cousine sont venues hier soir.",
        "Il est venu avec Lucas et moi hier.",
        "Notre agence de Toulouse sera fermée samedi.",
        "Le magasin de Lille est ouvert le dimanche.",
        "J'ai bien noté votre demande.",
        "L'horaire est affiché en magasin.",
        "N'hésitez pas à revenir vers nous.",
        "Ils ont tous la même adresse.",
        "Elles ont toutes les clés du local.",
        "Nous avons tous le même problème.",
        "Toute l'équipe vous remercie.",
        "Je passe tous les matins.",
        "C'est tout le contraire.",
        "Il a eu tout le temps de répondre.",
        "Tous les deux sont partis.",
        "Les livreurs passent tous le lundi.",
        "Je vous remercie tous la semaine prochaine.",
    ],
)
def test_correct_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "words", "fix"),
    [
        ("Nous répondons, d habitude, sous deux jours.", "d habitude", "d'habitude"),
        ("j ai bien reçu le colis", "j ai", "j'ai"),
        ("Merci de noter l adresse exacte.", "l adresse", "l'adresse"),
        ("Il faut qu il passe en agence.", "qu il", "qu'il"),
        ("Votre chambre à l hôtel est prête.", "l hôtel", "l'hôtel"),
        ("Nous livrons dans toute l Europe.", "l Europe", "l'Europe"),
    ],
)
def test_an_elision_typed_apart_gets_its_apostrophe(text: str, words: str, fix: str) -> None:
    assert blocking_fixes(text).get(words) == fix


@pytest.mark.parametrize(
    "text",
    [
        "La pièce mesure 5 m au plus.",
        "Les options restantes sont b c d et e.",
        "La vitamine D aide un peu.",
        "Le plan B est prêt.",
    ],
)
def test_units_letters_and_names_are_no_elision(text: str) -> None:
    assert blocking_fixes(text) == {}
