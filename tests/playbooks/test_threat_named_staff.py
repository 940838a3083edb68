"""Wave 44 (issue 13): a veiled threat at a named person of the brand — a place, an hour, no
witness, no weapon named — is urgent when the scorer reads a threat at 0.9 (0.95 when nobody of
the brand is named). A customer who names an agent to thank them, to come back with a receipt or
to complain through the proper channels is not. Every sentence was written here (none is a
probe row)."""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

VEILED = [
    "Le contrôleur chauve du 8h10, je le croiserai bien un soir sur le quai quand il n'y aura "
    "plus de caméras.",
    "La vendeuse du rayon bijoux, je connais son parking et sa voiture. Elle comprendra bientôt.",
    "Le gérant qui m'a fait sortir devant tout le monde, on se reverra à la fermeture, et il n'y "
    "aura pas de témoins.",
]

HARMLESS = [
    "Le contrôleur du 18h12, je l'attendrai demain sur le quai pour le remercier, il a retrouvé "
    "mon sac.",
    "Je repasserai samedi voir la vendeuse avec ma facture, elle saura de quoi je parle.",
    "Je connais le nom de la conseillère qui m'a aidée, je veux la féliciter auprès de son chef.",
    "La caissière finit à 20h, je passerai la voir pour récupérer mon ticket oublié.",
    "Le chef de gare sait très bien ce qu'il a fait, je vais écrire à la direction.",
    "Le gérant aura de mes nouvelles par mon avocat, je vous le garantis.",
    "La conductrice du 7h05 sait que je prends ce bus tous les jours, elle m'attend toujours.",
    "Je connais les horaires du contrôleur, il est toujours sur le 17h, je lui poserai la "
    "question.",
    "Le conseiller qui m'a raccroché au nez, je le rappellerai demain à 9h.",
]


@pytest.mark.parametrize("text", VEILED)
def test_a_veiled_threat_at_named_staff_is_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", HARMLESS)
def test_naming_staff_to_thank_return_or_complain_is_not_urgent(
    shipped: Playbook, text: str
) -> None:
    assert severity(shipped, text) != "S4"
