"""How a proofreading finding presents itself in the UI: a short label in the UI language
saying what kind of mistake it is, and whether it blocks sending or is advice."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

# Grammalecte option groups and our own rule names → what the writer reads.
_FAMILIES = {
    "conj": _l("Conjugaison"),
    "gn": _l("Accord"),
    "ppas": _l("Accord du participe passé"),
    "conf": _l("Confusion de mots"),
    "loc": _l("Locution"),
    "infi": _l("Infinitif attendu"),
    "imp": _l("Trait d'union"),
    "inte": _l("Trait d'union"),
    "tu": _l("Trait d'union"),
    "vmode": _l("Mode du verbe"),
    "accord_cod_avant": _l("Accord du participe passé"),
    "accord_sujet_participe": _l("Accord du participe passé"),
    "conj_nous_vous": _l("Conjugaison"),
    "infinitif_apres_preposition": _l("Infinitif attendu"),
    "a_preposition": _l("Confusion de mots"),
    "a_verbe": _l("Confusion de mots"),
    "ou_relatif": _l("Confusion de mots"),
    "c_est_s_est": _l("Confusion de mots"),
    "et_conjonction": _l("Confusion de mots"),
    "est_verbe": _l("Confusion de mots"),
    "homophone_verbe": _l("Confusion de mots"),
    "locution": _l("Locution"),
    # canned_replies/homophones.py
    "on_ont": _l("Confusion de mots"),
    "a_preposition_contexte": _l("Confusion de mots"),
    "a_verbe_sujet": _l("Confusion de mots"),
    "et_conjonction_contexte": _l("Confusion de mots"),
    "est_verbe_sujet": _l("Confusion de mots"),
    "son_determinant": _l("Confusion de mots"),
    "sont_verbe": _l("Confusion de mots"),
    "ou_conjonction": _l("Confusion de mots"),
    "ou_lieu": _l("Confusion de mots"),
    "la_article": _l("Confusion de mots"),
    "inversion_trait_union": _l("Trait d'union"),
}


def finding_label(finding: Any) -> str:
    """ "Orthographe", "Accord", "Conseil de style"… for one finding (object or stored dict)."""
    get = finding.get if isinstance(finding, dict) else lambda k, d=None: getattr(finding, k, d)
    rule = str(get("rule", "") or "")
    blocking = bool(get("blocking", True))
    if get("kind") == "spelling":
        return str(_l("Orthographe") if blocking else _l("Mot à vérifier"))
    if not blocking and rule.split(".")[1:2] in (["virg"], ["num"], ["typo"], ["maj"], ["notype"]):
        return str(_l("Conseil de style"))
    parts = rule.split(".")
    family = parts[1] if len(parts) > 1 else ""
    label = _FAMILIES.get(family) or _l("Grammaire")
    return str(label)


def finding_severity(finding: Any) -> str:
    """The sentence saying what the finding does to sending, in the UI language."""
    blocking = finding.get("blocking", True) if isinstance(finding, dict) else finding.blocking
    if blocking:
        return str(_l("Bloque l'envoi : corrigez, ou indiquez un motif pour envoyer quand même."))
    return str(_l("Conseil : n'empêche pas l'envoi."))
