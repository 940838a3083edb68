"""A brand's own lexicons: kept in the database, edited by its playbook editors, named by its
playbooks with `stored:` and handed to the playbook loader (which never reads the database)."""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

import playbooks
from app.models import Brand, BrandLexicon, Playbook, User, utcnow
from app.services import audit
from app.services.compiled_playbooks import compile_playbook

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")  # the playbook's identifier syntax
MAX_TEXT_CHARS = 200_000
MAX_TERM_CHARS = 200
MAX_TERMS = 5_000
MAX_LEXICONS_PER_BRAND = 200
ANY_LANGUAGE = "*"

# Stored lexicons seen by this process, by (id, version): a text is fetched once per version.
_SEEN: dict[tuple[int, int], playbooks.StoredLexicon] = {}
_SEEN_MAX = 512


class LexiconError(ValueError):
    """A lexicon change refused for a reason the editor can fix (message for the UI)."""

    status = 422


class LexiconConflict(LexiconError):
    """Someone saved the lexicon since the editor opened it."""

    status = 409


class LexiconInUse(LexiconError):
    """The lexicon is named by a playbook that still counts (published or draft)."""

    status = 409


def languages_for(brand: Brand) -> list[str]:
    """The languages a lexicon of this brand may be written in ("*": every language)."""
    return [*dict.fromkeys(brand.languages or ["fr"]), ANY_LANGUAGE]


def normalise_terms(text: str) -> str:
    """LF line ends, no trailing blanks, no blank lines at the ends (what is stored)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def check_terms(text: str) -> str:
    """The normalised text, or LexiconError naming the first problems (size, length, syntax)."""
    if len(text) > MAX_TEXT_CHARS:
        raise LexiconError(
            str(_l("Lexique trop long : %(max)s caractères au plus.", max=MAX_TEXT_CHARS))
        )
    if "\x00" in text:
        raise LexiconError(str(_l("Le lexique contient un caractère nul.")))
    text = normalise_terms(text)
    problems: list[str] = []
    count = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        written = line.strip()
        if not written or written.startswith("#"):
            continue
        count += 1
        if len(written) > MAX_TERM_CHARS:
            problems.append(
                str(
                    _l(
                        "ligne %(line)s : terme trop long (%(max)s caractères au plus)",
                        line=lineno,
                        max=MAX_TERM_CHARS,
                    )
                )
            )
    if count > MAX_TERMS:
        problems.insert(
            0, str(_l("%(count)s termes : %(max)s au plus.", count=count, max=MAX_TERMS))
        )
    if not problems:
        _entries, syntax = playbooks.parse_lexicon_text(text)
        problems = [
            str(_l("ligne %(line)s : %(message)s", line=line, message=message))
            for line, _col, message in syntax
        ]
    if problems:
        shown = problems[:10]
        if len(problems) > len(shown):
            shown.append(str(_l("… et %(n)s autres.", n=len(problems) - len(shown))))
        raise LexiconError("\n".join(shown))
    return text


def _check_language(brand: Brand, language: str) -> str:
    if language not in languages_for(brand):
        raise LexiconError(str(_l("Langue inconnue pour cette marque : %(lang)s", lang=language)))
    return language


def lexicons_of(*, session: Session, brand_id: int) -> list[BrandLexicon]:
    """The brand's stored lexicons, by name."""
    return list(
        session.exec(
            select(BrandLexicon)
            .where(BrandLexicon.brand_id == brand_id)
            .order_by(col(BrandLexicon.name))
        ).all()
    )


def usage(*, session: Session, brand_id: int) -> dict[str, list[int]]:
    """For each lexicon name, the numbers of the brand's published and draft playbooks that
    name it (archived versions do not count: they no longer triage anything)."""
    rows = session.exec(
        select(Playbook.number, Playbook.source).where(
            Playbook.brand_id == brand_id, col(Playbook.status).in_(("published", "draft"))
        )
    ).all()
    used: dict[str, list[int]] = {}
    for number, source in sorted(rows):
        for name in _referenced(source):
            used.setdefault(name, []).append(number)
    return used


def playbooks_using(*, session: Session, brand_id: int, name: str) -> list[int]:
    """Numbers of the brand's published and draft playbooks that name this lexicon."""
    return usage(session=session, brand_id=brand_id).get(name, [])


@lru_cache(maxsize=64)
def _referenced(source: str) -> frozenset[str]:
    return frozenset(playbooks.stored_lexicon_names(source))


def stored_for_playbook(
    *, session: Session, brand_id: int, source: str
) -> tuple[playbooks.StoredLexicon, ...]:
    """The brand's stored lexicons that a playbook text names, as the loader takes them.

    Only this brand's: a name another brand uses is simply not found. The tuple (names and
    versions) is part of the compiled-playbook cache key, so an edited lexicon recompiles the
    playbooks that use it, in every process, and leaves the others cached.
    """
    names = _referenced(source)
    if not names:
        return ()
    rows: list[tuple[int, int]] = list(
        session.exec(  # type: ignore[arg-type]
            select(BrandLexicon.id, BrandLexicon.version).where(
                BrandLexicon.brand_id == brand_id, col(BrandLexicon.name).in_(sorted(names))
            )
        ).all()
    )
    missing = [lex_id for lex_id, version in rows if (lex_id, version) not in _SEEN]
    found = [_SEEN[(lex_id, version)] for lex_id, version in rows if (lex_id, version) in _SEEN]
    if missing:
        for row in session.exec(select(BrandLexicon).where(col(BrandLexicon.id).in_(missing))):
            stored = playbooks.StoredLexicon(row.name, row.language, row.terms, row.version)
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            _SEEN[(row.id, row.version)] = stored  # type: ignore[index]
            found.append(stored)
    return tuple(sorted(found, key=lambda s: s.name))


