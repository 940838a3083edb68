"""Past mentions from a CSV file, checked line by line before anything is imported.

The format (documented on the wizard's page and in README): a header row, then one mention a
line, separated by `;` or `,` (Excel in French writes `;`), UTF-8 with or without a BOM, fields
quoted with `"` when they hold the separator or line breaks.

Columns (in any order; others are ignored):
- `date` (required): when it was posted — `2026-11-30T14:05:00Z`, `2026-11-30 14:05`,
  `2026-11-30` or `30/11/2026 14:05`; without a zone, the brand's time;
- `platform` (required): x (or twitter), mastodon, bluesky, facebook, instagram, youtube,
  google_business, whatsapp, messenger, email, webhook;
- `author` (required): the author's handle or name;
- `text` (required): the mention's text;
- `url` (optional): its address on the platform;
- `id` (optional): its id on the platform (a file imported twice is then not imported twice).

A file with any bad line is refused whole, with every bad line named: nothing is half-imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

MAX_BYTES = 2 * 1024 * 1024  # the app refuses larger requests anyway (413)
MAX_ROWS = 20_000
MAX_DAYS = 90
MAX_TEXT = 10_000
MAX_ERRORS = 50  # listed; the count says how many in all
REQUIRED = ("date", "platform", "author", "text")
OPTIONAL = ("url", "id")
PLATFORM_ALIASES = {"twitter": "x", "tweet": "x", "fb": "facebook", "ig": "instagram"}
PLATFORMS = frozenset(
    {
        "x",
        "mastodon",
        "bluesky",
        "facebook",
        "instagram",
        "youtube",
        "google_business",
        "whatsapp",
        "messenger",
        "email",
        "webhook",
    }
)
_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_FORMATS += ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


class CsvRefused(ValueError):
    """The whole file is refused (not UTF-8, too large, no header…); the message says why."""


@dataclass
class ParsedHistory:
    """The checked rows, ready for the import job, or the lines that are wrong."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, message: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(str(message))


def _parse_date(raw: str, tz: ZoneInfo) -> datetime | None:
    value = raw.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def _separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_history_csv(
    data: bytes, *, now: datetime, timezone: str = "Europe/Paris", max_rows: int = MAX_ROWS
) -> ParsedHistory:
    """Check a CSV file of past mentions; raises CsvRefused when the file itself is unusable."""
    if len(data) > MAX_BYTES:
        raise CsvRefused(
            _l("Fichier trop volumineux : 2 Mo au plus ; découpez-le en plusieurs fichiers.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvRefused(_l("Le fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8.")) from exc
    if "\x00" in text:
        raise CsvRefused(_l("Le fichier n'est pas en UTF-8 : réenregistrez-le en UTF-8."))
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise CsvRefused(_l("Le fichier est vide ou n'a pas de ligne d'en-tête."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise CsvRefused(_l("Le fichier est vide ou n'a pas de ligne d'en-tête.")) from exc
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvRefused(
            _l(
                "Colonnes manquantes : %(columns)s (attendu : date, platform, author, text, "
                "et si vous les avez url, id).",
                columns=", ".join(missing),
            )
        )
    tz = _zone(timezone)
    index = {name: header.index(name) for name in REQUIRED + OPTIONAL if name in header}
    result = ParsedHistory()
    seen: dict[str, int] = {}
    oldest = now - timedelta(days=MAX_DAYS)
    try:
        for record in reader:
            line = reader.line_num  # the file's line where this record ends
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) + result.error_count >= max_rows:
                raise CsvRefused(
                    _l("Trop de lignes : %(max)s mentions au plus par fichier.", max=max_rows)
                )
            row = _check(record, index, line, tz, now, oldest, result)
            if row is None:
                continue
            if row["id"] in seen:
                result.add_error(
                    _l(
                        "Ligne %(line)s : même identifiant que la ligne %(other)s.",
                        line=line,
                        other=seen[row["id"]],
                    )
                )
                continue
            seen[row["id"]] = line
            result.rows.append(row)
    except csv.Error as exc:
        raise CsvRefused(
            _l("Ligne %(line)s : CSV illisible (%(error)s).", line=reader.line_num, error=exc)
        ) from exc
    if not result.rows and not result.error_count:
        raise CsvRefused(_l("Le fichier ne contient aucune mention."))
    return result


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("Europe/Paris")


def _check(
    record: list[str],
    index: dict[str, int],
    line: int,
    tz: ZoneInfo,
    now: datetime,
    oldest: datetime,
    result: ParsedHistory,
) -> dict[str, Any] | None:
    def cell(name: str) -> str:
        at = index.get(name)
        return record[at].strip() if at is not None and at < len(record) else ""

    raw_date, text = cell("date"), cell("text")
    platform = cell("platform").lower()
    platform = PLATFORM_ALIASES.get(platform, platform)
    author = cell("author")
    before = result.error_count
    posted = _parse_date(raw_date, tz) if raw_date else None
    if posted is None:
        result.add_error(
            _l("Ligne %(line)s : date illisible « %(value)s ».", line=line, value=raw_date[:40])
        )
    elif posted < oldest:
        result.add_error(
            _l(
                "Ligne %(line)s : date plus ancienne que %(days)s jours (%(value)s).",
                line=line,
                days=MAX_DAYS,
                value=raw_date[:40],
            )
        )
    elif posted > now + timedelta(days=1):
        result.add_error(
            _l("Ligne %(line)s : date dans le futur (%(value)s).", line=line, value=raw_date[:40])
        )
    if platform not in PLATFORMS:
        result.add_error(
            _l(
                "Ligne %(line)s : plateforme inconnue « %(value)s ».",
                line=line,
                value=platform[:40],
            )
        )
    if not author:
        result.add_error(_l("Ligne %(line)s : auteur manquant.", line=line))
    if not text:
        result.add_error(_l("Ligne %(line)s : texte manquant.", line=line))
    elif len(text) > MAX_TEXT:
        result.add_error(
            _l("Ligne %(line)s : texte trop long (10 000 caractères au plus).", line=line)
        )
    url = cell("url")
    if url and not url.lower().startswith(("https://", "http://")):
        result.add_error(_l("Ligne %(line)s : adresse web invalide.", line=line))
    if result.error_count > before or posted is None:
        return None
    given = cell("id")[:200]
    digest = hashlib.sha256(f"{posted.isoformat()}|{author}|{text}".encode()).hexdigest()[:24]
    return {
        "id": f"{platform}:{given}" if given else f"sha:{digest}",
        "posted_at": posted.isoformat(),
        "platform": platform,
        "author": author[:200],
        "text": text,
        "url": url[:1000] or None,
    }
