"""The second tier of the scorer's insult and hate (issue 13, wave 34).

`haine_modele_visee` and `insulte_modele_visee` fire at 0.8 (their siblings at 0.95) when the
text names the brand (demo playbooks) or one of its staff: a post aimed at the people the
agency answers for. A "tu" or "vous" alone, which tweets addressing anyone share, does not
open this tier. The scorer's probabilities are held (its words stay the real ones, so a score
is still grounded); every sentence is written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

TIER = ("haine_modele_visee", "insulte_modele_visee")


def fired(pb: Playbook, text: str) -> set[str]:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return set(decision.scenarios)


STAFF_NAMED = [
    "vous embauchez que des gens comme ça au service client maintenant",
    "le contrôleur de ce matin a la politesse d'une porte de garage",
    "la caissière du soir a le cerveau d'une huître fatiguée",
]


@pytest.mark.parametrize("text", STAFF_NAMED)
def test_the_staff_named_opens_the_lower_tier(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"insult": 0.85, "hate": 0.85}
    assert fired(shipped, text) & set(TIER), (shipped.brand, text)
    assert not fired(shipped, text) & {"haine_modele", "insulte_modele"}, "0.85 < 0.95"


@pytest.mark.parametrize("text", STAFF_NAMED)
def test_below_the_tier_nothing_fires(shipped: Playbook, held_at: HeldScorer, text: str) -> None:
    held_at.held = {"insult": 0.75, "hate": 0.75}
    assert not fired(shipped, text) & set(TIER), (shipped.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        "tu as vu la tête qu'il fait celui-là sur la photo",
        "vous avez lu ce qu'ils racontent sur ce forum",
    ],
)
def test_a_tu_or_vous_alone_does_not_open_it(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"insult": 0.9, "hate": 0.9}
    assert not fired(shipped, text) & set(TIER), (shipped.brand, text)


@pytest.mark.parametrize(
    ("slug", "named"),
    [
        ("demo-rail", "Ferlis a encore trouvé des gens de ce genre pour tenir ses gares"),
        ("demo-shop", "Cabasso a encore trouvé des gens de ce genre pour tenir ses magasins"),
    ],
)
def test_the_brand_named_opens_it_in_the_demo_playbooks(
    held_at: HeldScorer, slug: str, named: str
) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    held_at.held = {"hate": 0.85}
    assert "haine_modele_visee" in fired(pb, named)
    unnamed = named.replace("Ferlis", "La ville").replace("Cabasso", "La ville")
    assert "haine_modele_visee" not in fired(pb, unnamed)


def test_the_siblings_counter_speech_exception_holds(
    shipped: Playbook, held_at: HeldScorer
) -> None:
    held_at.held = {"insult": 0.85, "hate": 0.85}
    text = "comment pouvez-vous écrire que les contrôleurs sont de la vermine ? c'est raciste"
    assert not fired(shipped, text) & set(TIER), (shipped.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        "c'est faux de dire que les caissières sont des idiotes",  # a claim called untrue
        "il a traité le contrôleur d'incapable devant tout le monde",  # a report
    ],
)
def test_a_denied_or_reported_claim_naming_the_staff_is_not_said(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"insult": 0.85, "hate": 0.85}
    assert not fired(shipped, text) & set(TIER), (shipped.brand, text)
