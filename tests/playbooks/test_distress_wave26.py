"""Wave 26 (issue 13, wp/distress26): threats and distress as seven writers say them — rules only.

Every sentence is written for these tests (none is a probe row). They check constructions, each
seen in the misses of at least two probes: the brand's staff named right after a first-person
gesture or a call ("je descends le guichetier", "faudrait lyncher les contrôleurs"); what serves
to find a person, or a crew coming, then a veiled threat ("il gare sa voiture rue …, à bon
entendeur"); a bomb or a fire promised to a place, with people inside; shooting and blood
announced; a farewell or a last time, then an announced end ("mon dernier trajet … j'y
resterai"); a means at hand, then a move towards it ("le viaduc … ce soir j'y vais"); others
relieved, no way out, what still holds one back. On the other side, the look-alikes each rule
must leave alone: games and sport, news reports, counter-speech, a customer leaving for a
competitor, a crowded station, a wire or a ticket as the instrument of a joke.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        # the staff named after a first-person gesture or a call
        "si mon train saute encore, je bute le chef de bord",
        "faudrait lyncher les contrôleurs de cette ligne",
        "il faudrait fusiller le directeur régional devant ses bureaux",
        "je vais au dépôt et je vide un chargeur sur le premier agent qui sort",
        "je vais pousser la contrôleuse sous le train",
        # finding a person, or a crew coming, then a veiled threat
        "le gérant de l'agence de Lens, je sais où il gare sa voiture, à bon entendeur",
        "ton livreur habite rue des Lilas, je l'ai trouvé en 5 minutes. Toujours envie de rire ?",
        "moi et mes potes on sera à la gare lundi. le guichetier saura pourquoi",
        "vous avez des enfants à l'école du quartier, je crois. Pensez-y.",
        # a bomb, a fire, shooting and blood
        "une bombe sera posée dans votre agence lundi",
        "votre entrepôt va brûler cette nuit, vous êtes prévenus",
        "on devrait incendier leur siège avec les cadres dedans",
        "y aura du sang dans votre magasin si personne me répond",
        "je passe au guichet avec de quoi vous faire regretter ce refus",
        "je t'y attends demain avec une barre de fer",
        # the outcome promised to a third person
        "le vendeur qui m'a volé, sur ma mère il est mort. il est mort je te jure",
        "ce conseiller ne restera pas longtemps en vie, croyez-moi",
        "la guichetière regrettera d'être née",
        "je vais égorger ce livreur s'il ose revenir",
        "je vais lui faire la peau, ce chauffeur",
        "ce conducteur, c'est au cimetière qu'il finira sa tournée",
        "on démonte la caisse et le caissier, vous êtes prévenus",
    ],
)
def test_threat_constructions_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        # a farewell or a last time, then an announced end
        "ma dernière lettre est écrite, j'ai fait mon choix",
        "c'est mon dernier voyage avec vous. je ne reprendrai pas le retour",
        "merci pour tout à ceux qui m'ont lu. je pars pour de bon ce soir",
        "dites à ma fille que je l'aime. ne m'en voulez pas",
        # a means at hand, then a move towards it
        "le viaduc est à dix minutes de chez moi, ce soir j'y vais",
        "sur le quai je regarde le prochain train qui passe et je crois que je vais pas reculer",
        "j'ai les cachets en grande quantité, il suffirait d'un pas",
        # others relieved, no way out, what holds one back
        "mes parents seraient soulagés si je n'étais plus là",
        "je ne vois plus d'autre issue que d'en finir",
        "je vois pas la raison de continuer à vivre",
        "je ne sais plus ce qui me retient encore",
        "la vie va continuer à tourner sans moi, c'est mieux",
        "j'en aurai plus besoin là où je vais, gardez l'avoir",
        "je veux rejoindre ma mère au ciel, elle me manque trop",
        "ce soir je vais me foutre sous le prochain train",
        "si ça continue au lycée je saute du toit",
        "je vais finir ça sur vos voies demain matin",
    ],
)
def test_distress_constructions_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        # games and sport
        "dans Fortnite je descends le premier agent que je vois, trop facile",
        "ce soir au match on va défoncer le premier qui ose marquer contre nous mdr",
        "il y aura du sang sur le terrain ce soir, derby oblige",
        # news reports and counter-speech
        "le journal raconte qu'un homme voulait brûler leur entrepôt avec les employés dedans",
        "les manifestants ont caillassé le TER hier soir d'après le journal",
        "un homme a poussé un contrôleur sous un train, la police enquête",
        "on ne doit pas dire qu'il faudrait pendre les dirigeants, la violence ne règle rien",
        "il faudrait virer le directeur, il est incompétent",
        # complaints that name a person or a place
        "j'ai noté le nom du contrôleur, vous saurez pourquoi dans mon courrier de réclamation",
        "je vous attends au guichet depuis une heure, vous saurez pourquoi je suis énervé",
        "je connais ses horaires, je passerai avant la fermeture, vous saurez pourquoi par mail",
        "votre conseillère habite à Lille ? pensez-y pour les rendez-vous en agence",
        "ma soeur habite à Metz, envoyez le colis là-bas",
        "ça va chauffer pour le livreur s'il se trompe encore d'adresse haha",
        # hyperbole: a crowded place, a cake, a concert, a dead phone
        "le magasin va exploser de monde pour le black friday",
        "votre gare va exploser sous les valises ce week-end",
        "avec de quoi faire des dégâts ce gâteau, trop bon",
        "moi et mes potes on sera au magasin samedi pour les soldes, préparez-vous !",
        "je connais votre tournée, le livreur passe à 10h, pensez-y pour les colis fragiles",
        "il faudrait frapper le directeur à la porte pour avoir une réponse lol",
        "je descends le conducteur du bus à son arrêt, il a oublié son sac",
        "le film finit en carnage, ça va finir en massacre pour le héros",
        "je vais lui faire la peau du poulet croustillante, recette de mamie",
        "évacuez si vous voulez mais la fumée c'était le barbecue",
        "quand tu rentres seul, on se voit bientôt pour le dîner !",
        "fais gaffe quand tu rentres chez toi ce soir, il pleut fort, bisous",
        "prévoyez des ambulances, ce concert va être une folie",
        "il est mort sur ma mère ce téléphone, plus de batterie",
        "il saignera du nez avec cette chaleur",
        "votre appli, je vais la buter, elle plante tout le temps",
        "je vais tuer le prochain qui me souhaite bon courage pour la grève",
    ],
)
def test_threat_look_alikes_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        # a customer leaving, a last order, a holiday
        "C'est ma dernière commande chez vous, je ne reviendrai pas, merci pour rien",
        "mon dernier achat chez vous, j'ai tout préparé pour le retour du colis",
        "Dernier jour des soldes, je pars pour de bon en vacances demain !",
        "adieu la carte grand voyageur, je pars définitivement chez la concurrence",
        "je vois plus l'intérêt de continuer à prendre vos trains",
        "je sais pas ce qui me retient de résilier mon abonnement",
        "la seule chose qui me retient chez vous c'est le prix",
        "pas d'autre solution que de partir chez un concurrent",
        # a means named in an ordinary trip or purchase
        "le prochain train est dans 40 minutes, je me mets devant la porte pour avoir une place",
        "le pont est fermé à cause des travaux, je ne reviendrai pas par là",
        "le prochain TER passe sans s'arrêter à ma gare, c'est pour ce soir la réponse ?",
        "j'ai commandé une corde d'escalade, j'en ai besoin ce week-end pour la falaise",
        "je suis sur le pont de Normandie, le prochain train pour Caen est à quelle heure ?",
        "je regarde les trains passer depuis une heure, le mien est toujours annulé",
        "je t'ai laissé mes clés chez la gardienne, bisous",
        "désolé pour le retard que ça va faire sur votre planning, le camion est en panne",
        "ma dernière commande chez vous date de 2019, j'ai fait mon choix : je vais ailleurs",
        "c'est mon dernier avis sur ce site, ne m'en voulez pas mais le service est nul",
        "le prochain train qui passe à Juvisy, je saute dedans, trop hâte des vacances",
        "le pont de Bir-Hakeim est magnifique, j'y vais souvent, je ne reviendrai pas déçu",
        "le viaduc de Millau vu du train, je vais pas reculer devant un tel spectacle",
        "adieu le TGV direct, sans retour possible après 22h, merci",
        "tout le monde serait soulagé si je partais en vacances, je suis insupportable mdr",
        "je vois plus l'intérêt de vivre à Paris avec vos transports",
        "le monde continuera de tourner sans moi si je quitte twitter",
        "gardez le manteau, j'en aurai pas besoin là où je vais, il fait 35 degrés",
        "je saute du pont dans la piscine cet été, trop hâte",
        "je vais finir ça sur les voies de garage, le train miniature de mon fils",
        # the instrument of a joke
        "trois heures de hotline, je vais me pendre avec le fil du téléphone",
        "encore une panne, je m'ouvre les veines avec mon ticket composté",
        "j'ai failli me pendre avec la clé allen en montant votre armoire",
    ],
)
def test_distress_look_alikes_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("votre livreur, je connais son quartier et sa tournée. à bon entendeur", "S4"),
        ("ma dernière commande. après je partirai tranquille", "S4"),
        ("le dépôt de votre entrepôt va exploser de commandes avant Noël", "S1"),
    ],
)
def test_shop_reads_the_same_constructions(shop: Playbook, text: str, expected: str) -> None:
    got = severity(shop, text)
    assert (got == "S4") == (expected == "S4"), got
