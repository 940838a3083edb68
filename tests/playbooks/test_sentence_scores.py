"""Wave 48 (issue 13): a threat or a farewell said in one sentence of a longer message is scored
on that sentence (`playbooks/scorer/sentences.py`), once the whole message leans that way.

Sentences written for these tests, not taken from any probe or data set."""

from __future__ import annotations

import pytest

from playbooks import MentionInput
from playbooks.scorer import get_scorer, sentences
from playbooks.scorer.scores import Scores

from .conftest import MONDAY_MORNING, severity

# The threat is in the last sentences; the complaint before it dilutes the whole message's score.
DILUTED = [
    "Livraison en retard de trois jours, colis abîmé, service client injoignable. Le livreur de "
    "jeudi, je sais où il gare son camion. La prochaine fois il n'en repartira pas.",
    "Commande reçue incomplète, il manque le chargeur. Votre vendeur s'est moqué de moi au "
    "téléphone. Je connais son nom et son adresse, il va voir ce qui l'attend.",
]
# Harmless messages with a sentence that reads as distress or a threat alone.
LOOK_ALIKES = [
    "Bonjour, le train de 8h12 est-il maintenu ? Je ne veux gêner personne avec mon vélo.",
    "J'ai raté mon train ce matin. Je suis mort de fatigue, je vais dormir tout le week-end.",
    "Merci pour la livraison rapide. Les cordes d'escalade sont parfaites pour la falaise de "
    "dimanche.",
    "Le dernier épisode de la série était incroyable. Le méchant menace de tuer tout le monde et "
    "finit en prison.",
    "Superbe séjour à la montagne. J'ai sauté du haut du tremplin de ski, quelle émotion ! Je "
    "recommande.",
]


@pytest.mark.parametrize("text", DILUTED)
def test_a_threat_in_one_sentence_of_a_complaint_is_urgent(rail, shop, text):
    assert severity(rail, text) == "S4"
    assert severity(shop, text) == "S4"


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_a_harmless_message_stays_below_s4(shipped, text):
    assert severity(shipped, text) != "S4"


def test_sentences_split_after_end_marks_and_line_breaks():
    text = "Bonjour ! Ça roule ? Oui… enfin presque.\nÀ demain. 3.5 km"
    assert sentences.sentences(text) == [
        "Bonjour !",
        "Ça roule ?",
        "Oui…",
        "enfin presque.",
        "À demain.",
        "3.5 km",
    ]


def _scores(text: str) -> Scores:
    return get_scorer().score(f" {text} ")


def test_a_message_that_does_not_lean_is_not_read_by_sentence():
    whole = _scores("merci pour la livraison rapide")
    assert whole.probs["threat"] < sentences.FLOOR and whole.probs["self_harm"] < sentences.FLOOR
    assert sentences.to_read(whole, "Merci pour la livraison rapide. Je vais mourir là.") == []


def test_only_threat_and_self_harm_take_the_sharpest_sentence():
    whole = _scores("le colis est en retard je sais ou il gare son camion il n en repartira pas")
    sharp = _scores("je sais ou il gare son camion il n en repartira pas")
    mixed = sentences.SentenceScores(whole, [sharp])
    assert mixed.probs["threat"] == max(whole.probs["threat"], sharp.probs["threat"])
    for label in ("insult", "hate", "toxicity"):
        assert mixed.probs[label] == whole.probs[label]


def test_the_sentence_words_are_located_in_the_whole_message():
    whole = _scores("bonjour le colis est en retard je vais egorger le livreur")
    sharp = _scores("je vais egorger le livreur")
    mixed = sentences.SentenceScores(whole, [sharp])
    assert mixed.probs["threat"] == sharp.probs["threat"] > whole.probs["threat"]
    top = mixed.top_words("threat")
    assert top
    for c in top:
        assert c.spans
        for start, end in c.spans:
            assert whole.text[start:end] == c.word


def test_a_batch_decides_a_diluted_threat_as_one_mention_alone(shop):
    pb = shop
    mentions = [MentionInput(t, lang="fr") for t in [*DILUTED, *LOOK_ALIKES]]
    batch = pb.decide_many(mentions, None, MONDAY_MORNING, explain=True)
    alone = [pb.decide(m, None, MONDAY_MORNING, explain=True) for m in mentions]
    assert [d.to_dict() for d in batch] == [d.to_dict() for d in alone]
