"""Wave 12 (issue 13, judge13y): grammar of judgement in the shipped French playbooks.

Every sentence is written for these tests. They check forms, not sentences: the author's
own attribute or role ("j'suis un peu con", "j'ai conduit comme un abruti"), taking someone
for something ("vous nous prenez pour des imbéciles") and someone's words said without
quotation marks ("un type a dit sale …") stay below S3; "bande de" in the vocative, a group
taken up by "ils sont" / "ce sont" in the next sentence, contempt without an insult ("ne
pensent qu'à l'argent", "ont leur place au zoo"), "un … reste un …" and the pleasure
promised at a group's death reach S3 or S4, while their look-alikes do not.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook
from playbooks.normalize import normalize
from playbooks.scope import find_scopes

from .conftest import severity

FLAGGED = ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        # the author's own attribute or role: self-mockery
        "j'suis un peu attardé ce matin, je trouve pas le quai",
        "suis-je vraiment idiot ou la borne ne marche pas ?",
        "j'ai conduit comme un abruti hier soir, honte à moi",
        "je me suis senti vraiment con devant le guichet",
        "désolé d'être aussi bête aujourd'hui",
        "j'adore faire le clown dans le train avec mes neveux",
        # taking someone for something: a suspicion of contempt, not an insult
        "vous nous prenez pour des imbéciles avec vos excuses ?",
        "ils le prennent pour un idiot ou quoi",
        # someone's words reported without quotation marks
        "ma voisine raconte qu'un type a dit sale arabe à son fils dans le bus",
        "tu savais que des gens peuvent encore dire sale noir en 2026 ?",
        "avez-vous déjà été traité de sale con dans un train ?",
        "quand on balance un sale arabe à quelqu'un c'est du racisme",
        "si tu trouves que sale noir n'est pas raciste, on a un problème",
        # contempt whose subject is a fact ("ça", "c'est"), not the group
        "je trouve ça débile d'obliger les handicapés à réserver 48h avant",
        # "bande" as a kind of group, a strip or a comic
        "une bande de jeunes chantait dans le wagon",
        "j'ai lu une bande dessinée dans le train",
        "on part en bande de potes ce week-end",
        # a vocative that praises or envies: luck, talent, work (a noun before the insult's)
        "bande de petits chanceux, vous avez eu le dernier billet pour Biarritz",
        "bande de veinards, profitez bien du soleil",
        "bande de sacrés bosseurs, merci pour la livraison du dimanche",
        "la bande d'arrêt d'urgence était pleine de voitures",
        # a group named, then a subject pronoun without contempt
        "Les migrants sont exploités. Ils sont épuisés et affamés.",
        "Les musulmans fêtent l'Aïd. Ils sont heureux.",
        "J'ai rencontré des juifs à Paris. Ils sont très sympas.",
        "Les femmes sont sous-payées. C'est ignoble.",
        # places, contributions and wishes that say nothing against a group
        "la place des femmes est partout",
        "les migrants apportent leur culture",
        "je serais ravi de voir tous les voyageurs remboursés",
        "le monde serait meilleur sans la guerre",
    ],
)
def test_look_alikes_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED, text


@pytest.mark.parametrize(
    "text",
    [
        # the scope of the author's attribute is short: an insult further on still counts
        "je suis tombé sur un connard au guichet",
        "je suis sûr que t'es un abruti",
        "arrête de faire le con avec moi, t'es qu'une merde",
        # "bande de" in the vocative, whatever noun follows
        "bande de moules, réveillez-vous",
        "bande de clowns",
        "cette bande de pignoufs a encore perdu ma valise",
        # an address followed by a contempt attribute after "de gros"
        "vous êtes de gros déchets",
        # a group taken up in the next sentence by a subject pronoun, then contempt
        "Ne faites jamais confiance aux arabes. Ce sont tous des menteurs.",
        "Les femmes se croient tout permis. Elles sont vraiment pathétiques.",
        "Les migrants arrivent en masse. Ils sont immondes.",
        # contempt without an insult: the one thing a group would be good for, its place
        "les juifs ne pensent qu'à l'argent",
        "les femmes sont juste bonnes à faire des gosses",
        "les arabes ne savent que voler",
        "les migrants n'apportent que des problèmes",
        "les arabes ont leur place dans un zoo",
        "la place des femmes est à la cuisine",
        "les noirs sont des gens de merde",
        "les noirs ne sont pas vraiment humains",
        "les migrants c'est que des merdes",
        "ces putains de gauchistes",
        # an essence assigned
        "un noir reste un noir",
        "les arabes sont débiles",
        "vous avez été traités de cons et vous êtes vraiment des cons",
    ],
)
def test_grammar_reaches_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in FLAGGED, text


@pytest.mark.parametrize(
    "text",
    [
        "ce serait un plaisir de voir tous les arabes pendus",
        "je serais ravi de voir les migrants brûler",
        "que quelqu'un débarrasse la planète des arabes",
        "il faudrait tous les pendre ces migrants",
        "ces musulmans méritent une balle dans la tête",
    ],
)
def test_norms_and_wishes_of_violence_reach_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "il faudrait les rembourser ces voyageurs",
        "ces voyageurs mériteraient d'être remboursés",
        "ce retard me tue",
        "il est temps de tuer ces rumeurs sur les musulmans",
        "les migrants doivent être accueillis dignement",
    ],
)
def test_norms_without_violence_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED, text


def test_self_scope_is_three_words_after_its_trigger() -> None:
    text = "je suis un gros con ce matin"
    nt = normalize(text)
    scopes = find_scopes(text, nt.text, nt.original_span, frozenset({"self"}))
    assert [(k, text[a:b].strip()) for k, a, b in scopes] == [("self", "un gros con")]
