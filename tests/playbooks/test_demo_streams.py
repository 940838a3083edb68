"""The shipped playbooks against the labelled demo streams the console replays."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbooks import AuthorProfile, MentionInput, Playbook
from playbooks.evaluation import mention_from_dict

from .conftest import MONDAY_MORNING

STREAMS = Path(__file__).parents[2] / "connectors" / "demo_stream"
# Measured 94.6% (530/560); the rest are thread follow-ups whose label depends on the first
# mention, off-topic chatter, sarcasm, typos, and products that caught fire (S4 on purpose).
AGREEMENT_FLOOR = 0.93


def test_shipped_playbooks_agree_with_the_demo_stream_labels(
    rail: Playbook, shop: Playbook
) -> None:
    total = agree = 0
    for slug, pb in (("demo-rail", rail), ("demo-shop", shop)):
        for line in (STREAMS / f"{slug}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            row.pop("posted_at", None)
            total += 1
            agree += (
                pb.decide(mention_from_dict(row), now=MONDAY_MORNING).severity
                == (row["label"]["severity"])
            )
    assert total == 560
    assert agree / total >= AGREEMENT_FLOOR


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("@Ferlis_Info la nouvelle appli est top, enfin les vrais horaires en temps réel", "S1"),
        ("@Ferlis_Info vous êtes des escrocs, des voleurs, rendez nous notre argent", "S3"),
        ("@Ferlis_Info bande d'incapables, une entreprise de clowns", "S3"),
        ("@Ferlis_Info service de merde, personnel de merde", "S3"),
        ("@Ferlis_Info toujours aucune réponse... 🤬", "S2"),  # anger, not an insult
        ("@Ferlis_Info j'ai perdu mon sac dans le train de 7h, à qui je m'adresse ?", "S1"),
        ("@Ferlis_Info bonjour, mon chien de 10kg doit avoir un billet ?", "S1"),
        ("@Ferlis_Info je soutiens les cheminots mais informez nous au moins la veille !", "S2"),
        ("@Ferlis_Info si je croise un agent demain je le défonce", "S4"),
    ],
)
def test_rail_obvious_cases(rail: Playbook, text: str, severity: str) -> None:
    decision = rail.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity == severity


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("@Cabasso_fr bonjour, la garantie du smartphone c'est combien de temps ?", "S1"),
        ("@Cabasso_fr bonjour, où est votre point relais le plus proche de Lyon 7e ?", "S1"),
        ("Service client @Cabasso_fr au top, échange fait en 2 jours sans discuter #SAV", "S1"),
        ("@Cabasso_fr j'ai renvoyé le matelas, vous l'avez reçu ? aucune nouvelle", "S2"),
        ("@Cabasso_fr vous livrez quand ? commande passée il y a 21 jours", "S2"),
        ("@Cabasso_fr je vends des followers pas chers, DM #SAV", "S0"),  # spam overrides
        ("@Cabasso_fr Gagnez un iPhone gratuit, cliquez ici ?", "S0"),
        ("@Cabasso_fr SAV de merde, des incompétents du premier au dernier", "S3"),
        (
            "@Cabasso_fr c'était l'argent du loyer, j'ai plus envie de rien, même plus de vivre",
            "S4",
        ),
        ("@Cabasso_fr je connais l'adresse de votre entrepôt, ça va mal finir pour vous", "S4"),
    ],
)
def test_shop_obvious_cases(shop: Playbook, text: str, severity: str) -> None:
    decision = shop.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity == severity


def test_verified_badge_alone_is_not_influence(rail: Playbook) -> None:
    text = "@Ferlis_Info encore 20 min de retard ce matin"
    small = rail.decide(MentionInput(text, lang="fr", author=AuthorProfile(verified=True)))
    large = rail.decide(MentionInput(text, lang="fr", author=AuthorProfile(followers=80_000)))
    assert (small.severity, large.severity) == ("S2", "S3")
    assert "influenceur" in large.scenarios
