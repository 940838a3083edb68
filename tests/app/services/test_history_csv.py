"""Checking a CSV of past mentions before anything is imported (issue 18, part 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.history_csv import MAX_BYTES, CsvRefused, parse_history_csv

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
HEADER = "date,platform,author,text,url,id\n"


def _parse(text: str, **kwargs):
    return parse_history_csv(text.encode("utf-8"), now=NOW, **kwargs)


def test_a_clean_file_with_a_bom_and_semicolons_gives_every_row(app):
    data = (
        "\ufeffdate;platform;author;text\n2026-11-30 14:05;twitter;@lea;Mon train est en retard\n"
    )
    data += "30/11/2026 15:00;mastodon;@paul@exemple.social;Merci pour l'info !\n"
    with app.test_request_context():
        parsed = _parse(data)
    assert parsed.error_count == 0
    first, second = parsed.rows
    assert first["platform"] == "x"  # "twitter" is X
    assert first["posted_at"] == "2026-11-30T13:05:00+00:00"  # Paris time without a zone
    assert second["author"] == "@paul@exemple.social" and second["text"] == "Merci pour l'info !"
    assert first["id"] != second["id"]


def test_commas_with_quoted_separators_and_line_breaks(app):
    data = HEADER + (
        '2026-11-29T08:00:00Z,bluesky,@ana,"Deux lignes,\nune virgule et des ""guillemets""",'
        "https://bsky.app/p/1,p1\n2026-11-29T09:00:00Z,x,@bob,Ça marche,,\n"
    )
    with app.test_request_context():
        parsed = _parse(data)
    assert parsed.error_count == 0
    assert parsed.rows[0]["text"] == 'Deux lignes,\nune virgule et des "guillemets"'
    assert parsed.rows[0]["id"] == "bluesky:p1" and parsed.rows[0]["url"] == "https://bsky.app/p/1"
    assert parsed.rows[1]["url"] is None


def test_every_bad_line_is_named_and_no_row_is_kept_for_it(app):
    data = HEADER + "\n".join(
        [
            "2026-11-31 10:00,x,@a,date impossible,,",
            "2026-08-01 10:00,x,@b,trop vieux,,",
            "2027-01-01 10:00,x,@c,dans le futur,,",
            "2026-11-30 10:00,myspace,@d,plateforme inconnue,,",
            "2026-11-30 10:00,x,,sans auteur,,",
            "2026-11-30 10:00,x,@e,,,",
            "2026-11-30 10:00,x,@f,adresse,ftp://x,",
            "2026-11-30 10:00,x,@g,bonne ligne,,g1",
            "2026-11-30 11:00,x,@h,même id,,g1",
        ]
    )
    with app.test_request_context():
        parsed = _parse(data)
        errors = [str(e) for e in parsed.errors]
    assert parsed.error_count == 8 and len(parsed.rows) == 1
    assert errors[0] == "Ligne 2 : date illisible « 2026-11-31 10:00 »."
    assert errors[1].startswith("Ligne 3 : date plus ancienne que 90 jours")
    assert errors[2].startswith("Ligne 4 : date dans le futur")
    assert "Ligne 5 : plateforme inconnue « myspace »." in errors
    assert "Ligne 6 : auteur manquant." in errors and "Ligne 7 : texte manquant." in errors
    assert "Ligne 8 : adresse web invalide." in errors
    assert "Ligne 10 : même identifiant que la ligne 9." in errors


def test_line_numbers_count_the_line_breaks_inside_quotes(app):
    data = HEADER + '2026-11-30 10:00,x,@a,"un\ndeux\ntrois",,\nbad,x,@b,texte,,\n'
    with app.test_request_context():
        parsed = _parse(data)
        assert [str(e) for e in parsed.errors] == ["Ligne 5 : date illisible « bad »."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"date,author,text\n2026-11-30,@a,x\n", "Colonnes manquantes : platform"),
        (b"date,platform,author,text\n", "aucune mention"),
        ("date,platform,author,text\n2026-11-30,x,@a,é\n".encode("latin-1"), "UTF-8"),
        (b"x" * (MAX_BYTES + 1), "trop volumineux"),
    ],
)
def test_unusable_files_are_refused_whole(app, data, message):
    with app.test_request_context(), pytest.raises(CsvRefused) as refused:
        parse_history_csv(data, now=NOW)
    assert message in str(refused.value)


def test_too_many_rows_is_refused_with_the_limit(app):
    data = HEADER + "".join(f"2026-11-30 10:00,x,@a{i},texte {i},,\n" for i in range(6))
    with app.test_request_context(), pytest.raises(CsvRefused) as refused:
        _parse(data, max_rows=5)
    assert "5 mentions au plus" in str(refused.value)
