"""Homophones and hyphens decided by the clause around them (issue 19, recall): "la" for "là",
"ses … là", "est" for "et", "a" where only "à" fits, a prefix written apart, "-é" for "-er",
"où" for "ou" in a question, an inversion after object pronouns or without the "s" of "tu";
and the sentences each rule must leave alone. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "la" ending a clause after "être" or "par", or a demonstrative phrase
        ("Vous êtes la ? Je vous attends.", "la", "là"),
        ("Pour le retrait, passez par la.", "la", "là"),
        ("Ces clients la sont toujours pressés.", "la", "là"),
        # "ses" that "là" points at
        ("On connaît bien ses histoires là.", "ses", "ces"),
        # "est" for "et"
        ("Les dossiers sont complets est validés.", "est", "et"),
        ("Je serai à la boutique est que je vous appellerai.", "est", "et"),
        ("Vous réchauffez le plat, est c'est prêt.", "est", "et"),
        ("Le livreur est le vendeur se sont excusés.", "est", "et"),
        # "a" where only "à" fits
        ("Merci et bonne journée a vous.", "a", "à"),
        ("Il faut apprendre a être patient.", "a", "à"),
        ("Que s'est-il passé a la livraison ?", "a", "à"),
        ("Nous avons répondu a votre message hier.", "a", "à"),
        # a prefix written apart
        ("Son ex adjoint nous a écrit.", "ex adjoint", "ex-adjoint"),
        ("Paul, ex président du club, nous a écrit.", "ex président", "ex-président"),
        ("Prenez un anti inflammatoire.", "anti inflammatoire", "anti-inflammatoire"),
        ("Un suivi post opératoire est prévu.", "post opératoire", "postopératoire"),
        ("Une douleur post traumatique.", "post traumatique", "post-traumatique"),
        # a participle in -é where only the infinitive fits
        ("Le retard risque de gâché la fête.", "gâché", "gâcher"),
        ("Passez nous voir pour retiré le colis.", "retiré", "retirer"),
        ("Il va falloir changé la pièce.", "changé", "changer"),
        # "où" offering an alternative in a question
        ("Vous voulez attendre, où vous préférez un remboursement ?", "où", "ou"),
        ("Vous venez pour un retour où pour un échange ?", "où", "ou"),
        ("Gardez le ticket où la facture, on vous remboursera.", "où", "ou"),
        # "où" before one noun that is also a verb, ending the clause
        ("Vous pouvez payer par carte où chèque.", "où", "ou"),
        # an inversion after object pronouns, or a "tu" form without its "s"
        ("Comment t'appelles tu ?", "appelles tu", "appelles-tu"),
        ("Comment vous appelez vous ?", "appelez vous", "appelez-vous"),
        ("Parle tu anglais ?", "Parle tu", "Parles-tu"),
    ],
)
def test_slips_block_with_their_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # "la" the article, the pronoun, the note
        "Cette fois la boutique est ouverte.",
        "Ces clients la connaissent bien.",
        "Je suis la procédure habituelle.",
        "Elle joue un la.",
        "Le colis est passé par la poste.",
        "Nous la livrons demain.",
        # "ses" the possessive
        "Il range ses affaires là-bas.",
        "Elle a pris ses clés, la voilà partie.",
        # "est" the verb
        "Le plus simple est que vous passiez demain.",
        "Tu sais, le mieux est que tu viennes.",
        "Ce que je veux est que le colis arrive.",
        "La réponse est claire et les délais sont courts.",
        # "a" the verb
        "Le livre que j'ai lu a une couverture rouge.",
        "L'été passé a été chaud.",
        # "ex" the noun, "vice versa", "contre" the preposition
        "Mon ex travaille ici.",
        "Mon ex passe me voir demain.",
        "Plusieurs modèles, ex chemises, pulls et vestes, sont en promotion.",
        "Le client appelle le livreur et vice versa.",
        "Je suis contre cette idée.",
        "Il a écrit un post intéressant.",
        # the participle where it is one, a noun after "de"
        "Merci de m'avoir appelé.",
        "J'ai bu un verre de rosé la veille.",
        "Le pouvoir donné aux élus est grand.",
        # "où" asking where, or the relative of a place
        "Tu vas où en vacances ?",
        "On va à Lyon, où tu as grandi ?",
        "C'est la ville où en hiver il neige ?",
        "Je connais la boutique où les clients attendent.",
        "Voici la ville où habite ma sœur.",
        "C'est le quartier où ça bouge.",
        "Tu l'as trouvé où ce colis ?",
        "Je ne sais pas où le ranger.",
        # "est" the verb before a phrase and its relative
        "Le problème est les colis qui arrivent en retard.",
        # a subject before the object pronouns: no inversion
        "Je le veux, tu sais ?",
    ],
)
def test_correct_sentences_are_left_alone(text: str) -> None:
    assert blocking_fixes(text) == {}
