"""The audit trail of a brand: who did what, when, with before/after; filterable, exportable."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.extensions import db
from app.models import AuditEvent, Brand
from app.params import digits
from app.security.auth import permission_required

bp = Blueprint("audit", __name__, url_prefix="/audit")
AUDIT = "audit.view"
PAGE_SIZE = 200
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class AuditFilters:
    brand_id: int | None
    start: date | None
    end: date | None
    action: str

    @classmethod
    def from_args(cls, args: Any) -> AuditFilters:
        """Read the filters from the query string, ignoring malformed values."""

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat((args.get(name) or "").strip())
            except ValueError:
                return None

        brand = (args.get("brand") or "").strip()
        return cls(
            brand_id=int(brand) if digits(brand) else None,
            start=day("from"),
            end=day("to"),
            action=(args.get("action") or "").strip()[:64],
        )

    def to_args(self) -> dict[str, str]:
        values = {
            "brand": str(self.brand_id or ""),
            "from": self.start.isoformat() if self.start else "",
            "to": self.end.isoformat() if self.end else "",
            "action": self.action,
        }
        return {k: v for k, v in values.items() if v}


def _query(filters: AuditFilters) -> SelectOfScalar[AuditEvent]:
    allowed = g.scope.brand_ids(AUDIT)
    if filters.brand_id is not None and filters.brand_id not in allowed:
        abort(404)
    brand_ids = [filters.brand_id] if filters.brand_id else allowed
    stmt = select(AuditEvent).where(col(AuditEvent.brand_id).in_(brand_ids))
    if filters.start:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(filters.start, time(), UTC))
    if filters.end:
        end = datetime.combine(filters.end + timedelta(days=1), time(), UTC)
        stmt = stmt.where(AuditEvent.created_at < end)
    if filters.action:
        # A prefix: "reply." lists every reply action.
        stmt = stmt.where(col(AuditEvent.action).startswith(filters.action, autoescape=True))
    return stmt.order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())


@bp.get("")
@permission_required(AUDIT)
def index() -> Any:
    """The audit page: the latest events of the user's brands, filtered."""
    filters = AuditFilters.from_args(request.args)
    events = list(db().exec(_query(filters).limit(PAGE_SIZE)))
    brands = list(db().exec(g.scope.select(Brand, AUDIT).order_by(Brand.name)))
    actions = sorted(
        db()
        .exec(
            select(AuditEvent.action)
            .where(col(AuditEvent.brand_id).in_(g.scope.brand_ids(AUDIT)))
            .distinct()
        )
        .all()
    )
    return render_template(
        "audit/index.html",
        events=events,
        brands=brands,
        brand_names={b.id: b.name for b in brands},
        actions=actions,
        filters=filters,
        limit=PAGE_SIZE,
    )


def _cell(value: Any) -> str:
    text = "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
    # Spreadsheets run cells starting with = + - @ as formulas: neutralise them.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _safe(text: str | None) -> str:
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/export.csv")
@permission_required(AUDIT)
def export() -> Any:
    """The filtered audit trail as a CSV file (UTF-8 with BOM, for spreadsheets)."""
    filters = AuditFilters.from_args(request.args)
    brands = {b.id: b.slug for b in db().exec(g.scope.select(Brand, AUDIT))}
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "id",
            "created_at",
            "brand",
            "actor",
            "action",
            "target_type",
            "target_id",
            "case_id",
            "before",
            "after",
            "note",
        ]
    )
    for event in db().exec(_query(filters).limit(EXPORT_LIMIT)):
        writer.writerow(
            [
                event.id,
                event.created_at.isoformat(),
                brands.get(event.brand_id, ""),
                _safe(event.actor_label),
                event.action,
                event.target_type,
                event.target_id if event.target_id is not None else "",
                event.case_id if event.case_id is not None else "",
                _cell(event.before),
                _cell(event.after),
                _safe(event.note),
            ]
        )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="vigie-audit-{stamp}.csv"'},
    )
