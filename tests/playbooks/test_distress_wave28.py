"""Wave 28 (issue 13, wp/distress28): suicidal statements said with weak cues, read together.

Each sentence here was written for this test (none is a probe row). A cue alone stays
ambiguous ("merci pour tout", "ce soir", "le pont"); two families of cues, one of them about
oneself (an end announced, a burden, arrangements made), in a first-person text make the
statement clear (`detresse_faisceau`, an `at_least` over six lexicon families). Look-alikes:
one cue only, weak cues only (a farewell, a means, a time), hyperbole, reported or negated
words, a third person, a customer leaving.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING, severity

QUIET_SUICIDAL = [
    # (c) burden + (d) means
    "Je suis fatigué de tout, les médicaments sont sur la table de nuit.",
    "Plus rien ne me retient. Le viaduc est à vingt minutes de chez moi.",
    # (c) burden + (b) farewell
    "Vous n'aurez plus à me supporter. Merci pour tout et pardon.",
    # (f) arrangements + (a) end
    "Ma voisine s'occupera de mes affaires. Je ne serai plus de ce monde dimanche.",
    "J'ai laissé un mot à ma mère sur la table. Vous n'entendrez plus parler de moi.",
    "Bonjour, je voudrais clôturer tous mes comptes. Je ne serai plus là bientôt.",
    # (a) end + (f) arrangements
    "Je ne compte pas revenir. J'ai écrit des lettres pour mes enfants.",
    # (a) end + (d) means
    "Annulez ma livraison, je n'en aurai plus besoin. Mes cachets sont prêts.",
    # a near-miss the fuzzy step reads: (c) + (a)
    "je suis un fardeauu pour ma famille, j'ai tout préparé",
]

LOOK_ALIKES = [
    # weak cues only: a farewell, a means, a time
    "Merci pour tout, à ce soir au match !",
    "Le pont est fermé ce soir, merci de prévoir un détour.",
    "Un aller simple pour Lyon ce soir, merci pour tout votre aide au guichet.",
    "Les médicaments sont en rupture depuis ce week-end, c'est le troisième message.",
    # one cue only, or a customer leaving
    "Je ne reviendrai pas.",
    "J'ai tout préparé pour le déménagement, je ne reviendrai pas dans ce quartier.",
    "Merci pour tout, bonne continuation à toute l'équipe, je pars à la retraite ce soir.",
    "Vous n'aurez plus à me supporter au guichet : je déménage à Lille ce week-end, merci !",
    "Je suis fatigué de tout ce bruit dans le train, ce soir encore.",
    "Ce sera fait ce soir, merci pour tout votre aide.",
    "Je vais le faire, merci pour tout",
    "Je ne reviendrai pas, merci pour tout et bonne continuation.",
    "Plus d'espoir pour ma commande, je ne reviendrai pas chez vous",
    "Après ma mort, mes enfants hériteront de mes points ? C'est prévu dans mon testament.",
    # hyperbole and games
    "J'ai tout perdu au poker ce soir mdr",
    "mdr je suis un boulet pour mon équipe, ce soir je rate tous mes tirs, adieu la victoire",
    # reported, quoted, a third person
    "Ma cousine m'a dit qu'elle était un fardeau et qu'elle avait laissé une lettre, j'ai peur",
    "Dans le film, l'héroïne écrit « je ne serai plus de ce monde, merci pour tout », j'ai pleuré",
    "Mon grand-père nous a laissé une lettre. Après sa mort on a tout rangé.",
]

# Look-alikes another scenario may still send to S4 (the model's): this one must not hold.
NOT_THE_BUNDLE = [
    "Je ne suis pas un fardeau pour ma famille, ce soir je sors avec eux.",  # negated
    "Il m'a dit que j'étais un fardeau, c'est pour ce soir la fête.",  # reported
]


@pytest.mark.parametrize("text", QUIET_SUICIDAL)
def test_quiet_suicidal_statements_are_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4", text


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_below_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4", text


@pytest.mark.parametrize("text", NOT_THE_BUNDLE)
def test_negated_or_reported_cues_do_not_count(shipped: Playbook, text: str) -> None:
    d = shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert "detresse_faisceau" not in d.scenarios, text


def test_the_bundle_names_its_cues(rail: Playbook) -> None:
    text = "Vous n'aurez plus à me supporter. Merci pour tout et pardon."
    d = rail.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING, explain=True)
    assert "detresse_faisceau" in d.scenarios
    words = {t for e in d.evidence if e.rule == "scenario:detresse_faisceau" for t in e.terms}
    assert {"plus à me supporter", "merci pour tout"} <= words
