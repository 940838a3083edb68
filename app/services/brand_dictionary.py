"""The brand dictionary: words the proofreader must accept in the brand's replies (issue 18, 5).

Brand and product names, stations, places, people: terms a French dictionary does not know and
that would otherwise be flagged as spelling mistakes. Kept in the brand's settings as
``{"term", "kind"}`` entries, read by ``content.brand_dictionary`` at every proofreading, so a
term added here is accepted by the next check. Editors add terms one per line or by CSV
(``term;kind``, the export's format), remove them one by one; every change is audited. Two
editors changing it at once both keep their terms: the brand row is locked for the change.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from app.models import Brand, User
from app.services import audit
from app.services.case_locks import hold_write_lock

SETTINGS_KEY = "proofreading_dictionary"
KINDS = ("marque", "produit", "lieu", "personne", "autre")
MAX_TERMS = 3000
MAX_TERM_CHARS = 60
MAX_IMPORT_BYTES = 500_000


class DictionaryError(ValueError):
    """The change cannot be made; the code says why (the view words it)."""


@dataclass(frozen=True)
class Term:
    term: str
    kind: str


def terms(brand: Brand) -> list[Term]:
    """The brand's terms, sorted (old plain-string entries read as kind "autre")."""
    raw = (brand.settings or {}).get(SETTINGS_KEY) or []
    found: dict[str, Term] = {}
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str):
            term, kind = item, "autre"
        elif isinstance(item, dict):
            term, kind = str(item.get("term", "")), str(item.get("kind", "autre"))
        else:
            continue
        if term.strip():
            found.setdefault(
                term.casefold(), Term(term.strip(), kind if kind in KINDS else "autre")
            )
    return sorted(found.values(), key=lambda t: (t.term.casefold(), t.term))


def words(brand: Brand) -> list[str]:
    """What proofreading accepts: each term, and each word of a term of several words."""
    out: list[str] = []
    for entry in terms(brand):
        out.append(entry.term)
        out.extend(w for w in entry.term.replace("-", " ").split() if w != entry.term)
    return out


def clean_term(raw: str) -> str:
    term = " ".join(raw.split())
    if not term:
        raise DictionaryError("empty")
    if len(term) > MAX_TERM_CHARS:
        raise DictionaryError("too_long")
    if any(ch in term for ch in "<>{}[]\\"):
        raise DictionaryError("characters")
    return term


def _locked(session: Session, brand: Brand) -> Brand:
    """The brand row, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite: the
    database's write lock, taken before reading)."""
    if session.get_bind().dialect.name == "sqlite":
        hold_write_lock(session)
    row = session.exec(select(Brand).where(Brand.id == brand.id).with_for_update()).one()
    session.refresh(row)
    return row


def _store(brand: Brand, entries: list[Term]) -> None:
    data = dict(brand.settings or {})
    data[SETTINGS_KEY] = [{"term": t.term, "kind": t.kind} for t in entries]
    brand.settings = data
    flag_modified(brand, "settings")


def add_terms(
    session: Session, brand: Brand, actor: User | None, raw_terms: list[str], kind: str
) -> list[str]:
    """Add terms (one kind for all); returns those that were new. Audited."""
    if kind not in KINDS:
        raise DictionaryError("kind")
    cleaned = [clean_term(t) for t in raw_terms if t.strip()]
    if not cleaned:
        raise DictionaryError("empty")
    row = _locked(session, brand)
    current = terms(row)
    known = {t.term.casefold() for t in current}
    added = []
    for term in cleaned:
        if term.casefold() not in known:
            known.add(term.casefold())
            current.append(Term(term, kind))
            added.append(term)
    if len(current) > MAX_TERMS:
        raise DictionaryError("too_many")
    if added:
        _store(row, current)
        session.add(row)
        audit.record(
            session=session,
            action="brand.dictionary_changed",
            target_type="brand",
            target_id=row.id,
            brand_id=row.id,
            actor=actor,
            after={"added": added[:50], "kind": kind, "count": len(added)},
        )
    return added


def remove_term(session: Session, brand: Brand, actor: User | None, term: str) -> bool:
    """Remove one term (case-insensitive); False when it was not there. Audited."""
    row = _locked(session, brand)
    current = terms(row)
    kept = [t for t in current if t.term.casefold() != term.strip().casefold()]
    if len(kept) == len(current):
        return False
    _store(row, kept)
    session.add(row)
    audit.record(
        session=session,
        action="brand.dictionary_changed",
        target_type="brand",
        target_id=row.id,
        brand_id=row.id,
        actor=actor,
        before={"removed": term.strip()},
    )
    return True


@dataclass(frozen=True)
class ImportResult:
    added: int
    already: int
    refused: list[tuple[int, str]]  # (line number, why)


def import_csv(session: Session, brand: Brand, actor: User | None, data: bytes) -> ImportResult:
    """`term;kind` lines (comma also accepted, kind optional, a header line skipped)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise DictionaryError("file_too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DictionaryError("encoding") from exc
    dialect = ";" if text.count(";") >= text.count(",") else ","
    by_kind: dict[str, list[str]] = {}
    refused: list[tuple[int, str]] = []
    for number, fields in enumerate(csv.reader(io.StringIO(text), delimiter=dialect), start=1):
        if not fields or not fields[0].strip():
            continue
        if number == 1 and fields[0].strip().casefold() in ("term", "terme", "mot"):
            continue
        kind = (fields[1].strip().casefold() if len(fields) > 1 else "") or "autre"
        if kind not in KINDS:
            refused.append((number, "kind"))
            continue
        try:
            by_kind.setdefault(kind, []).append(clean_term(fields[0]))
        except DictionaryError as exc:
            refused.append((number, str(exc)))
    added = total = 0
    for kind, batch in by_kind.items():
        total += len(batch)
        added += len(add_terms(session, brand, actor, batch, kind))
    return ImportResult(added=added, already=total - added, refused=refused)


def export_csv(brand: Brand) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["terme", "type"])
    for entry in terms(brand):
        # A spreadsheet would run a cell starting with = + - @ as a formula.
        cell = f"'{entry.term}" if entry.term[:1] in "=+-@" else entry.term
        writer.writerow([cell, entry.kind])
    return out.getvalue()
