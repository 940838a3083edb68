"""Agreement read over a whole noun phrase (canned_replies/noun_phrase_agreement.py), a
participle after a plural "être" (canned_replies/etre_participle.py), and
Grammalecte's noun-phrase findings after a preposition (canned_replies/grammar_context.py):
each mistake blocks with the right correction first; the correct sentences next to them,
tricky ones included, block nothing.

Sentences written for these tests (customer-service and chat style), not taken from any data
set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # the subject's verb past object pronouns
        ("Le conseiller vous répondront demain.", "répondront", "répondra"),
        ("Le livreur vous les apporteront demain.", "apporteront", "apportera"),
        # "qui" and its antecedent
        ("Le client qui nous ont écrit sera rappelé.", "ont", "a"),
        ("Les passagers qui attend le train sont informés.", "attend", "attendent"),
        ("Suivez toutes les instructions qui vous sont donnée.", "donnée", "données"),
        # a singular participle after a plural "être", whatever the subject
        ("Les résultats (voir annexe) sont présenté ci-dessous.", "présenté", "présentés"),
        ("Paul et Marie se sont prononcé en faveur du projet.", "prononcé", "prononcés"),
        ("Où sont conservé les bagages trouvés ?", "conservé", "conservés"),
        # after "avoir", the participle before a clause that is its object
        ("Notre agent a constatée que le colis était ouvert.", "constatée", "constaté"),
        ("Quel conseiller a écrite cette réponse ?", "écrite", "écrit"),
        ("Quels clients ont répondus ?", "répondus", "répondu"),
        # adjectives that are also present participles, coordinated adjectives
        ("Nous avons une offre intéressant.", "intéressant", "intéressante"),
        ("C'est une question important.", "important", "importante"),
        ("C'est une réponse claire et précis.", "précis", "précise"),
        ("Une solution rapide et efficaces sera trouvée.", "efficaces", "efficace"),
        ("Nous avons des retards importants et répété.", "répété", "répétés"),
        # Grammalecte's noun-phrase findings after a verb or "merci pour" keep blocking
        ("Merci pour vos réponses rapide.", "rapide", "rapides"),
        ("Merci pour cette information précieux.", "précieux", "précieuse"),
        ("Ils ont reçu des colis abîmé.", "abîmé", "abîmés"),
        ("Il parle des banques française.", "française", "françaises"),
        # the classic cases stay caught
        ("Les client satisfait reviennent toujours.", "client", "clients"),
        ("Nous avons reçu des remboursement hier.", "remboursement", "remboursements"),
        ("Ils mange au restaurant.", "mange", "mangent"),
        ("Les trains est en retard ce matin.", "est", "sont"),
        ("La commande est arrivé hier.", "arrivé", "arrivée"),
        ("Les clientes semblent satisfait.", "satisfait", "satisfaites"),
        ("Ma sœur est devenu célèbre.", "devenu", "devenue"),
    ],
)
def test_agreement_mistake_blocks_with_its_fix(text: str, word: str, fix: str) -> None:
    fixes = blocking_fixes(text)
    assert word in fixes, fixes
    assert fixes[word] == fix


@pytest.mark.parametrize(
    "text",
    [
        "La plupart des clients sont satisfaits.",
        "Des gens bien nous ont aidés.",
        "Un des trains est en retard.",
        "L'un des clients qui ont écrit sera rappelé.",
        "Ils nous ont répondu rapidement.",
        "Vous êtes satisfait de votre achat, monsieur ?",
        "Madame, vous êtes satisfaite ?",
        "Les langues française et anglaise sont acceptées.",
        "Les gouvernements français et allemand ont signé.",
        "Une entreprise important des fruits a fait faillite.",
        "Le client qui nous a écrit sera rappelé.",
        "Les clients qui nous ont écrit seront rappelés.",
        "Le prix des billets qui ont été vendus a augmenté.",
        "C'est le cas des clients qui ont payé.",
        "Merci pour vos réponses rapides et précises.",
        "Le conseiller vous répondra demain.",
        "Une dizaine de clients nous ont écrit.",
        "Une partie des trains circulent.",
        "Le nombre de clients qui nous ont écrit augmente.",
        "Je pense que les clients nous font confiance.",
        "Les trains que le conducteur conduit sont neufs.",
        "Le matin les enfants vont à l'école.",
        "Une étude portant sur des patients a été menée.",
        "Il signale une menace pesant sur le site.",
        "Il est libéré dans la circulation systémique et éliminé par voie rénale.",
        "Nous avons reçu des colis en retard.",
        "Les patients à risque élevé doivent consulter.",
        "Merci pour les informations communiquées.",
        "Une fois arrivé à la gare, appelez-nous.",
        "Une solution simple et efficace existe.",
        "Les équipes qui vous ont répondu sont compétentes.",
        "Ils se sont succédé toute la journée.",
        "Ta voisine a l'air grotesque et idiote.",
        "Une personne criant et pleurant est arrivée.",
        "On entend une personne criant « au secours ».",
        "Les clients qui se sont cassé le bras seront remboursés.",
        "Ils se sont parlé hier.",
        "Ils se sont demandé si le train partait.",
        "Ils se sont rendu compte de l'erreur.",
        "Ils se sont fait avoir.",
        "Ils se sont lavé les mains.",
        "Elles sont partie prenante du projet.",
        "Les billets sont, bien entendu, remboursés.",
        "Il a été décidé de fermer la gare.",
        "Ces frais sont compris dans le prix.",
        "La lettre qu'il a écrite et que nous avons reçue est claire.",
        "Elle a constaté que le colis était ouvert.",
        "Quelle lettre a-t-il écrite ?",
        "Des gens comme le directeur nous écrivent souvent.",
        "Demandez aux agents qui est de service ce soir.",
        "Quelles lettres avez-vous reçues ?",
        "Quelle boutique l'a vendue ?",
        "Quelle entreprise a vue sur la mer ?",
        "Toutes les personnes qui nous ont contactés seront rappelées.",
    ],
)
def test_correct_sentence_is_not_blocked(text: str) -> None:
    assert blocking_fixes(text) == {}
