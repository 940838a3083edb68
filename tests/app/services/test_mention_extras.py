"""The extras triage stores per mention, computed for a batch: the labels of label_of."""

from __future__ import annotations

from types import SimpleNamespace

from app.services.mention_extras import extras_of, sentiment_labels
from connectors.demo import load_stream
from playbooks import references
from playbooks.sentiment import label_of

OWN = [
    "Je vais vous tuer",
    "Bande de connards, vous allez voir",
    "VOUS ÊTES DES INCAPABLES ET DES VOLEURS",
    "Bonjour, une question sur mon billet",
    "Merci pour rien !!!",
    "pas mal, mais toujours pas remboursé",
    "bravo la sncf, encore un train supprimé, quelle bande de clowns",
    "😡😡😡",
    "",
]


def test_batch_labels_are_label_of_each_text() -> None:
    texts = [str(line["text"]) for line in load_stream("demo-rail")] + OWN
    assert sentiment_labels(texts) == [label_of(text) for text in texts]
    assert sentiment_labels([]) == []


def test_extras_of_each_mention() -> None:
    mentions = [
        SimpleNamespace(id=7, text="Dossier 12345678, merci de rembourser"),
        SimpleNamespace(id=9, text=None),
    ]
    assert extras_of(mentions) == [
        {
            "id": 7,
            "customer_refs": references.as_dicts(references.extract(mentions[0].text)),
            "sentiment": label_of(mentions[0].text),
        },
        {"id": 9, "customer_refs": [], "sentiment": label_of("")},
    ]
