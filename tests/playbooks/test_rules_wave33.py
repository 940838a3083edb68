"""Wave 33 rules (wp/rules33): denied distress, farewells and last messages, the gate's languages.

Every sentence is written for these tests (none is a probe row).
1. A distress statement denied (« c'est pas vrai que je suis un poids », « je ne suis pas un
   fardeau ») is not distress; a negation that is the distress (« je ne veux plus vivre », « je
   ne suis plus qu'un poids ») still is.
2. Real farewells stay urgent (« adieu » is now a farewell cue, read as wave 31's are: not
   beside a departure). A farewell word after a comic image still is S4 (measured: a rule that
   asked for a second cue lost ten suicidal posts of probes 1-14; see the model card).
3. A last message before leaving a service, a network or for holidays is not S4 alone; with
   distress it is.
4. The structural gate of `haine_modele` / `insulte_modele` reads its lexicons in every
   language of the playbook: a French insult in a post tagged English opens it.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook
from playbooks.normalize import normalize
from playbooks.scope import find_scopes

from .conftest import GATED, MONDAY_MORNING, severity

DENIED = [
    "c'est pas vrai que je suis un poids pour eux",
    "je ne suis pas un fardeau pour eux, arrêtez",
    "je suis pas un poids pour ma famille, ne dites pas ça",
    "il est faux que je suis une charge pour mes parents",
    "ce n'est pas vrai que je suis un fardeau pour mes proches",
    "tu n'es pas un fardeau pour nous, on t'aime",
    "c'est faux de dire que je suis un poids pour ma fille",
]

STILL_DISTRESS = [
    "je ne veux plus vivre",
    "je ne serai plus là demain",
    "personne ne remarquera si je disparais",
    "je ne suis plus qu'un poids pour eux",
    "je ne suis qu'un fardeau pour ma famille",
    "je ne suis pas un fardeau, je suis pire, je veux mourir",
    "c'est pas vrai que ça va aller, je veux en finir",
    "je n'en peux plus de vivre comme ça",
]


@pytest.mark.parametrize("text", DENIED)
def test_a_denied_distress_statement_is_not_distress(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize("text", STILL_DISTRESS)
def test_a_negation_that_is_the_distress_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("c'est pas vrai que je suis un poids", "que je suis un poids"),
        ("je ne suis pas un fardeau", "un fardeau"),
        ("t'es pas une charge", "une charge"),
        ("je ne suis plus qu'un poids", None),
        ("je ne suis pas capable de continuer", None),
        ("je ne veux plus vivre", None),
        ("c'est pas vrai !", None),
    ],
)
def test_the_denied_scope_is_the_claim_itself(text: str, denied: str | None) -> None:
    nt = normalize(text)
    found = find_scopes(text, nt.text, nt.original_span, frozenset({"denied"}))
    assert [text[s:e].strip() for _, s, e in found] == ([denied] if denied else [])


FAREWELLS = [
    "adieu, je ne reviendrai pas",
    "adieu à tous, merci pour tout",
    "adieu, je ne serai plus là demain",
    "adieu, je suis un fardeau pour eux",
    "adieu tout le monde, j'ai laissé une lettre pour ma mère",
]


@pytest.mark.parametrize("text", FAREWELLS)
def test_a_real_farewell_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


DEPARTURES = [
    "mon dernier message avant les vacances, à dans trois semaines",
    "voici mon dernier message ici, je me désabonne de votre newsletter",
    "mon dernier message sur ce compte, je supprime mon compte demain",
    "dernier message avant de partir en vacances, à la rentrée",
    "je quitte twitter, c'est mon dernier message à tous sur twitter",
    "mon dernier post de l'année, bonnes fêtes",
]

LAST_WORDS = [
    "mon dernier message, je n'en peux plus de vivre",
    "c'est mon dernier message, je ne serai plus là demain",
    "mon dernier jour sur terre, prenez soin de vous",
    "mon dernier message avant les vacances, je veux mourir",
    "c'est mon dernier message, je suis un fardeau pour eux",
    "dernier post ici avant de partir pour toujours",
    "voilà mon dernier message, tu n'auras plus à t'occuper de moi",
]


@pytest.mark.parametrize("text", DEPARTURES)
def test_a_last_message_before_leaving_is_not_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize("text", LAST_WORDS)
def test_a_last_message_with_distress_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


def _gated(pb: Playbook, text: str, lang: str) -> set[str]:
    decision = pb.decide(MentionInput(text, lang=lang), now=MONDAY_MORNING)
    return set(decision.scenarios) & set(GATED)


@pytest.mark.parametrize(
    "text",
    ["sаlope", "quelle sаlope celle-là", "espèce de connard", "bande de bouffons"],  # "а": Cyrillic
)
def test_a_french_insult_tagged_english_opens_the_gate(
    shipped: Playbook, high_hostile: None, text: str
) -> None:
    assert _gated(shipped, text, "en"), (shipped.brand, text)


@pytest.mark.parametrize(
    "text", ["the weather is nice today", "what a lovely day", "thanks for the quick refund"]
)
def test_english_without_a_hostile_word_keeps_the_gate_shut(
    shipped: Playbook, high_hostile: None, text: str
) -> None:
    assert not _gated(shipped, text, "en"), (shipped.brand, text)
