"""Varied mentions whose user-visible evidence (lines, words, spans in the original text) was
recorded before the evidence was built in one pass (issue 11 §3), and the recorder.

Re-record only when a change means to alter the evidence:
`python -m tests.playbooks.evidence_texts`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playbooks import (
    AuthorProfile,
    MentionInput,
    Playbook,
    load_playbook_file,
    shipped_playbook_path,
)
from tests.playbooks import decision_corpus

RECORDED = Path(__file__).with_name("evidence_expected.json")

# Written for this test (accents, emoji, elongations, spaced and masked letters, leetspeak,
# links and handles, odd blanks, ligatures and look-alikes, a cut-off word, the model's words).
TEXTS: tuple[str, ...] = (
    "Espèce de c0nnard, mon train est supprimé",
    "Vous êtes des incapables, je suis très déçu du retard à la gare de Lyon-Part-Dieu",
    "😡😡 encore en retard 👎🏽 bande de nuls 🤬 merci pour rien",
    "c'est nuuuuuul, vraiment NUUUUL !!! remboursez-moi",
    "vous êtes des c o n s, et des n.u.l.s en plus",
    "quelle bande de c*nnards, p*tain de train toujours en retard",
    "esp3ce de c0nn4rd, t'es qu'un b@t@rd et un 3nculé",
    "regardez https://exemple.fr/retard?x=1 encore supprimé @SNCF_Voyageurs www.ex.com/a merci",
    "@Ferlis_Info à quelle heure part le prochain train ? et le suivant ?",
    "  Je   vais\tporter\n\nplainte ,  c'est   inadmissible  ",
    "Œuvre d'un сonnard ﬁni, l'ŒIL du contrôleur… merci",
    "je vais vous buter, je sais où vous habitez",
    "Franchement ce retard de 2h sur la ligne, j'en ai marre de ces con… https://t.co/abc",
    "MERCI au contrôleur très sympa !!! 🙏🙏 bravo",
    "Mon colis n'est toujours pas arrivé, commande 123456, c'est une arnaque !!!",
    "le livreur a jeté le colis, produit cassé, je veux un remboursement",
    "Ils m'ont traité de connard au guichet, c'est scandaleux",
    "« bande de nuls » a dit mon voisin, moi je trouve le service correct",
    "",
    "!!! ??? ...",
)
AUTHORS = (AuthorProfile(), AuthorProfile(tier="Or", vip=True, followers=25_000, verified=True))


def mentions() -> list[MentionInput]:
    """Each text, by a plain author then by a VIP (delegation rules and priority parts)."""
    return [
        MentionInput(
            text,
            channel="x" if i % 2 else "facebook",
            author=author,
            posted_at=decision_corpus.NOW - timedelta(minutes=7 * i),
        )
        for i, text in enumerate(TEXTS)
        for author in AUTHORS
    ]


def evidence(playbook: Playbook, now: datetime = decision_corpus.NOW) -> list[list[dict[str, Any]]]:
    """What the triage row stores of each mention's evidence, as JSON would give it back."""
    out = []
    for mention in mentions():
        rows = playbook.decide(mention, None, now, explain=True).to_dict()["evidence"]
        out.append(json.loads(json.dumps(rows, ensure_ascii=False)))
    return out


def record() -> None:
    """Write the expectations of every brand, with the playbook versions they were made with."""
    playbooks = {b: load_playbook_file(shipped_playbook_path(b)) for b in decision_corpus.BRANDS}
    versions = {b: p.version for b, p in playbooks.items()}
    lines = ['{"versions": ' + json.dumps(versions) + ', "evidence": {']
    for i, (brand, playbook) in enumerate(playbooks.items()):
        rows = [json.dumps(r, ensure_ascii=False) for r in evidence(playbook)]
        lines.append(f" {json.dumps(brand)}: [\n  " + ",\n  ".join(rows) + "\n ]")
        lines[-1] += "," if i < len(playbooks) - 1 else ""
    lines.append("}}")
    RECORDED.write_text("\n".join(lines) + "\n", encoding="utf-8")  # one mention a line


if __name__ == "__main__":
    record()
