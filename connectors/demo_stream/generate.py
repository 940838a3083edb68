# ruff: noqa: E501 - hand-written French sentences read better unwrapped
"""Generate the bundled demo streams (synthetic French mentions for two fictitious brands).

Run `python -m connectors.demo_stream.generate` to rewrite `demo-rail.jsonl` and
`demo-shop.jsonl`; the output is deterministic (fixed seed) and committed. Every brand,
person, handle, train and order in these files is invented.

Brands: "Ferlis" (`demo-rail`, @Ferlis_Info), a regional rail operator, and "Cabasso"
(`demo-shop`, @Cabasso_fr), an online retailer.

Each line: `id` (stable within the stream), `brand`, `channel`, `offset` (seconds from the
start at the nominal pace of 6 mentions a minute), `author` {id, handle, name, followers,
verified, tier}, `person` (the same human across channels), `text`, `lang`, `in_reply_to`
and `thread` (stream ids), and `label` {category, severity} — the codification a reviewer
would give, handy to check a playbook against.
"""

from __future__ import annotations

import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SEED = 20260105
NOMINAL_GAP = 10.0  # seconds between mentions at 6 per minute

FIRST = [
    "Marie",
    "Julien",
    "Sophie",
    "Thomas",
    "Camille",
    "Nicolas",
    "Léa",
    "Maxime",
    "Chloé",
    "Antoine",
    "Manon",
    "Hugo",
    "Inès",
    "Lucas",
    "Sarah",
    "Mehdi",
    "Emma",
    "Karim",
    "Julie",
    "Kevin",
    "Laura",
    "Yanis",
    "Océane",
    "Théo",
    "Anaïs",
    "Bastien",
    "Nadia",
    "Romain",
    "Fatou",
    "Quentin",
    "Pauline",
    "Rachid",
    "Élodie",
    "Jérémy",
    "Aurélie",
    "Sébastien",
    "Mathilde",
    "Mamadou",
    "Clémence",
    "Florian",
    "Jade",
    "Bruno",
    "Nathalie",
    "Hervé",
    "Sylvie",
    "Patrick",
    "Christine",
    "Didier",
    "Agnès",
    "Loïc",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Nguyen",
    "Benali",
    "Diallo",
    "Perrin",
    "Morel",
    "Colin",
    "Caron",
]
TIERS = ("Platine", "Or", "Argent", "Cuivre", "Fer blanc")
MASTODON_HOSTS = ("piaille.demo", "pouet.demo", "toot.demo")

STATIONS = (
    "Marseille",
    "Toulon",
    "Nice",
    "Avignon",
    "Arles",
    "Aix",
    "Cannes",
    "Antibes",
    "Hyères",
    "Gap",
    "Briançon",
    "Miramas",
    "Aubagne",
    "La Ciotat",
    "Vintimille",
    "Digne",
    "Menton",
)
PRODUCTS = (
    "aspirateur",
    "machine à café",
    "casque audio",
    "canapé",
    "trottinette électrique",
    "robot pâtissier",
    "smartphone",
    "lave-linge",
    "baskets",
    "matelas",
    "friteuse à air",
    "télé",
    "perceuse",
    "poussette",
    "console",
)
CARRIERS = ("le transporteur", "le livreur", "le relais colis", "la poste")

ABBREVIATIONS = {
    "s'il vous plaît": "svp",
    "pourquoi": "pk",
    "aujourd'hui": "ajd",
    "beaucoup": "bcp",
    "toujours": "tjrs",
    "quand même": "qd même",
    "je suis": "chui",
    "c'est": "c",
    "vraiment": "vrmt",
    "parce que": "pcq",
    "rendez-vous": "rdv",
    "message": "msg",
    "je sais pas": "jsp",
    "quelqu'un": "qqn",
    "tout le monde": "tlm",
    "problème": "pb",
}
EMOJI = {
    "angry": ["😡", "🤬", "😤", "🙄", "💀", "🤡", "😠"],
    "sad": ["😢", "😭", "😞", "💔", "🥲"],
    "happy": ["😍", "🙏", "👏", "❤️", "😊", "💯", "🥰"],
    "neutral": ["🤔", "🙂", "👀", "🚆", "📦"],
}


@dataclass
class Brand:
    slug: str
    name: str
    handle: str
    hashtags: list[str]
    mood_tags: list[str] = field(default_factory=list)


