"""The brand dictionary screen (issue 18, part 5): editors add, import, export and remove the
terms proofreading must accept; the next proofreading accepts them; other brands' editors
cannot touch it; two editors at once both keep their terms."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from app.models import AuditEvent, Brand
from app.services import brand_dictionary, content
from tests.conftest import login, post
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def rail(session):
    return make_brand(session, slug="rail", name="Ferlis")


@pytest.fixture
def editor(client, session, rail):
    user = make_user(session, rail, role="playbook_editor", email="ed@rail.test")
    login(client, "ed@rail.test")
    return user


def _brand(session, brand):
    session.expire_all()
    return session.get(Brand, brand.id)


def test_terms_added_are_accepted_by_the_next_proofreading(client, session, rail, editor):
    assert "Valmorel-Centre" not in content.brand_dictionary(rail)
    response = post(
        client,
        f"/playbooks/dictionary?brand_id={rail.id}",
        {"terms": "Valmorel-Centre\nTER Azur\n\nvalmorel-centre", "kind": "lieu"},
    )
    assert response.status_code == 302
    brand = _brand(session, rail)
    assert [t.term for t in brand_dictionary.terms(brand)] == ["TER Azur", "Valmorel-Centre"]
    words = content.brand_dictionary(brand)
    assert {"Valmorel-Centre", "Valmorel", "Centre", "TER", "Azur"} <= set(words)
    html = client.get(f"/playbooks/dictionary?brand_id={rail.id}").get_data(as_text=True)
    assert "Valmorel-Centre" in html and "Lieu, gare, magasin" in html
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.dictionary_changed")
    ).one()
    assert event.after["added"] == ["Valmorel-Centre", "TER Azur"]


def test_csv_import_export_and_remove(client, session, rail, editor):
    data = "terme;type\nCabasso;marque\nLave-Vite 3000;produit\n=cmd();produit\nX;inconnu\n"
    response = client.post(
        f"/playbooks/dictionary/import?brand_id={rail.id}",
        data={
            "csrf_token": _token(client, rail),
            "file": (io.BytesIO(data.encode()), "dico.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    brand = _brand(session, rail)
    assert {t.term: t.kind for t in brand_dictionary.terms(brand)} == {
        "=cmd()": "produit",
        "Cabasso": "marque",
        "Lave-Vite 3000": "produit",
    }
    export = client.get(f"/playbooks/dictionary/export.csv?brand_id={rail.id}")
    assert export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).splitlines()
    assert lines[0] == "terme;type" and "'=cmd();produit" in lines  # no formula for a sheet
    removed = post(client, f"/playbooks/dictionary/remove?brand_id={rail.id}", {"term": "cabasso"})
    assert removed.status_code == 302
    assert "Cabasso" not in [t.term for t in brand_dictionary.terms(_brand(session, rail))]
    missing = post(client, f"/playbooks/dictionary/remove?brand_id={rail.id}", {"term": "nope"})
    assert missing.status_code == 404


def test_bad_input_is_refused_plainly(client, session, rail, editor):
    url = f"/playbooks/dictionary?brand_id={rail.id}"
    assert post(client, url, {"terms": "", "kind": "lieu"}).status_code == 422
    assert post(client, url, {"terms": "x" * 61, "kind": "lieu"}).status_code == 422
    assert post(client, url, {"terms": "<script>", "kind": "lieu"}).status_code == 422
    assert post(client, url, {"terms": "Gare", "kind": "planète"}).status_code == 422
    bad_file = client.post(
        f"/playbooks/dictionary/import?brand_id={rail.id}",
        data={"csrf_token": _token(client, rail), "file": (io.BytesIO(b"\xff\xfe\x00"), "d.csv")},
        content_type="multipart/form-data",
    )
    assert bad_file.status_code == 422
    assert brand_dictionary.terms(_brand(session, rail)) == []


def test_other_brands_editors_and_cms_cannot_change_it(client, session, rail):
    other = make_brand(session, slug="shop")
    make_user(session, other, role="playbook_editor", email="ed@shop.test")
    login(client, "ed@shop.test")
    url = f"/playbooks/dictionary?brand_id={rail.id}"
    assert client.get(url).status_code == 404
    assert post(client, url, {"terms": "Intrus", "kind": "autre"}).status_code == 404
    assert client.get(f"/playbooks/dictionary/export.csv?brand_id={rail.id}").status_code == 404
    assert brand_dictionary.terms(_brand(session, rail)) == []


def test_two_editors_adding_at_once_both_keep_their_terms(engine, session, rail):
    def adder(term):
        def run(s, go):
            brand = s.get(Brand, rail.id)
            go()
            return brand_dictionary.add_terms(s, brand, None, [term], "lieu")

        return run

    outcomes = race(engine, adder("Gare Nord"), adder("Gare Sud"), adder("Gare Est"))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    terms = {t.term for t in brand_dictionary.terms(_brand(session, rail))}
    assert terms == {"Gare Nord", "Gare Sud", "Gare Est"}


def _token(client, brand) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, f"/playbooks/dictionary?brand_id={brand.id}")
