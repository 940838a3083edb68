"""A playbook's lexicon files resolve only among the shipped lexicons (issue 12, finding 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
MARKER = "vigie-server-secret"

PLAYBOOK = """format: 1
name: Test
lexicons:
  pris: {{files: {{fr: "{path}"}}}}
scenarios:
  - id: insulte
    label: Insulte
    severity: S3
    when: {{lexicon: pris}}
"""


@pytest.fixture
def editor(client, session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    make_user(session, brand, role="playbook_editor", email="editor@example.test")
    login(client, "editor@example.test")
    return brand


@pytest.fixture
def server_file(tmp_path: Path) -> Path:
    # Lines a lexicon parser would complain about, quoting them, on the original code.
    path = tmp_path / "key.txt"
    path.write_text(f"{MARKER}-one (unbalanced\n{MARKER}-two\n", encoding="utf-8")
    return path


def _validate(client, brand, reference: str) -> str:
    response = post(
        client,
        "/playbooks/validate",
        {"brand_id": brand.id, "source": PLAYBOOK.format(path=reference)},
        headers=HX,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_absolute_lexicon_path_reads_nothing_from_the_server(client, editor, server_file):
    html = _validate(client, editor, str(server_file))
    assert MARKER not in html
    assert "relative path" in html


def test_a_dotdot_lexicon_path_cannot_leave_the_lexicon_folder(client, editor, server_file):
    from playbooks.lexicons import SHIPPED_LEXICONS_DIR

    depth = len(SHIPPED_LEXICONS_DIR.resolve().parts) - 1
    reference = "../" * depth + str(server_file).lstrip("/")
    html = _validate(client, editor, reference)
    assert MARKER not in html
    assert "relative path" in html
    # /etc/passwd the same way: not found and not quoted.
    html = _validate(client, editor, "../" * depth + "etc/passwd")
    assert "root:" not in html


def test_a_shipped_lexicon_still_loads_and_no_server_path_is_shown(client, editor):
    from playbooks import load_playbook
    from playbooks.lexicons import SHIPPED_LEXICONS_DIR

    assert load_playbook(PLAYBOOK.format(path="fr/insults.txt")).scenarios
    html = _validate(client, editor, "fr/absent.txt")
    assert "not found" in html and str(SHIPPED_LEXICONS_DIR) not in html


def test_a_symlink_out_of_a_playbook_folder_is_not_followed(tmp_path, server_file):
    from playbooks import PlaybookError, load_playbook_file

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "leak.txt").symlink_to(server_file)
    (folder / "p.yaml").write_text(PLAYBOOK.format(path="leak.txt"), encoding="utf-8")
    with pytest.raises(PlaybookError) as info:
        load_playbook_file(folder / "p.yaml")
    assert MARKER not in str(info.value) and "not found" in str(info.value)
