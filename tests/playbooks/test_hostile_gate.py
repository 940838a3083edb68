"""The structural gate of `haine_modele` and `insulte_modele` (issue 13, wave 31).

The scorer alone rates warm or neutral sentences about a group (and rough tweets) as hate:
the two scenarios also need the text to address someone (« tu », « vous », a person named by
function, the staff, the brand in the demo playbooks) or to hold a word hostile by itself.
Here the scorer's insult and hate probabilities are held at 0.99 (its words stay the real
ones, so a score is still grounded): what fires is then the gate's doing alone. Every
sentence is written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path

from .conftest import GATED, MONDAY_MORNING


def fired(pb: Playbook, text: str) -> set[str]:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return set(decision.scenarios) & set(GATED)


# Warm or neutral sentences about a group, addressed to no one, without a hostile word.
ABOUT_A_GROUP = [
    "les immigrés de mon quartier tiennent la meilleure boulangerie de la ville",
    "les femmes musulmanes du club de couture organisent une vente samedi",
    "les juifs de Strasbourg fêtent Hanoukka sur la place ce week-end",
    "les personnes handicapées auront enfin un ascenseur à la gare",
    "les homosexuels étaient nombreux à la marche des fiertés hier",
]


@pytest.mark.parametrize("text", ABOUT_A_GROUP)
def test_a_sentence_about_a_group_addressed_to_no_one_is_not_hate(
    shipped: Playbook, high_hostile: None, text: str
) -> None:
    assert not fired(shipped, text), (shipped.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        # the same register, said to someone
        "vous les immigrés, rentrez chez vous avec votre boulangerie",
        "toi le juif, dégage de cette place avec tes bougies",
        "les musulmans, votre place est ailleurs",
        # about a group, with a word hostile by itself
        "les immigrés de ce quartier sont de la vermine",
        "ces homosexuels sont des parasites",
        # a person named by function
        "le contrôleur est encore un de ces arabes qui traînent",
    ],
)
def test_hostility_said_to_someone_or_with_a_hostile_word_still_fires(
    shipped: Playbook, high_hostile: None, text: str
) -> None:
    assert "haine_modele" in fired(shipped, text), (shipped.brand, text)


@pytest.mark.parametrize(
    ("slug", "named", "unnamed"),
    [
        (
            "demo-rail",
            "Ferlis emploie des gens comme ça à l'accueil de la gare",
            "la ville emploie des gens comme ça à l'accueil de la gare",
        ),
        (
            "demo-shop",
            "chez Cabasso on trouve des gens comme ça à la caisse",
            "en ville on trouve des gens comme ça à la caisse",
        ),
    ],
)
def test_the_brand_named_opens_the_gate_in_the_demo_playbooks(
    high_hostile: None, slug: str, named: str, unnamed: str
) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    assert "haine_modele" in fired(pb, named)
    assert "haine_modele" not in fired(pb, unnamed)


def test_the_gate_does_not_lift_the_counter_speech_exception(
    shipped: Playbook, high_hostile: None
) -> None:
    # `unless` is unchanged: counter-speech addressed to someone stays unflagged
    text = "comment pouvez-vous écrire que les immigrés sont de la vermine ? c'est raciste"
    assert not fired(shipped, text), shipped.brand


# With the shipped weights: the scorer rates the first sentence as hate above the bound (a warm
# statement about a group, as HateCheck's `ident_pos_nh`); addressed to no one and without a
# hostile word, the gate keeps it below S3. The hostile ones stay flagged.
@pytest.mark.parametrize(
    "text",
    [
        "les juifs sont des gens comme les autres",
        "les musulmans sont nos voisins et nos amis",
        "les africains de la chorale chantent magnifiquement",
        "les musulmans jeûnent pendant le ramadan",
    ],
)
def test_warm_sentences_about_a_group_are_not_flagged(shipped: Playbook, text: str) -> None:
    decision = shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity in ("S0", "S1", "S2"), (shipped.brand, decision.scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "vous les musulmans vous êtes tous des terroristes",
        "les immigrés sont de la vermine",
    ],
)
def test_hostile_sentences_about_a_group_are_still_flagged(shipped: Playbook, text: str) -> None:
    decision = shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity in ("S3", "S4"), (shipped.brand, decision.scenarios)
