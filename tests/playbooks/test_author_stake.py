"""Precision of judgement: a word cut off by a tweet's ellipsis, and legal or press
escalations that need the author's own stake (first person, the brand addressed, an
announced outcome), not a third person's reported event. Sentences written here."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.normalize import normalize

from .conftest import MONDAY_MORNING


def scenarios(pb: Playbook, text: str) -> list[str]:
    return list(pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).scenarios)


LONG_START = "Retard de quarante minutes ce matin encore, personne au guichet et aucune annonce, "


@pytest.mark.parametrize(
    "text",
    [
        LONG_START + "franchement vous êtes nous con…",
        LONG_START + "le service client est vraiment n…",
        "mais quel enfan… https://t.co/abcdef",
    ],
)
def test_a_word_cut_by_the_platform_is_not_the_word(rail: Playbook, text: str) -> None:
    assert "insulte" not in scenarios(rail, text)


@pytest.mark.parametrize(
    "text",
    [
        "le contrôleur de ce matin, quel connard…",
        "bande de connards... https://t.co/xyz",
        "t'es con...",
        "t'es con…",
        LONG_START + "vous êtes des con...",
    ],
)
def test_a_complete_insult_before_the_ellipsis_still_counts(rail: Playbook, text: str) -> None:
    assert "insulte" in scenarios(rail, text)


def test_truncation_keeps_offsets_and_only_blanks_the_last_word() -> None:
    nt = normalize("un con… et puis rien")
    assert " con " in nt.text  # not the end: a pause, not a cut
    assert " con " in normalize("t'es con…").text  # a short message trailing off
    cut = normalize("c'est le con… https://t.co/a")
    assert cut.text == " c est le "
    assert cut.original_span(1, 2) == (0, 1)
    assert normalize("ça fait 2h...").text == " ca fait 2h "  # a unit after a number is whole
    assert normalize("50 min…").text == " 50 min "


LEGAL_HITS = [
    "je vais porter plainte contre votre agent",
    "j'ai contacté un avocat ce matin",
    "mon avocat prendra contact avec vous",
    "nous saisirons le tribunal si rien ne bouge",
    "plainte déposée hier soir au commissariat",
    "notre avocat est saisi du dossier",
    "j'ai vu un avocat ce matin, plainte demain",
]
LEGAL_LOOKALIKES = [
    "Mon voisin s'est battu avec le contrôleur, ça finit au tribunal",
    "Le procès du conducteur s'ouvre demain selon le journal",
    "Un passager a porté plainte contre un autre hier",
    "Ma cousine est avocate, elle dit que le contrôle était légal",
]
PRESS_HITS = [
    "je vais alerter la presse avec mes photos",
    "je suis journaliste à La Dépêche, pouvez-vous me répondre ?",
    "on a écrit à France Inter pour raconter tout ça",
    "les médias vont adorer cette panne",
    "Bonjour, journaliste chez Radio Sud, un contact presse svp",
]
PRESS_LOOKALIKES = [
    "Le journaliste extrapole complètement sur cette grève",
    "Article intéressant, la presse locale en parle depuis hier",
    "Le Parisien a sorti un reportage sur les TER normands",
    "J'ai vu sur BFM que la grève continue demain",
    "Ma sœur est journaliste, elle trouve le trajet agréable",
]


@pytest.mark.parametrize(
    "slug", ["demo-rail", "demo-shop", "sector-bank", "sector-public", "sector-telecom"]
)
def test_legal_and_press_need_the_authors_stake(slug: str) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    for text in LEGAL_HITS:
        assert "juridique" in scenarios(pb, text), text
    for text in PRESS_HITS:
        assert "presse" in scenarios(pb, text), text
    for text in LEGAL_LOOKALIKES:
        assert "juridique" not in scenarios(pb, text), text
    for text in PRESS_LOOKALIKES:
        assert "presse" not in scenarios(pb, text), text


def test_english_mentions_keep_the_first_person(rail: Playbook) -> None:
    def en(text: str) -> list[str]:
        return list(rail.decide(MentionInput(text, lang="en"), now=MONDAY_MORNING).scenarios)

    assert "juridique" in en("I will contact my lawyer about this")
    assert "juridique" not in en("The lawsuit against the driver opens tomorrow")
