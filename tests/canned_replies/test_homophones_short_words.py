"""Homophones of short words decided by the word class next to them
(canned_replies/homophones_short_words.py): each mistake blocks with the right correction first,
and the correct sentences around the same words stay quiet.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # ça/sa
        ("Il a perdu ça carte bancaire.", "ça", "sa"),
        ("Nous sommes désolés pour ce retard, sa ne se reproduira plus.", "sa", "ça"),
        # n'y/ni
        ("Il n'y a ni frais de port n'y frais de dossier.", "n'y", "ni"),
        ("Il ni a plus de stock en magasin.", "ni", "n'y"),
        # an object pronoun and "avoir" (or "être") before a participle
        ("Tu la reçu hier ?", "la", "l'as"),
        ("Je sais qu'il ne la pas reçu.", "la", "l'a"),
        ("Il ta envoyé un message hier.", "ta", "t'a"),
        ("Elle ma rappelé ce matin.", "ma", "m'a"),
        ("Il sa trompé de référence.", "sa", "s'est"),
        # s'est / sais
        ("Il sait trompé de commande.", "sait", "s'est"),
        ("Je ne c'est pas quand le colis arrivera.", "c'est", "sais"),
        # quel/qu'elle
        ("Je pense quel arrivera demain.", "quel", "qu'elle"),
        ("Votre conseillère dit quelle rappellera lundi.", "quelle", "qu'elle"),
        # sûr/sur
        ("Le colis est posé sûr la table de l'accueil.", "sûr", "sur"),
        ("Vous êtes sur ?", "sur", "sûr"),
        # mais/mes
        ("Nous avons bien reçu mais messages hier.", "mais", "mes"),
        ("Merci pour mais commandes.", "mais", "mes"),
        # ou/où before an elided word, and in a question with no verb (homophone_ou)
        ("Le remboursement se fait par virement où d'une autre façon.", "où", "ou"),
        ("Un thé où un café ?", "où", "ou"),
        ("Ou tu habites ?", "Ou", "Où"),
        ("Ou est-ce que vous habitez ?", "Ou", "Où"),
        # tes/t'es
        ("Tes prêt pour ce soir ?", "Tes", "T'es"),
        ("Tu sais que tes vraiment gentil ?", "tes", "t'es"),
        ("Tes où ?", "Tes", "T'es"),
        # a participle missing its accent after "être" (and after "avoir": the ranking)
        ("Le colis est arrive hier.", "arrive", "arrivé"),
        ("Vos colis sont bien arrives ce matin.", "arrives", "arrivés"),
        ("J'ai reserve une table pour vous.", "reserve", "réservé"),
        # an accent slip making a word of another gender after a determiner (accent_agreement)
        ("Le marche de Noël ouvre demain.", "marche", "marché"),
        ("On se retrouve au marche demain ?", "marche", "marché"),
        # sans/s'en, qu'elle/quelle, tous/tout, mes/m'est, ses/c'est, qu'est-ce qui
        ("Le livreur sans va demain.", "sans", "s'en"),
        ("Je ne sais pas qu'elle couleur choisir.", "qu'elle", "quelle"),
        ("Il est tous seul au magasin.", "tous", "tout"),
        ("Ça mes égal.", "mes", "m'est"),
        ("Ses pas grave, on recommence.", "Ses", "C'est"),
        ("Qu'est ce qui se passe avec ma commande ?", "est ce", "est-ce"),
        # two words an apostrophe joins (words_apart)
        ("Nous livrons aujourd hui.", "aujourd hui", "aujourd'hui"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word, "").replace("’", "'") == fix


@pytest.mark.parametrize(
    "text",
    [
        "Je trouve ça génial.",
        "Ça tombe bien, nous sommes ouverts demain.",
        "Il fait ça chaque semaine.",
        "Merci pour ça, madame.",
        "Sa commande est partie hier.",
        "Sa mère y travaille.",
        "Il n'y a plus de stock.",
        "Je n'y crois pas.",
        "Il n'y en a plus.",
        "Ni le client ni le vendeur ne l'ont vu.",
        "Il la fait réparer.",
        "Elle la mise de côté pour vous.",
        "Il la voit demain.",
        "Je la rappelle demain.",
        "Il ne la voit pas.",
        "Il sait tout.",
        "Il sait que vous êtes là.",
        "Je ne sais pas.",
        "C'est un plaisir.",
        "Quel sera le délai ?",
        "Quelle peut être la cause de la panne ?",
        "Quel a été le problème ?",
        "Quelle que soit votre demande, nous y répondrons.",
        "Bien sûr les frais de port sont offerts.",
        "Je suis sûr de moi.",
        "Je suis sûr que vous allez adorer.",
        "Nous comptons sur vous.",
        "Le colis est sur la table.",
        "J'ai appelé mais personne ne répond.",
        "Nous avons cherché, mais problèmes et retards continuent.",
        "Merci mais non merci.",
        "C'est la ville où l'on se retrouve.",
        "Le magasin où d'autres clients attendent.",
        "Où ça ?",
        "Vous allez où ce soir ?",
        "Ou tu préfères le thé ?",
        "Ou tu viens, ou tu restes ?",
        "Ou est-ce que je peux payer en liquide ?",
        "Tes parents sont là ?",
        "Tes grands frères arrivent demain.",
        "Merci pour tes conseils.",
        "Le client est calme.",
        "Il est pilote de ligne.",
        "C'est chose faite.",
        "La marche à suivre est simple.",
        "La cote de popularité baisse.",
        "J'ai faim.",
        "Il est parti sans payer.",
        "Elle est partie sans son sac.",
        "Je pense qu'elle viendra demain.",
        "Qu'elle vienne demain !",
        "Ils sont tous contents.",
        "Il est tout seul.",
        "Il a suivi ses pas.",
        "Ces produits sont neufs.",
        "Ses parents sont partis.",
        "C'est ce qui compte.",
    ],
)
def test_correct_sentence_stays_quiet(text):
    assert blocking_fixes(text) == {}