RAIL = Brand("demo-rail", "Ferlis", "Ferlis_Info", ["#Ferlis", "#TER", "#train"], ["#grève"])
SHOP = Brand("demo-shop", "Cabasso", "Cabasso_fr", ["#Cabasso", "#SAV", "#colis"], [])

# (category, severity, mood, [templates]). Slots: {st1} {st2} {h} {min} {n} {prod} {order}
# {carrier} {days} {brand} {price}
RAIL_TEMPLATES: list[tuple[str, str, str, list[str]]] = [
    (
        "retard",
        "S2",
        "angry",
        [
            "@{brand} encore {min} min de retard sur le {st1}-{st2} de {h}, c'est tous les jours pareil",
            "@{brand} train de {h} pour {st2} annoncé à l'heure puis {min} minutes de retard sans explication",
            "{min} min de retard, j'ai raté ma correspondance à {st2}. Merci @{brand} vraiment",
            "@{brand} pourquoi le {n} est toujours en retard ? ça fait 3 semaines que ça dure",
            "Bloqués en pleine voie entre {st1} et {st2} depuis {min} min, aucune annonce @{brand}",
            "@{brand} je vais encore arriver en retard au boulot, {min} min ce matin. mon patron en a marre",
            "retard de {min} min au départ de {st1}, personne sur le quai pour nous informer @{brand}",
            "@{brand} le panneau dit 'retard indéterminé' c'est quoi ce délire",
            "Ça fait une heure qu'on attend le {n} à {st1}. @{brand} vous comptez nous dire quelque chose ?",
            "@{brand} +{min} min, ma fille attend seule à la gare de {st2}, c'est inadmissible",
        ],
    ),
    (
        "annulation",
        "S2",
        "angry",
        [
            "@{brand} le {h} {st1}-{st2} supprimé SANS prévenir. on fait comment nous ?",
            "Train annulé pour la 3e fois cette semaine @{brand}. J'ai un entretien d'embauche à {st2} !",
            "@{brand} suppression du {n}, aucun bus de remplacement, on est 200 sur le quai",
            "@{brand} vous annulez le dernier train pour {st2} et on dort où ce soir ?",
            "suppression du train de {h}... l'appli disait à l'heure 5 min avant @{brand}",
            "@{brand} c'est quoi la raison de l'annulation du {n} ? 'conditions de production' ça veut rien dire",
        ],
    ),
    (
        "greve",
        "S2",
        "angry",
        [
            "@{brand} grève encore ?! on est pris en otage à chaque fois",
            "@{brand} y a des trains demain entre {st1} et {st2} ou pas avec la grève ?",
            "Le préavis de grève tombe pile pendant les vacances, bravo @{brand} #grève",
            "@{brand} comment je vais au travail pendant la grève ? aucun plan de transport publié",
            "Grève = 1 train sur 3 et on est entassés comme des sardines @{brand}",
            "@{brand} je soutiens les cheminots mais informez nous au moins la veille !",
        ],
    ),
    (
        "remboursement",
        "S2",
        "neutral",
        [
            "@{brand} comment je me fais rembourser mon billet {st1}-{st2} du train supprimé ?",
            "@{brand} demande de remboursement faite il y a {days} jours, toujours rien",
            "@{brand} la garantie retard c'est à partir de combien de minutes ? j'ai eu {min} min",
            "@{brand} mon abonnement mensuel est remboursé pendant la grève ?",
            "@{brand} le formulaire de remboursement plante à chaque fois, je fais comment",
            "Ça fait {days} jours que j'attends mon remboursement @{brand}, vous me prenez pour une banque ?",
        ],
    ),
    (
        "confort",
        "S2",
        "angry",
        [
            "@{brand} clim en panne dans le {n}, 35 degrés dans la voiture 4, des gens se sentent mal",
            "@{brand} toilettes condamnées sur un trajet de 2h, sérieux ?",
            "Train bondé, la moitié des gens debout, @{brand} mettez des voitures en plus aux heures de pointe",
            "@{brand} le wifi à bord ne marche jamais, à quoi bon l'afficher",
            "@{brand} l'ascenseur de la gare de {st1} est en panne depuis un mois, impossible en fauteuil",
        ],
    ),
    (
        "question",
        "S1",
        "neutral",
        [
            "@{brand} bonjour, est-ce qu'on peut monter avec un vélo dans le {st1}-{st2} ?",
            "@{brand} bonjour, la carte Ferlis jeune marche aussi le week-end ?",
            "@{brand} quels sont les horaires du premier train pour {st2} dimanche ?",
            "@{brand} on peut acheter son billet à bord si le guichet est fermé ?",
            "@{brand} bonjour, mon chien de 10kg doit avoir un billet ?",
            "@{brand} où trouver les horaires d'été ? merci",
            "@{brand} j'ai perdu mon sac dans le train de {h} de {st1}, à qui je m'adresse ?",
            "@{brand} les travaux sur la ligne {st1}-{st2} durent jusqu'à quand ?",
        ],
    ),
    (
        "eloge",
        "S1",
        "happy",
        [
            "Merci au contrôleur du {n} super sympa et drôle ce matin @{brand}",
            "@{brand} pour une fois à l'heure et propre, ça fait plaisir",
            "Bravo à l'équipe de la gare de {st1} qui a aidé ma grand-mère, merci @{brand}",
            "@{brand} la nouvelle appli est top, enfin les vrais horaires en temps réel",
            "Le trajet {st1}-{st2} au coucher du soleil, ça vaut tous les retards du monde @{brand}",
        ],
    ),
    (
        "insulte",
        "S3",
        "angry",
        [
            "@{brand} bande de bras cassés, vous êtes nuls",
            "@{brand} bande d'incapables, une entreprise de clowns",
            "@{brand} vous êtes des escrocs, des voleurs, rendez nous notre argent",
            "@{brand} la direction c'est des guignols, allez tous vous faire voir",
            "@{brand} service de merde, personnel de merde",
            "@{brand} vous êtes vraiment des connards finis",
        ],
    ),
    (
        "menace",
        "S4",
        "angry",
        [
            "@{brand} le contrôleur du {n} de ce matin je vais le retrouver et il va comprendre",
            "@{brand} si je croise un agent Ferlis demain je le défonce, je vous préviens",
            "@{brand} continuez comme ça et un jour quelqu'un va mettre le feu à vos guichets, et ce sera mérité",
            "@{brand} je sais à quelle heure finit la guichetière de {st1}. elle va regretter",
        ],
    ),
    (
        "detresse",
        "S4",
        "sad",
        [
            "@{brand} j'en peux plus. perdu mon boulot à cause de vos retards, je vois plus de raison de continuer",
            "@{brand} franchement si je rate encore ce train je me jette dessous, ça réglera tout",
            "j'ai envie d'en finir. même pas la force de rentrer chez moi ce soir @{brand}",
            "@{brand} seule sur le quai à {st1} à minuit, j'ai peur, un type me suit depuis le train",
        ],
    ),
    (
        "presse_juridique",
        "S3",
        "neutral",
        [
            "@{brand} journaliste à La Gazette du Sud, je prépare un article sur les suppressions de trains, pouvez-vous me contacter ?",
            "@{brand} sans remboursement sous 8 jours je saisis le médiateur et mon avocat",
            "@{brand} on monte une action collective des usagers du {st1}-{st2}, l'UFC est prévenue",
            "@{brand} je vais porter plainte, votre agent m'a insulté devant tout le monde",
        ],
    ),
    (
        "spam",
        "S0",
        "neutral",
        [
            "@{brand} gagnez 500€ par jour depuis chez vous 👉 bit.ly/argent-facile-demo",
            "@{brand} Follow back ? je suis nouveau ici #followback",
            "@{brand} crypto x100 garanti, DM moi 🚀🚀🚀",
            "@{brand} découvrez mon OnlyF*** lien en bio 🔥",
        ],
    ),
    (
        "hors_sujet",
        "S0",
        "neutral",
        [
            "quelqu'un a vu le match hier soir ? #OM @{brand}",
            "@{brand} premier !",
            "@{brand} il fait beau à {st1} aujourd'hui",
        ],
    ),
]
RAIL_EN = [
    (
        "retard",
        "S2",
        "angry",
        "@{brand} train from {st1} to {st2} delayed {min} minutes, no info at all. Great service",
    ),
    (
        "question",
        "S1",
        "neutral",
        "@{brand} hi, do I need to validate my ticket before boarding in {st1}?",
    ),
    (
        "annulation",
        "S2",
        "angry",
        "@{brand} my train to {st2} got cancelled and I have a flight to catch in Nice!!",
    ),
    ("eloge", "S1", "happy", "@{brand} lovely coastal ride to {st2}, thanks to the friendly staff"),
]

