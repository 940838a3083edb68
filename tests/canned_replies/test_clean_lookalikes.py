"""Clean look-alikes that must not block, and the first suggestion (proof19q, issue 19).

Feminine titles (`la professeur`, `la rapporteure`), a noun read as an adjective before
`a`/`est` (`L'entreprise a été rachetée`), a word made of a letter and a hyphen after `de`
(`de e-commerce`), a title in quotation marks after a determiner, a number with decimals
before a participle, `le vide-greniers`, an abbreviation before a number (`rens. au 06`),
`y'a` in chat, the infinitive after an inversion missing its
hyphen; fixes written in the classical spelling (`plaît`, `goût`) and the head noun's
agreement when it is the smaller slip. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "La professeure a corrigé les copies, la professeur principale aussi.",
        "La chef de rayon vous rappellera demain matin.",
        "Une poète a lu ses textes à la médiathèque.",
        "La gouverneur de la banque centrale s'est exprimée jeudi.",
        "Je voudrais remercier la rapporteure pour son travail.",
        "La chauffeure est arrivée avec dix minutes d'avance.",
        "L'entreprise a été rachetée par un groupe lyonnais en 2019.",
        "L'entreprise est fermée le dimanche.",
        "Le site de e-commerce a enregistré un record de ventes.",
        "Le e-mail de confirmation est parti ce matin.",
        'Le refrain du "Star Spangled Banner" est connu de tous.',
        "En quelle année la poète Emily Dickinson est-elle morte ?",
        "La dose est de 0.1 mg/kg suivi d'une perfusion lente.",
        "Le vide-greniers aura lieu dimanche sur la place.",
        "Rendez-vous samedi devant la mairie, rens. au 06 12 34 56 78.",
        "T'inquiète, y'a pas de souci pour demain.",
    ],
)
def test_clean_sentence_does_not_block(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # The feminine of another form is still a mistake; so is a wrong determiner.
        ("La vendeur vous a répondu.", "vendeur", "vendeuse"),
        ("La colis est arrivé hier.", "La", "Le"),
        ("Je peux être une vrai peste parfois.", "vrai", "vraie"),
        ("Nous avons reçu 3 colis abîmé.", "abîmé", "abîmés"),
        ("Une erreure de calcul s'est glissée.", "erreure", "erreur"),
        ("Il y'a du monde ce matin.", "y'a", "y a"),
        ("Je parle à mom frère demain.", "mom", "mon"),
        # Misspellings common enough in web text to reach Zipf 3 still block.
        ("Apparement le colis est parti.", "Apparement", "Apparemment"),
        ("Il est parmis les premiers.", "parmis", "parmi"),
        ("Merci pour votre mesage. nous revenons vers vous.", "mesage", "message"),
        # Elision before a plain word still blocks.
        ("Il parle de ici.", "de ", "d’"),
        # An inversion without its hyphen: the hyphen, not a conjugated infinitive.
        ("La banque peut elle m'aider ?", "peut elle", "peut-elle"),
        ("Quand vais je recevoir mon colis ?", "vais je", "vais-je"),
    ],
)
def test_mistakes_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("La banque peut elle m'aider ?", "aider"),
        ("Quand vais je recevoir mon colis ?", "recevoir"),
        ("Dois je payer la livraison ?", "payer"),
    ],
)
def test_infinitive_after_an_inversion_is_not_conjugated(text: str, word: str) -> None:
    assert word not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # An adjective agreeing with neither noun: the head's form when it is the smaller slip.
        ("C'est une chasse aux sorcières lancé par le maire.", "lancé", "lancée"),
        ("Nous avons reçu des colis abîmé.", "abîmé", "abîmés"),
        ("Il connaissent bien la route.", "connaissent", "connaît"),
        ("Le gouts de ce café est unique.", "gouts", "goût"),
        # "boite" is also "boiter": kept as it is.
        ("Elle boitent depuis sa chute.", "boitent", "boite"),
    ],
)
def test_fixes_in_the_classical_spelling(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