def _check_published_still_loads(session: Session, brand: Brand, changed: BrandLexicon) -> None:
    """Refuse a change that would make the brand's live playbook fail to load (language)."""
    # Both live versions count: the normal playbook and the crisis variant.
    rows = session.exec(
        select(Playbook).where(Playbook.brand_id == brand.id, Playbook.status == "published")
    ).all()
    for row in rows:
        if changed.name in _referenced(row.source):
            _check_still_loads(session, row, changed)


def _check_still_loads(session: Session, row: Playbook, changed: BrandLexicon) -> None:
    others = [
        s
        for s in stored_for_playbook(session=session, brand_id=row.brand_id, source=row.source)
        if s.name != changed.name
    ]
    mine = playbooks.StoredLexicon(changed.name, changed.language, changed.terms, changed.version)
    try:
        compile_playbook(row.source, tuple(sorted([*others, mine], key=lambda s: s.name)))
    except playbooks.PlaybookError as exc:
        first = exc.errors[0]
        raise LexiconError(
            str(
                _l(
                    "La version publiée %(number)s ne se chargerait plus avec ce lexique : "
                    "%(message)s",
                    number=row.number,
                    message=first.message,
                )
            )
        ) from None


def create_lexicon(
    *, session: Session, brand: Brand, name: str, language: str, terms: str, actor: User | None
) -> BrandLexicon:
    """Store a new lexicon for the brand (its name is fixed: playbooks name it)."""
    name = name.strip()
    if not NAME_RE.match(name):
        raise LexiconError(
            str(
                _l(
                    "Nom invalide : minuscules, chiffres, « _ », « - » ou « . », commençant par "
                    "une lettre ou un chiffre (80 caractères au plus)."
                )
            )
        )
    language = _check_language(brand, language)
    text = check_terms(terms)
    existing = session.exec(
        select(BrandLexicon.name).where(BrandLexicon.brand_id == brand.id)
    ).all()
    if name in existing:
        raise LexiconError(str(_l("Un lexique porte déjà ce nom pour cette marque.")))
    if len(existing) >= MAX_LEXICONS_PER_BRAND:
        raise LexiconError(
            str(_l("%(max)s lexiques au plus par marque.", max=MAX_LEXICONS_PER_BRAND))
        )
    row = BrandLexicon(
        brand_id=brand.id,  # type: ignore[arg-type]
        name=name,
        language=language,
        terms=text,
        updated_by_id=actor.id if actor else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        action="lexicon.created",
        target_type="brand_lexicon",
        target_id=row.id,
        brand_id=brand.id,
        actor=actor,
        after={"name": name, "language": language, "terms": _count(text), "version": 1},
    )
    return row


def _count(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip() and not line.strip().startswith("#"))


def update_lexicon(
    *,
    session: Session,
    brand: Brand,
    lexicon: BrandLexicon,
    language: str,
    terms: str,
    expected_version: int,
    actor: User | None,
) -> BrandLexicon:
    """Save new terms (and language): the version goes up, playbooks naming it recompile.

    A conditional UPDATE on the version the editor started from: two editors saving at once
    cannot silently overwrite each other (the second gets LexiconConflict).
    """
    language = _check_language(brand, language)
    text = check_terms(terms)
    before = {
        "language": lexicon.language,
        "terms": _count(lexicon.terms),
        "version": lexicon.version,
    }
    if text == lexicon.terms and language == lexicon.language:
        return lexicon
    candidate = BrandLexicon(
        brand_id=lexicon.brand_id,
        name=lexicon.name,
        language=language,
        terms=text,
        version=expected_version + 1,
    )
    _check_published_still_loads(session, brand, candidate)
    changed = session.execute(
        update(BrandLexicon)
        .where(
            col(BrandLexicon.id) == lexicon.id,
            col(BrandLexicon.version) == expected_version,
        )
        .values(
            language=language,
            terms=text,
            version=expected_version + 1,
            updated_by_id=actor.id if actor else None,
            updated_at=utcnow(),
        )
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise LexiconConflict(
            str(
                _l(
                    "Ce lexique a été modifié entre-temps par quelqu'un d'autre : rechargez la "
                    "page pour voir sa dernière version."
                )
            )
        )
    session.refresh(lexicon)
    audit.record(
        session=session,
        action="lexicon.updated",
        target_type="brand_lexicon",
        target_id=lexicon.id,
        brand_id=lexicon.brand_id,
        actor=actor,
        before=before,
        after={"language": language, "terms": _count(text), "version": lexicon.version},
        note=lexicon.name,
    )
    return lexicon


def delete_lexicon(*, session: Session, lexicon: BrandLexicon, actor: User | None) -> None:
    """Delete a lexicon that no published or draft playbook names."""
    using = playbooks_using(session=session, brand_id=lexicon.brand_id, name=lexicon.name)
    if using:
        raise LexiconInUse(
            str(
                _l(
                    "Ce lexique est utilisé par les versions %(numbers)s du playbook : retirez-le "
                    "d'abord de ces versions.",
                    numbers=", ".join(str(n) for n in using),
                )
            )
        )
    audit.record(
        session=session,
        action="lexicon.deleted",
        target_type="brand_lexicon",
        target_id=lexicon.id,
        brand_id=lexicon.brand_id,
        actor=actor,
        before={"name": lexicon.name, "language": lexicon.language, "version": lexicon.version},
    )
    session.delete(lexicon)