SHOP_TEMPLATES: list[tuple[str, str, str, list[str]]] = [
    (
        "livraison",
        "S2",
        "angry",
        [
            "@{brand} commande {order} toujours pas livrée, {days} jours de retard",
            "@{brand} le suivi dit livré mais j'ai rien reçu !! commande {order}",
            "@{brand} {carrier} a laissé mon colis devant la porte sous la pluie...",
            "@{brand} livraison prévue hier, j'ai posé un jour de congé pour rien",
            "@{brand} ça fait {days} jours que mon colis est 'en cours d'acheminement'",
            "Colis perdu par {carrier}, et @{brand} me dit de voir avec eux. Génial le SAV",
            "@{brand} vous livrez quand en fait ? commande {order} passée il y a {days} jours",
            "@{brand} mon {prod} est arrivé mais le carton était éventré",
        ],
    ),
    (
        "retour",
        "S2",
        "neutral",
        [
            "@{brand} comment je retourne mon {prod} ? le lien de retour ne marche pas",
            "@{brand} retour envoyé il y a {days} jours, toujours pas remboursé",
            "@{brand} j'ai renvoyé le {prod}, vous l'avez reçu ? aucune nouvelle",
            "@{brand} pourquoi le retour est payant alors que c'est votre erreur ?",
            "@{brand} remboursement de {price}€ promis, jamais reçu. commande {order}",
        ],
    ),
    (
        "defectueux",
        "S2",
        "angry",
        [
            "@{brand} mon {prod} tombe en panne au bout de 2 semaines, bravo la qualité",
            "@{brand} reçu un {prod} cassé, et le SAV ne répond pas depuis {days} jours",
            "@{brand} {prod} livré sans la notice et sans le câble, c'est du foutage de gueule",
            "@{brand} le {prod} fait un bruit horrible dès le premier jour, je veux un échange",
            "@{brand} le {prod} a pris feu dans ma cuisine ! heureusement j'étais là",
        ],
    ),
    (
        "commande",
        "S2",
        "neutral",
        [
            "@{brand} j'ai été débité deux fois pour la commande {order}",
            "@{brand} impossible de payer sur le site, erreur à chaque fois",
            "@{brand} mon code promo ne marche pas alors qu'il est valable jusqu'à dimanche",
            "@{brand} vous avez annulé ma commande sans raison ??",
        ],
    ),
    (
        "question",
        "S1",
        "neutral",
        [
            "@{brand} bonjour, vous livrez en Corse ?",
            "@{brand} le {prod} en promo sera de nouveau en stock quand ?",
            "@{brand} bonjour, la garantie du {prod} c'est combien de temps ?",
            "@{brand} on peut changer l'adresse de livraison après la commande ?",
            "@{brand} vous faites le paiement en 3 fois ?",
            "@{brand} bonjour, où est votre point relais le plus proche de Lyon 7e ?",
        ],
    ),
    (
        "eloge",
        "S1",
        "happy",
        [
            "@{brand} reçu mon {prod} en 24h, nickel, merci !",
            "Service client @{brand} au top, échange fait en 2 jours sans discuter",
            "@{brand} franchement rien à dire, emballage soigné et livreur adorable",
            "@{brand} meilleur prix trouvé pour mon {prod}, je recommande",
        ],
    ),
    (
        "insulte",
        "S3",
        "angry",
        [
            "@{brand} bande d'arnaqueurs, vous êtes des voleurs",
            "@{brand} SAV de merde, des incompétents du premier au dernier",
            "@{brand} vous êtes vraiment des escrocs, honte à vous",
            "@{brand} bande de nuls, même pas capables d'envoyer un carton",
        ],
    ),
    (
        "menace",
        "S4",
        "angry",
        [
            "@{brand} je connais l'adresse de votre entrepôt, je vais venir régler ça moi même et ça va mal finir",
            "@{brand} la personne du SAV qui m'a raccroché au nez, je vais la trouver",
            "@{brand} rendez mon argent ou je fais un carnage dans votre magasin",
        ],
    ),
    (
        "detresse",
        "S4",
        "sad",
        [
            "@{brand} c'était l'argent pour le loyer. je sais plus quoi faire, j'ai plus envie de rien, même plus de vivre",
            "@{brand} j'ai tout perdu ce mois ci, cette commande c'était mes dernières économies, j'en peux plus de vivre comme ça",
            "@{brand} je vais me foutre en l'air, personne ne m'écoute jamais",
        ],
    ),
    (
        "presse_juridique",
        "S3",
        "neutral",
        [
            "@{brand} sans réponse sous 48h je saisis la DGCCRF et je mets tout sur Que Choisir",
            "@{brand} je suis journaliste conso pour Le Mag Conso, plusieurs lecteurs se plaignent de colis perdus, un contact presse ?",
            "@{brand} mise en demeure envoyée par mon avocat ce matin",
            "@{brand} on est 300 dans le groupe Facebook des victimes Cabasso, action de groupe en préparation",
        ],
    ),
    (
        "spam",
        "S0",
        "neutral",
        [
            "@{brand} Gagnez un iPhone 17 gratuit, cliquez ici 👉 bit.ly/cadeau-demo",
            "@{brand} je vends des followers pas chers, DM",
            "@{brand} investissez dans le bitcoin avec moi, 300% garanti 💰",
        ],
    ),
]
SHOP_EN = [
    (
        "livraison",
        "S2",
        "angry",
        "@{brand} order {order} still not delivered after {days} days. Any update?",
    ),
    ("question", "S1", "neutral", "@{brand} hi, do you ship to Belgium?"),
    ("defectueux", "S2", "angry", "@{brand} my {prod} arrived broken, how do I get a replacement?"),
]

