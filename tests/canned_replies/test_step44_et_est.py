"""Step 44 (issue 19, homophones): et/est read by grammar, then a/à, classes read from the
tuning part's injected misses.

"et" written for "est" (→ "est"):
- an adverb between the attribute and its complement ("transmis automatiquement au service");
- a subject opening the sentence or a clause after "si", "quand", "lorsque", "puisque";
- "Elle et" + an adjective that is also a verb form, then a preposition (homophones.py);
- a subject whose noun the dictionary lacks (a drug, a term) after "le"/"la"/"l'", then a
  participle agreeing with the article that opens a complement; or a noun whose complement
  names such a term or a name ("La livraison de votre Xiaomi et prévue");
- a name of up to three words opening the sentence or the clause after an opening phrase,
  then an adjective that is no noun, or a participle opening a complement with no verb after;
- a name in apposition to the subject's noun ("Le livreur Karim Benali et arrivé");
- "quel" + its noun in a question with no verb, then a participle agreeing with "quel" that
  opens a complement (et_est: question_words.rule_quel_phrase_et); adverbs after "Comment et".

"est" written for "et" (→ "et"):
- "est" between two names when a plural noun stands before them, a verb that can only be
  plural after them, or other names listed before them with commas
  (list_items.rule_est_between_names); "est" between two prepositions ("avant est après");
- "est" before a second item (a determiner or a preposition) then the clause's own finite verb
  (et_est_second_verb.py).

"à" written for "a" (→ "a"): a participle that is also a noun, with its object after it
("à écrit ce roman", "à découvert que…"), whatever word ends the subject
(homophones_by_verb.rule_a_participle); "à le" + a superlative after "qui" (homophone_a).
"a" written for "à" after an inverted verb ("ai-je droit a…") or a participle joined by
"et" to one that has its auxiliary ("a été ouvert et vérifié a…"): the clause has its verb
(homophones._finite_verb_before); a lowercase "a" opening a sentence before a question word
or "partir"; "à lieu" (homophone_a); "quel"/"quelle" + a noun, even invariable, before "à" and
a participle (homophone_a.rule_a_after_noun_subject).

ou/où (homophone_ou): "où non" after "être" or "aller" is "ou non"; "où" opening a bracket
before a bare noun with no verb up to the bracket's end is "ou" ("(où devis)"); "où non
seulement" is the relative (a false block at the step's start, read while writing these
tests).

Sentences written for these tests, not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # an adverb between the participle and its complement
        ("Le dossier et transmis automatiquement au service.", "et", "est"),
        # a subject noun the dictionary lacks
        ("Le fenoxatril et métabolisé par le foie.", "et", "est"),
        ("La dravoline et lentement absorbée par l'intestin.", "et", "est"),
        # a subject after a conjunction that needs a finite clause
        ("Si votre colis et endommagé à la livraison, refusez-le.", "et", "est"),
        ("Quand le paiement et validé par la banque, la commande part.", "et", "est"),
        # "Elle et" + an adjective that is also a verb, opening its complement
        ("Elle et fréquente chez les personnes âgées.", "et", "est"),
        # a subject noun whose complement names a term or a product
        ("La livraison de votre Xiaomi et prévue pour demain.", "et", "est"),
        ("La dose de fenoxatril et réduite chez l'enfant.", "et", "est"),
        # a name after an opening phrase
        ("Après vérification, Julie Martin et disponible pour un rendez-vous.", "et", "est"),
        # a name opening the sentence
        ("Kalvoris et administré par voie orale.", "et", "est"),
        ("Trivexa et disponible en pharmacie sans ordonnance.", "et", "est"),
        ("Sophie Martin et détachée au service client jusqu'en mars.", "et", "est"),
        # a name in apposition to the subject's noun
        ("Le livreur Karim Benali et arrivé à 9 heures.", "et", "est"),
        ("Le conseiller Marc Aubert et informé de votre demande.", "et", "est"),
        # "quel" and its noun, no verb, a participle opening a complement
        ("Quel vaccin de voyage et conseillé pour l'Asie ?", "et", "est"),
        ("Quel modèle de téléphone et vendu avec un chargeur ?", "et", "est"),
        ("Quelle marque de café et produite en Colombie ?", "et", "est"),
        ("Comment et généralement calculé le tarif ?", "et", "est"),
        # two names joined, something plural around them
        ("Nos conseillers Marc est Julie vous répondront demain.", "est", "et"),
        ("Pourquoi Dupont est Durand sont-ils absents ?", "est", "et"),
        ("Les avocats Durand est Lefèvre ont plaidé l'acquittement.", "est", "et"),
        # names listed before "est", two prepositions sharing their complement
        ("Les gagnants sont Karim, Sophie, Lucas est Emma.", "est", "et"),
        ("Prenez ce médicament avant est après le repas.", "est", "et"),
        # a/à after an inverted verb or a participle sharing the clause's auxiliary: the
        # clause has its verb
        ("Ai-je droit a une réduction pour mon abonnement ?", "a", "à"),
        ("Le colis a été ouvert et vérifié a la réception.", "a", "à"),
        # a question opened by "à", "à lieu", "quel" + an invariable noun before "à"
        ("a quelle heure ouvre le magasin ?", "a", "à"),
        ("Quand à lieu la réunion ?", "à", "a"),
        ("Quel service à traité ma demande ?", "à", "a"),
        # ou/où: "où non" after a verb, "où" opening a bracket before a bare noun
        ("Votre médecin dira si ce traitement est où non adapté.", "où", "ou"),
        ("Envoyez votre justificatif (où devis signé) par courriel.", "où", "ou"),
        # a second item, then the clause's own verb
        ("La livraison à domicile est au point relais reste gratuite.", "est", "et"),
        ("Le retrait en magasin est la livraison à domicile sont proposés.", "est", "et"),
        ("Votre dossier est complet est la demande a été transmise au service.", "est", "et"),
        (
            "Le remboursement a été validé en mars est en avril la somme s'est ajoutée au solde.",
            "est",
            "et",
        ),
        # a/à: a participle with its object after "à", whatever word ends the subject
        ("Quel auteur anglais à écrit ce roman ?", "à", "a"),
        ("L'inspecteur Paul Girard à découvert que le coffre était vide.", "à", "a"),
        # "à le" + a superlative after "qui": never the preposition ("au")
        ("C'est le magasin qui à le plus grand choix.", "à", "a"),
    ],
)
def test_et_est_mistake_blocks_with_its_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        # two nouns joined, a name and its partner, a subject of two
        "Le directeur et fondateur de la société vous écrira.",
        "Mon collègue et également ami, Paul.",
        "Pierre et associés à Lyon.",
        "Le juge Martin et son greffier sont arrivés.",
        "Marie et Paul vous remercient.",
        "Le comité et le bureau sont informés de votre demande.",
        # two subjects after a conjunction, a comparison, two pronouns or phrases joined
        "Si le prix et la qualité vous conviennent, commandez.",
        "Le train est plus rapide que le bus et moins cher.",
        "Elle et moi partons demain.",
        "Elle et sa sœur arrivent demain.",
        # two things joined in the subject's complement, names listed after an opening phrase
        "La livraison de votre Xiaomi et de votre casque sont prévues.",
        "La taille du Samsung et du iPhone est proche.",
        "Selon Paul, Marie et Julie sont parties.",
        "À Paris, Lyon et Marseille, les prix montent.",
        # one name and a comma (a vocative, an opening phrase), a preposition after "est"
        "Selon Paul, Marie est absente.",
        "Le rendez-vous est après le déjeuner.",
        # "quel" questions that have their verb or join two things
        "Quels fruits frais et séchés au four préférez-vous ?",
        "Quel lien entre le prix et la qualité ?",
        "Quel produit et quelle couleur avez-vous choisis ?",
        # "est" between two names with nothing plural: an identity
        "Romain Gary est Émile Ajar.",
        "Le coupable est Paul Martin.",
        # "est" before a complement, no second verb of the same clause
        "Le but est de partir tôt.",
        "Ce qui est à faire a été fait.",
        "Votre colis est à la poste depuis lundi.",
        "Le rendez-vous est à 10 heures pour les patients qui ont un dossier.",
        "Le prix est de 10 euros et il sera remboursé.",
        "La solution est dans le dossier que vous avez reçu.",
        "Le mieux est de nous écrire, nous répondrons vite.",
        "Le plus simple est la carte bancaire, elle est acceptée partout.",
        "La question est de savoir combien coûte la réparation.",
        "Le plus important est la sécurité de nos clients.",
        # ou/où: a relative "où non seulement…" (blocked at the step's start), a relative in
        # brackets
        "Un pays où non seulement les prix montent, mais aussi les loyers.",
        "Le quartier (où chacun se connaît) est calme.",
        # a/à: set phrases and infinitives after "à", "a" with its own subject
        "Au lieu de partir, restez.",
        "Quel prix à payer pour ce service ?",
        "Le colis emballé et scellé a une étiquette.",
        "C'est tout à fait la même chose.",
        "Il faut mettre à découvert la racine.",
        "Le compte est à découvert depuis lundi.",
        "Je tiens à le dire.",
        "Il est prêt à les aider.",
        "Une machine à laver le linge.",
    ],
)
def test_et_est_look_alike_stays_quiet(text: str) -> None:
    assert blocking_fixes(text) == {}
