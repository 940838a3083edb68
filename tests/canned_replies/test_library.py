from pathlib import Path

import pytest
import yaml

from canned_replies import (
    LibraryError,
    check_length,
    load_dictionary,
    load_library,
    proofread,
    render,
    shipped_library_path,
)

BRANDS = ["demo-rail", "demo-shop", "sector-bank", "sector-telecom", "sector-public"]
SAMPLE_VALUES = {
    "fr": {
        "prenom": "Marie-Charlotte",
        "pseudo": "@marie_charlotte75",
        "reference_reservation": "QXTRBF",
        "reference_commande": "CMD-48213",
        "numero_train": "6612",
        "gare": "Lyon Part-Dieu",
        "date": "jeudi 14 juin",
        "delai": "sept jours ouvrés",
        "code_promo": "BIENVENUE10",
        "lien": "https://www.ferlys.fr/aide/remboursement-retard?ref=QXTRBF",
        "lien_satisfaction": "https://avis.ferlys.fr/s/eyJjIjo0MiwiYiI6MX0.Z3",
    },
    "en": {
        "prenom": "Marie-Charlotte",
        "pseudo": "@marie_charlotte75",
        "reference_reservation": "QXTRBF",
        "reference_commande": "CMD-48213",
        "numero_train": "6612",
        "gare": "Lyon Part-Dieu",
        "date": "Thursday 14 June",
        "delai": "seven working days",
        "code_promo": "WELCOME10",
        "lien": "https://www.mercalia.fr/help/returns?order=CMD-48213",
        "lien_satisfaction": "https://avis.ferlys.fr/s/eyJjIjo0MiwiYiI6MX0.Z3",
    },
}


def _all_replies():
    for brand in BRANDS:
        path = shipped_library_path(brand)
        dictionary = load_dictionary(path)
        for reply in load_library(path):
            yield pytest.param(reply, dictionary, id=f"{brand}:{reply.language}:{reply.key}")


def test_shipped_libraries_hold_at_least_40_replies_in_both_languages():
    replies = [r for brand in BRANDS for r in load_library(shipped_library_path(brand))]
    assert len(replies) >= 40
    for brand in BRANDS:
        languages = {r.language for r in load_library(shipped_library_path(brand))}
        assert languages == {"fr", "en"}


def test_unknown_brand_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="demo-rail"):
        shipped_library_path("nope")


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(("reply", "dictionary"), list(_all_replies()))
def test_every_shipped_reply_passes_proofreading_and_fits_its_channels(reply, dictionary):
    assert proofread(reply.body, reply.language, dictionary) == []
    rendered = render(reply.body, SAMPLE_VALUES[reply.language])
    assert rendered.missing == []
    assert proofread(rendered.text, reply.language, dictionary) == []
    for channel in reply.channels:
        assert check_length(rendered.text, channel).ok, channel


def test_reply_fields_are_loaded(tmp_path):
    path = tmp_path / "lib.yaml"
    path.write_text(
        "replies:\n"
        "  - key: rail.retard.excuses\n"
        "    language: fr\n"
        "    title: Retard\n"
        "    body: Bonjour {{ prenom }}, toutes nos excuses.\n"
        "    scenarios: retard\n"
        "    channels: [X, bluesky]\n",
        encoding="utf-8",
    )
    (reply,) = load_library(path)
    assert reply.key == "rail.retard.excuses"
    assert reply.scenarios == ["retard"]
    assert reply.channels == ["x", "bluesky"]
    assert reply.status == "draft" and not reply.approved
    assert reply.variables == ["prenom"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("    language: de\n    title: T\n    body: B\n", "language"),
        ("    language: fr\n    title: T\n    body: '{{ oops'\n", "body"),
        ("    language: fr\n    title: T\n    body: B\n    status: live\n", "status"),
        ("    language: fr\n    body: B\n", "title"),
        ("    language: fr\n    title: T\n    body: B\n    colour: red\n", "colour"),
    ],
)
def test_invalid_reply_names_file_line_and_key(tmp_path, entry, message):
    path = tmp_path / "lib.yaml"
    ok = "  - key: a.ok\n    language: fr\n    title: T\n    body: B\n"
    path.write_text(f"replies:\n{ok}  - key: a.bad\n{entry}", encoding="utf-8")
    with pytest.raises(LibraryError, match=rf"lib.yaml:6 \(a.bad\): .*{message}"):
        load_library(path)


def test_duplicate_key_in_same_language_is_rejected(tmp_path):
    path = tmp_path / "lib.yaml"
    reply = "  - key: a.b\n    language: fr\n    title: T\n    body: B\n"
    path.write_text(f"replies:\n{reply}{reply}", encoding="utf-8")
    with pytest.raises(LibraryError, match="duplicate"):
        load_library(path)


PLAYBOOKS_DIR = Path(__file__).resolve().parents[2] / "playbooks" / "shipped"


@pytest.mark.parametrize("brand", BRANDS)
def test_every_reply_key_the_playbook_suggests_exists_in_french(brand):
    playbook = PLAYBOOKS_DIR / f"{brand}.yaml"
    if not playbook.is_file():
        pytest.skip(f"no shipped playbook for {brand} yet")
    wanted = set(yaml.safe_load(playbook.read_text(encoding="utf-8")).get("replies_library", []))
    french = {r.key for r in load_library(shipped_library_path(brand)) if r.language == "fr"}
    assert wanted - french == set()
