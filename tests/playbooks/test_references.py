"""Customer references found in mentions: what a CM would expect on the case page."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from playbooks import PlaybookError
from playbooks.references import extract

from .conftest import make

ORDER = SimpleNamespace(kind="order", pattern=r"CMD-?\d{6}", label="Commande")


def found(text: str, *patterns: SimpleNamespace) -> list[tuple[str, str]]:
    return [(r.kind, r.value) for r in extract(text, patterns)]


def test_a_context_word_announces_the_kind() -> None:
    assert found("Ma commande n° 123456 n'est jamais arrivée") == [("order", "123456")]
    assert found("Facture FA-2024-00123 fausse") == [("invoice", "FA-2024-00123")]
    assert found("Ticket #45678 toujours ouvert") == [("ticket", "45678")]
    assert found("TGV 8421 annulé") == [("train", "8421")]


def test_booking_codes_need_their_context() -> None:
    assert found("Dossier ABC12D, réservation QWERTY") == [
        ("booking", "ABC12D"),
        ("booking", "QWERTY"),
    ]
    # A six-letter word after "dossier" is not a booking code; six capitals elsewhere neither.
    assert found("dossier urgent svp") == []
    assert found("MERCI BEAUCOUP pour rien") == []


def test_the_brand_pattern_wins_and_stays_whole() -> None:
    text = "Commande CMD-654321 payée 129,99 € le 12/03/2024 à 14h30"
    assert found(text, ORDER) == [("order", "CMD-654321")]
    # The brand pattern never cuts a longer number short.
    assert ("order", "CMD-123456") not in found("CMD-1234567 CMD-123456789", ORDER)


def test_several_references_in_one_text() -> None:
    text = "Deux commandes : 1234567 et 7654321, colis 6A12345678901 et suivi LA123456789FR"
    assert found(text) == [
        ("order", "1234567"),
        ("order", "7654321"),
        ("parcel", "6A12345678901"),
        ("parcel", "LA123456789FR"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Appelez-moi au 06 12 34 56 78, commande en attente",
        "Mon numéro : +33 6 12 34 56 78 ou 01.23.45.67.89",
        "commande de 129,99 € et 45 euros de frais",
        "commande du 12/03/2024 livrée le 2024-03-15",
        "réservation pour 14h30, train de 8h15",
        "remise de 20 % sur la commande, 3 fois rien",
        "colis livré au 75011 Paris, code postal 69003",
        "commande 2024 jamais reçue, ticket 123",
    ],
)
def test_phones_prices_dates_times_percentages_postcodes_are_not_references(text: str) -> None:
    assert found(text) == []


def test_a_phone_next_to_a_real_reference() -> None:
    text = "Commande n° 98765432, rappelez-moi au 06 12 34 56 78 avant 18h"
    assert found(text) == [("order", "98765432")]


def test_context_words_raise_confidence() -> None:
    (bare,) = extract("CMD-123456", [ORDER])
    (with_context,) = extract("ma commande CMD-123456", [ORDER])
    assert with_context.confidence > bare.confidence


def test_empty_and_odd_inputs() -> None:
    assert extract("") == []
    assert extract("n° " * 500 + "𝕮𝖔𝖒𝖒𝖆𝖓𝖉𝖊") == []
    # Long runs of digits or separators (pasted junk) are neither references nor slow.
    assert extract("1" * 5000) == [] and extract("1," * 3000) == []


def test_playbook_references_section_is_checked() -> None:
    pb = make(
        """
format: 1
references:
  - {kind: order, pattern: "CMD-?\\\\d{6}", label: Commande}
"""
    )
    assert pb.spec.references[0].kind == "order"
    with pytest.raises(PlaybookError):
        make(
            """
format: 1
references:
  - {kind: order, pattern: "CMD-(\\\\d{6}"}
"""
        )
