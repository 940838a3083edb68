"""a/à and et/est decided by a list's items (canned_replies/list_items.py), an -er infinitive
standing for a noun's participle before its second complement
(canned_replies/infinitive_for_participle.py), -er/-é/-ez decided by "vous"
(canned_replies/ez_forms.py) and "et" after a question word (canned_replies/question_words.py):
each mistake blocks with the right correction first, and correct sentences with the same words
stay quiet.

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "a" as the next item of a list opened by "à"
        ("Demandez conseil à votre médecin, a votre pharmacien ou à votre infirmière.", "a", "à"),
        ("Le dossier est transmis à Julie Martin et a Paul Durand.", "a", "à"),
        ("Nous avons écrit au transporteur et a la banque.", "a", "à"),
        ("Le bon est valable à Lyon ou a Marseille.", "a", "à"),
        ("Les remises vont de 10 % à 20 %, a 30 % pour les membres.", "a", "à"),
        # "est" joining a second item to a complement of a clause that has its verb
        ("Le médecin peut vous conseiller un apport de calcium est de magnésium.", "est", "et"),
        ("Ce produit ne doit pas être utilisé chez l'enfant est l'adolescent.", "est", "et"),
        ("Nous livrons à Paris est à Lyon.", "est", "et"),
        ("Vous pouvez payer par carte est par virement.", "est", "et"),
        # an -er infinitive after a noun, before its second complement
        ("Quel est le nom donner à ce service ?", "donner", "donné"),
        ("Le colis envoyer à votre adresse est arrivé.", "envoyer", "envoyé"),
        ("Les montants verser aux clients seront remboursés.", "verser", "versés"),
        ("La somme destiner à votre remboursement est prête.", "destiner", "destinée"),
        ("Nous avons lu la lettre adresser au service client.", "adresser", "adressée"),
        # "où" with no verb of its own before the clause ends (homophone_ou): an article is
        # no object pronoun, an infinitive after "pour" is not the relative's
        ("J'ai une douleur où un gonflement de la mâchoire.", "où", "ou"),
        ("Appelez votre conseiller où l'agence pour fixer un rendez-vous.", "où", "ou"),
        # "et" right after a question word (question_words)
        ("De quoi et fait ce produit ?", "et", "est"),
        ("Quand et prévu le départ ?", "et", "est"),
        ("Comment et le temps à Lyon ?", "et", "est"),
        # -ez needs "vous", "vous" needs -ez
        ("Si vous me donner votre numéro, je vous rappelle.", "donner", "donnez"),
        ("Quand vous nous renvoyer le colis, gardez le reçu.", "renvoyer", "renvoyez"),
        ("Qui a tuez le personnage ?", "tuez", "tué"),
        ("Quelle somme a dépensez Julie en cadeaux ?", "dépensez", "dépensé"),
        ("Le colis a été remis par un nommez Dupont.", "nommez", "nommé"),
        ("Ils ont fait plusieurs allez et retour.", "allez", "aller"),
        ("Le colis est dans un carton bien emballez.", "emballez", "emballé"),
    ],
)
def test_mistake_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word, "").replace("’", "'") == fix


@pytest.mark.parametrize(
    "text",
    [
        # "a" the verb after an "à" phrase: its participle, another kind of item, a new clause
        "Il a écrit à Paul et a reçu une réponse.",
        "Elle parle à Paul et a une question.",
        "Le remboursement a été fait à Paul, a précisé le service.",
        "Le client pense à sa commande et a hâte de la recevoir.",
        "Merci à vous, Julie a bien reçu le colis.",
        "Nous pensons à vous, et a priori le colis arrive demain.",
        "À vous de voir, Paul a raison.",
        # "est" the verb: no verb before, a new clause, a relative, a verb of saying
        "Le prix du billet est de 20 euros.",
        "Nous avons reçu votre demande, le délai de traitement est de 5 jours.",
        "Je pense que le prix du billet est de 20 euros.",
        "Je pense le prix du billet est de 20 euros.",
        "Toute commande de plus de 50 euros est livrée gratuitement.",
        "Toute commande de 50 euros est à retirer en magasin.",
        "La porte de l'entrée est la seule ouverte.",
        "Le colis que vous avez envoyé par la poste est arrivé.",
        "Le délai de livraison pour Paris est de deux jours.",
        "Il m'a dit que la boutique de Lyon est à vendre.",
        "Le produit que vous avez acheté en magasin est le même.",
        "Le client qui a commandé chez nous est le premier.",
        # a noun then an infinitive after a verb of perception or causation, or after "à"
        "Je regarde les enfants jouer à la balle.",
        "Laissez le client choisir de rester.",
        "Nous avons vu le prix augmenter de dix euros.",
        "Faites le livreur monter à l'étage.",
        "Nous aidons les clients à trouver leur taille.",
        "Il reste une chose à régler avec vous.",
        "Le plus simple est de nous appeler.",
        "C'est le moment de passer à table.",
        "Le dîner à préparer pour ce soir.",
        "Envoyez le colis à notre adresse.",
        # a relative "où" with its verb
        "C'est la ville où l'on se retrouve.",
        "Je ne sais pas où le trouver.",
        "C'est la boutique où la commande attend.",
        "Voici l'adresse où le livreur passera demain.",
        "Le site où trouver des informations.",
        # question words coordinated
        "Où et quand ?",
        "Où et quel jour ?",
        "Où et à quelle heure ?",
        "Quand et comment nous contacter ?",
        "Pourquoi et pour qui ?",
        # "vous" an object, -ez with its "vous", imperatives
        "Je vais vous le donner demain.",
        "Nous allons vérifier et vous le renvoyer.",
        "Pour vous le renvoyer, il nous faut votre adresse.",
        "Merci de nous dire si vous avez reçu et validez la commande.",
        "Pour le retour bien emballez le colis.",
        "Si le colis est bien arrivé, validez la réception.",
        "Un aller simple pour Paris, s'il vous plaît.",
        "Allez-y, nous vous attendons.",
        "Le colis bien emballé est parti.",
    ],
)
def test_correct_sentence_stays_quiet(text):
    assert blocking_fixes(text) == {}
