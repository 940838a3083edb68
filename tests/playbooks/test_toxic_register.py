"""General toxicity of forums and tweets in the shipped French playbooks (issue 13, judge13v).

Every sentence is written for these tests. They check constructions rather than words: a thing
designated by a demonstrative or a possessive then qualified "de merde" / "à chier", "espèce de"
without an article, "j'emmerde" with a target, a bare contempt attribute right after an address
("t'es facho"); and their benign neighbours (boredom, the weather, a species, a kind of thing).
"""

from __future__ import annotations

import pytest

from playbooks import Playbook, load_playbook_file, shipped_playbook_path

from .conftest import severity

HOSTILE = [
    # a designated thing, then the filth after it
    "ton article de merde personne le lit",
    "cette émission à chier devrait s'arrêter",
    "vos commentaires de mes deux on s'en passe",
    "franchement son podcast de merde me sort par les yeux",
    # "espèce de" without an article is an apostrophe, whatever noun follows
    "espèce de lunatique",
    "ferme-la, espèce d'hypocrite",
    "espèces de moutons",
    # "j'emmerde" with its target
    "j'emmerde les gens comme toi",
    "je l'emmerde ce type",
    # a bare contempt attribute right after an address
    "t'es facho et fier de l'être",
    "vous êtes incultes ou quoi",
    # sexual humiliation, an intensified stupidity adjective, imposed annoyance
    "va sucer des bites",
    "un putain de débile ce mec",
    "tu me casses les couilles avec tes histoires",
    "tu peux te la mettre où je pense ta remarque",
    "t'as vu ta tronche",
    "sale hyène",
    "sombre crétin",
    "va te foutre",
    # a death wished, a body reduced to sex, contempt for a whole lot
    "j'espère qu'il crève",
    "elle est juste bonne à baiser",
    "tous des pourris ces élus",
    "t'es qu'un clochard",
    # an exclamation of contempt before a designated person
    "quelle ordure cette meuf",
    "va te faire soigner",
    "on t'a pas sonné le clown",
    "sa gueule me donne envie de vomir",
    "ce joueur est nul à chier",
    # a designated person and a contempt attribute, one word at most between them
    "ce prof est un incapable",
    "cette meuf est pathétique",
    "quel boulet ce mec",
    # a simile aimed at someone stays an insult
    "tu conduis comme un con",
]

BENIGN = [
    "ça m'emmerde de devoir reprendre le train demain",
    "on s'emmerde dans ce train sans wifi",
    "ce temps de merde me déprime",
    "ma vie de merde continue, train annulé encore",
    "c'est à chier ce retard",
    "une espèce de machine bizarre sur le quai",
    "l'espèce de tortue la plus rare",
    "les espèces de poissons du lac",
    "je suis facho de rien du tout",
    "le chant mongol est magnifique",
    "ça me casse les pieds ces travaux",
    "il ne faut pas qu'il crève de faim, ce chaton",
    "il n'y a que des brebis dans ce champ",
    "quelle merde ce retard",
    "ce retard me donne envie de vomir",
    "ce gamin est un ange",
    # a simile said of oneself is a complaint
    "j'ai attendu comme un con sur le quai pendant deux heures",
    "on s'est fait avoir comme des cons",
    "je cours comme un taré pour l'attraper",
    "il m'a dit « j'emmerde la direction », je n'étais pas d'accord",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_constructions_are_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


@pytest.mark.parametrize("text", BENIGN)
def test_benign_neighbours_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in ("S3", "S4")


@pytest.mark.parametrize("slug", ["demo-shop", "sector-bank", "sector-public", "sector-telecom"])
def test_every_shipped_playbook_reads_the_constructions(slug: str) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    assert severity(pb, "votre appli de merde plante encore") == "S3"
    assert severity(pb, "espèce d'incapable") == "S3"
    assert severity(pb, "une espèce de bug bizarre") not in ("S3", "S4")