FOLLOW_UPS = [
    "toujours aucune réponse... @{brand}",
    "@{brand} ??? vous lisez vos messages ?",
    "@{brand} relance. ça fait 2h.",
    "@{brand} je ne lâcherai pas tant que j'aurai pas de réponse",
    "@{brand} merci pour la réponse en DM, on avance",
]


@dataclass
class Person:
    key: str
    first: str
    last: str
    followers: int
    verified: bool
    tier: str | None


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


class Writer:
    """Turns a clean template into social-media French: abbreviations, typos, emoji, caps."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def roughen(self, text: str, mood: str, brand: Brand) -> str:
        rng = self.rng
        if rng.random() < 0.45:
            for full, short in ABBREVIATIONS.items():
                if full in text and rng.random() < 0.7:
                    text = text.replace(full, short)
        if rng.random() < 0.25:
            text = strip_accents(text)
        if rng.random() < 0.2:
            text = self._typo(text)
        if mood == "angry" and rng.random() < 0.3:
            text = self._elongate(text)
        if mood == "angry" and rng.random() < 0.12:
            text = text.upper().replace(f"@{brand.handle.upper()}", f"@{brand.handle}")
        if rng.random() < 0.3:
            text = text.rstrip(".") + rng.choice(["!!", "!!!", " ?!", "...", " !!!!", ""])
        if rng.random() < 0.5:
            text += " " + "".join(rng.choices(EMOJI[mood], k=rng.randint(1, 3)))
        if rng.random() < 0.3:
            tags = brand.hashtags + (brand.mood_tags if mood == "angry" else [])
            text += " " + rng.choice(tags)
        if rng.random() < 0.3:
            text = text[0].lower() + text[1:]
        return text

    def _typo(self, text: str) -> str:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if not candidates:
            return text
        i = self.rng.choice(candidates)
        w = words[i]
        j = self.rng.randint(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(words)

    def _elongate(self, text: str) -> str:
        for word, long in (
            ("nuls", "nuuuuls"),
            ("marre", "maaaarre"),
            ("sérieux", "sérieuuux"),
            ("jamais", "jamaiiiis"),
            ("toujours", "toujouuurs"),
            ("pourquoi", "pourquoiii"),
        ):
            if word in text:
                return text.replace(word, long, 1)
        return text + " " + self.rng.choice(["ptn", "pfff", "sérieux", "no comment", "j'hallucine"])


class StreamBuilder:
    def __init__(self, brand: Brand, prefix: str, rng: random.Random) -> None:
        self.brand, self.prefix, self.rng = brand, prefix, rng
        self.writer = Writer(rng)
        self.lines: list[dict[str, Any]] = []
        self.people: list[Person] = []
        self.clock = 0.0

    def person(self, *, influencer: bool = False) -> Person:
        rng = self.rng
        if self.people and not influencer and rng.random() < 0.25:
            return rng.choice(self.people)  # regulars come back
        followers = int(rng.lognormvariate(4.5, 1.4))
        if influencer:
            followers = rng.randint(40_000, 400_000)
        person = Person(
            key=f"{self.prefix}-p{len(self.people):03d}",
            first=rng.choice(FIRST),
            last=rng.choice(LAST),
            followers=followers,
            verified=influencer or rng.random() < 0.03,
            tier=rng.choice([None, None, *TIERS]),
        )
        self.people.append(person)
        return person

    def author(self, person: Person, channel: str) -> dict[str, Any]:
        rng = random.Random(f"{person.key}-{channel}")  # stable handle per person and channel
        base = strip_accents(person.first).lower()
        last = strip_accents(person.last).lower().replace(" ", "")
        style = rng.randint(0, 3)
        core = [
            f"{base}_{last[:1]}{rng.randint(1, 99)}",
            f"{base}.{last}",
            f"{base}{last[:3]}{rng.randint(10, 9999)}",
            f"{last}_{base[:1]}",
        ][style]
        if channel == "x":
            handle = core.replace(".", "_")[:15]
        elif channel == "mastodon":
            handle = f"{core.replace('.', '_')}@{rng.choice(MASTODON_HOSTS)}"
        else:
            handle = f"{core.replace('_', '-')}.bsky.social"
        return {
            "id": f"{channel}:{person.key}",
            "handle": handle,
            "name": f"{person.first} {person.last[0]}."
            if style % 2
            else f"{person.first} {person.last}",
            "followers": person.followers,
            "verified": person.verified and channel == "x",
            "tier": person.tier,
        }

    def slots(self) -> dict[str, Any]:
        rng = self.rng
        st1, st2 = rng.sample(STATIONS, 2)
        return {
            "brand": self.brand.handle,
            "st1": st1,
            "st2": st2,
            "h": f"{rng.randint(5, 22)}h{rng.choice(['02', '14', '17', '31', '45', '52', ''])}",
            "min": rng.choice([8, 12, 15, 20, 25, 30, 35, 45, 50, 60, 90]),
            "n": f"TER {rng.randint(17000, 17999)}",
            "prod": rng.choice(PRODUCTS),
            "order": f"CB-{rng.randint(100000, 999999)}",
            "carrier": rng.choice(CARRIERS),
            "days": rng.choice([3, 5, 8, 10, 12, 15, 21, 30]),
            "price": rng.choice([19, 49, 89, 129, 249, 399, 649]),
        }

    def add(
        self,
        text: str,
        *,
        person: Person,
        channel: str,
        category: str,
        severity: str,
        lang: str = "fr",
        gap: float | None = None,
        in_reply_to: str | None = None,
        thread: str | None = None,
    ) -> dict[str, Any]:
        self.clock += gap if gap is not None else self.rng.expovariate(1 / NOMINAL_GAP)
        line = {
            "id": f"{self.prefix}-{len(self.lines) + 1:04d}",
            "brand": self.brand.slug,
            "channel": channel,
            "offset": round(self.clock, 1),
            "author": self.author(person, channel),
            "person": person.key,
            "text": text,
            "lang": lang,
            "in_reply_to": in_reply_to,
            "thread": thread,
            "label": {"category": category, "severity": severity},
        }
        line["thread"] = thread or line["id"]
        self.lines.append(line)
        return line

    def channel(self) -> str:
        return self.rng.choices(["x", "mastodon", "bluesky"], weights=[6, 2, 2])[0]

    def build(
        self,
        templates: list[tuple[str, str, str, list[str]]],
        english: list[tuple[str, str, str, str]],
        weights: dict[str, int],
        count: int,
        *,
        burst: tuple[int, int] | None = None,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        by_category = {c: (s, m, t) for c, s, m, t in templates}
        categories = list(weights)
        while len(self.lines) < count:
            index = len(self.lines)
            in_burst = burst is not None and burst[0] <= index < burst[1]
            gap = rng.expovariate(1 / (NOMINAL_GAP / 3 if in_burst else NOMINAL_GAP))
            roll = rng.random()
            if roll < 0.04 and english:
                category, severity, mood, template = rng.choice(english)
                text = template.format(**self.slots())
                self.add(
                    text,
                    person=self.person(),
                    channel="x",
                    category=category,
                    severity=severity,
                    lang="en",
                    gap=gap,
                )
                continue
            if roll < 0.09 and len(self.lines) > 20:
                self._follow_up(gap)
                continue
            if roll < 0.12:
                self._cross_channel(by_category, gap)
                continue
            category = rng.choices(categories, weights=[weights[c] for c in categories])[0]
            if in_burst and rng.random() < 0.5 and "greve" in by_category:
                category = "greve"
            severity, mood, options = by_category[category]
            text = self.writer.roughen(rng.choice(options).format(**self.slots()), mood, self.brand)
            influencer = category in ("retard", "livraison", "annulation") and rng.random() < 0.04
            person = self.person(influencer=influencer)
            if influencer and severity == "S2":
                severity = "S3"  # an influencer's complaint needs a lead's eye
            self.add(
                text,
                person=person,
                channel=self.channel(),
                category=category,
                severity=severity,
                gap=gap,
            )
        return self.lines

    def _follow_up(self, gap: float) -> None:
        rng = self.rng
        complaints = [
            line
            for line in self.lines[-40:]
            if line["label"]["severity"] in ("S2", "S3") and line["in_reply_to"] is None
        ]
        if not complaints:
            return
        original = rng.choice(complaints)
        person = next(p for p in self.people if p.key == original["person"])
        text = self.writer.roughen(
            rng.choice(FOLLOW_UPS).format(brand=self.brand.handle), "angry", self.brand
        )
        self.add(
            text,
            person=person,
            channel=original["channel"],
            category="relance",
            severity=original["label"]["severity"],
            gap=gap,
            in_reply_to=original["id"],
            thread=original["thread"],
        )

    def _cross_channel(self, by_category: dict[str, tuple[str, str, list[str]]], gap: float):
        """The same person with the same complaint on X and on Mastodon, minutes apart."""
        rng = self.rng
        category = rng.choice([c for c in by_category if by_category[c][0] == "S2"])
        severity, mood, options = by_category[category]
        template = rng.choice(options)
        slots = self.slots()
        person = self.person()
        person = Person(
            f"{self.prefix}-p{len(self.people):03d}",
            person.first,
            person.last,
            person.followers,
            False,
            person.tier,
        )
        self.people.append(person)
        first = self.add(
            self.writer.roughen(template.format(**slots), mood, self.brand),
            person=person,
            channel="x",
            category=category,
            severity=severity,
            gap=gap,
        )
        self.add(
            self.writer.roughen(template.format(**slots), mood, self.brand),
            person=person,
            channel="mastodon",
            category=category,
            severity=severity,
            gap=rng.uniform(20, 120),
        )
        first["label"]["cross_channel"] = True
        self.lines[-1]["label"]["cross_channel"] = True


RAIL_WEIGHTS = {
    "retard": 22,
    "annulation": 12,
    "greve": 10,
    "remboursement": 10,
    "confort": 5,
    "question": 12,
    "eloge": 7,
    "insulte": 7,
    "menace": 2,
    "detresse": 2,
    "presse_juridique": 3,
    "spam": 4,
    "hors_sujet": 2,
}
SHOP_WEIGHTS = {
    "livraison": 25,
    "retour": 12,
    "defectueux": 12,
    "commande": 8,
    "question": 12,
    "eloge": 8,
    "insulte": 7,
    "menace": 2,
    "detresse": 2,
    "presse_juridique": 4,
    "spam": 5,
}


def build_all() -> dict[str, list[dict[str, Any]]]:
    """Build both streams deterministically."""
    rng = random.Random(SEED)
    rail = StreamBuilder(RAIL, "rail", rng).build(
        RAIL_TEMPLATES, RAIL_EN, RAIL_WEIGHTS, 300, burst=(120, 190)
    )
    shop = StreamBuilder(SHOP, "shop", rng).build(SHOP_TEMPLATES, SHOP_EN, SHOP_WEIGHTS, 260)
    return {"demo-rail": rail, "demo-shop": shop}


def main() -> None:
    for slug, lines in build_all().items():
        path = HERE / f"{slug}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for line in lines:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        print(f"{path.name}: {len(lines)} mentions")


if __name__ == "__main__":
    main()
