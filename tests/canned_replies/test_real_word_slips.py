"""Real words typed for others (issue 19, recall): a long subject read past names and numbers,
"en" for "ne", "Ais je", "aie" alone, "et" where only "est" fits, a grammatical word
capitalised inside a sentence; and the sentences each rule must leave alone.
Sentences written for these tests."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # the participle after "être" agrees with the head, past a name or a number
        ("La réclamation de Madame Petit a été transmis au service.", "transmis", "transmise"),
        ("La commande du 12 mars est expédié ce matin.", "expédié", "expédiée"),
        ("La facture du client de Lyon 3 a été envoyé hier.", "envoyé", "envoyée"),
        ("La liste des produits du magasin est mis à jour le soir.", "mis", "mise"),
        # "en" for "ne"
        ("Allez, en tardons pas, la boutique ferme bientôt.", "en", "ne"),
        # a question's first word with an "s" too many before "je"
        ("Ais je oublié une pièce jointe ?", "Ais je", "Ai-je"),
        # the interjection
        ("Aie, le colis est arrivé abîmé.", "Aie", "Aïe"),
        # "et" where only "est" fits
        ("Nous appelons le livreur qui et chargé de votre secteur.", "et", "est"),
        ("Où et le magasin le plus proche ?", "et", "est"),
        ("De quelle couleur et la housse ?", "et", "est"),
        # "où" between two terms it can only coordinate
        ("Le colis peut être retiré où livré à domicile.", "où", "ou"),
        ("Pour un usage personnel où professionnel, voyez la notice.", "où", "ou"),
        ("Comptez deux où trois jours ouvrés.", "où", "ou"),
    ],
)
def test_slips_block_with_their_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # collective heads: either agreement is used
        "Une partie du montant de la commande est remboursée.",
        "La plupart des colis du 12 mars sont arrivés.",
        # the participle agrees with the head; a new clause before the verb
        "La commande de Madame Petit a été expédiée hier.",
        "La commande du client que nous avons appelé est partie.",
        # a plural title defined as one thing
        "Les Amis du quartier de Lyon est une association.",
        # "en" the pronoun, or a subject lost in chat
        "On en parle pas ce soir.",
        "Vous en avez pas besoin.",
        "En faut pas trop, quand même.",
        "Bon, t'en fais pas.",
        "En marchant pas trop vite, on arrive à l'heure.",
        # "aie" the verb
        "Aie confiance, ton colis arrive.",
        "Il faut que j'aie le reçu.",
        # "et" coordinating
        "Où et quand ?",
        "Quel jour et quelle heure ?",
        "Quelle couleur et quelle taille voulez-vous ?",
        "Je ne sais pas qui et pourquoi.",
        # "où" the relative
        "La période où seuls les abonnés commandent est finie.",
        "Le jour où deux colis sont arrivés, nous étions fermés.",
        # capitals that open a title or a name, or follow punctuation
        "Il a lu « Comment Ça Marche » hier.",
        "Merci, Mais je préfère attendre.",
        "Nous avons vu Le Monde ce matin.",
    ],
)
def test_correct_sentences_are_left_alone(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a verb by ear one consonant away, as written as Grammalecte's conjugation
        ("Quand on sort de la boutique, on rendre chez soi à pied.", "rendre", "rentre"),
        # Grammalecte's conjugation stays first: one letter away, or far more written
        ("Il manger avant de venir.", "manger", "mange"),
        ("Il faire beau demain.", "faire", "fait"),
        ("Il vivre ici depuis longtemps.", "vivre", "vit"),
    ],
)
def test_first_suggestion_for_an_infinitive_after_a_subject(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a capital inside a sentence: advice
        ("Je ne sais pas Pourquoi le colis est reparti.", "Pourquoi", "pourquoi"),
    ],
)
def test_advice_with_its_fix(text: str, word: str, fix: str) -> None:
    advice = {text[f.start : f.end]: f.suggestions[0] for f in proofread(text) if not f.blocking}
    assert advice.get(word) == fix
    assert word not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # the verb's number past a long subject blocks (proof19a: measured on chat sentences)
        ("Les colis du dépôt de Lille 2 arrive demain.", "arrive", "arrivent"),
        ("Les membres du club de Nantes s'est réunis hier.", "s'est", "se sont"),
    ],
)
def test_long_subject_verb_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
