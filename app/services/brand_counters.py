"""A per-brand counter bumped by every committed transaction that changed what it tracks: the
one way readers in any process learn that rows they keep are stale (queue_changes: what a queue
shows; canned_changes: a brand's canned replies).

What counts is found in one place, the session's events, not in each writer:
- objects of the tracked classes flushed (new, deleted, or with a column changed besides the
  class's ignored ones), by their brand;
- INSERT/UPDATE/DELETE statements on the tracked tables run through a session, by the
  `brand_id` of their parameters or the brands their caller declares (`declare(stmt, ...)`;
  `()`: nothing tracked changes); a statement that says neither goes to `unscoped`, which the
  counter's owner decides (every brand, EVERY, for both today);
- raw SQL (`text()`) is not seen: its callers `note(session, brand_id)`.

When: at commit (`before_commit`), once per brand however many writes the transaction made, in
one upsert in brand-id order (two transactions never wait on each other's rows in a cycle; the
upsert is atomic on both databases, so two writers never lose a bump). A savepoint released or
rolled back neither bumps nor forgets: the outermost transaction does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Executable, bindparam, event, inspect, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from app.models import Brand

EVERY = 0  # no brand has id 0: "every brand" in a noted set
S = TypeVar("S", bound=Executable)


class BrandCounter:
    """One counter table (brand_id, n) and the session events that bump it."""

    def __init__(
        self,
        name: str,
        table: Any,
        tracked: tuple[type, ...],
        *,
        unscoped: Callable[[ORMExecuteState], None],
        ignored: Mapping[type, frozenset[str]] | None = None,
        first: Callable[[], int] = lambda: 1,
    ) -> None:
        self.changed_key = f"vigie_{name}_changed"  # session.info: brands to bump at commit
        self.option = f"vigie_{name}_brands"  # a statement's execution option: its brands
        self.table = table
        self.tracked = tracked
        self.tracked_tables = frozenset(m.__tablename__ for m in tracked)  # type: ignore[attr-defined]
        self.ignored = dict(ignored or {})
        self._unscoped = unscoped
        self._first = first  # a new row's value
        self._bumps: dict[tuple[str, bool], Executable] = {}
        self._counter = select(table.c.n).where(table.c.brand_id == bindparam("brand_id"))
        event.listen(OrmSession, "before_flush", self._note_flushed)
        event.listen(OrmSession, "do_orm_execute", self._note_statement)
        event.listen(OrmSession, "before_commit", self._bump_at_commit)
        event.listen(OrmSession, "after_transaction_end", self._forget)

    def declare(self, stmt: S, brand_ids: Iterable[int]) -> S:
        """The statement with the brands whose tracked rows it changes (`()`: none)."""
        return stmt.execution_options(**{self.option: tuple(brand_ids)})

    def note(self, session: OrmSession, brand_id: int) -> None:
        """This transaction changed the brand's tracked rows (for writes the events miss)."""
        session.info.setdefault(self.changed_key, set()).add(brand_id)

    def noted(self, session: OrmSession, brand_id: int) -> bool:
        """Whether this transaction noted a change of the brand's rows, not committed yet."""
        found: set[int] = session.info.get(self.changed_key) or set()
        return brand_id in found or EVERY in found

    def counter(self, session: OrmSession, brand_id: int) -> int:
        """The brand's counter, 0 for one never bumped."""
        found = session.connection().execute(self._counter, {"brand_id": brand_id}).scalar()
        return int(found or 0)

    def counters(
        self, session: OrmSession, brand_ids: Iterable[int]
    ) -> tuple[tuple[int, int], ...]:
        """(brand id, counter) for each brand, in id order, 0 for one never bumped: one
        statement."""
        ids = sorted(set(brand_ids))
        if not ids:
            return ()
        table = self.table
        stmt = select(table.c.brand_id, table.c.n).where(table.c.brand_id.in_(ids))
        found: dict[int, int] = {b: n for b, n in session.connection().execute(stmt)}
        return tuple((b, int(found.get(b, 0))) for b in ids)

    def bump(self, session: OrmSession, brand_ids: Iterable[int]) -> None:
        """One more on each brand's counter (EVERY: all brands), in id order, in the session's
        transaction, in one statement; a brand without a row gets one, a brand deleted
        meanwhile none (its row would break the foreign key)."""
        connection = session.connection()
        ids = set(brand_ids)
        every = EVERY in ids
        params: dict[str, Any] = {"first": self._first()}
        if not every:
            params["ids"] = sorted(ids)
        connection.execute(self._bump_statement(connection.dialect.name, every), params)

    def _bump_statement(self, dialect: str, every: bool) -> Executable:
        # Built once per dialect and kind (every brand, or those listed): building it anew (and
        # its cache key) cost ~0.1 ms on every commit that changed something.
        stmt = self._bumps.get((dialect, every))
        if stmt is None:
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            brand_id: Any = Brand.id
            chosen = true() if every else brand_id.in_(bindparam("ids", expanding=True))
            rows = select(brand_id, bindparam("first", type_=BigInteger())).where(chosen)
            table = self.table
            stmt = self._bumps[(dialect, every)] = (
                insert(table)
                .from_select(["brand_id", "n"], rows.order_by(brand_id))
                .on_conflict_do_update(index_elements=["brand_id"], set_={"n": table.c.n + 1})
            )
        return stmt

    def _brand_of(self, obj: Any) -> int | None:
        return obj.id if isinstance(obj, Brand) else getattr(obj, "brand_id", None)

    def _changed(self, obj: Any) -> bool:
        ignored = self.ignored.get(type(obj), frozenset())
        return any(a.key not in ignored and a.history.has_changes() for a in inspect(obj).attrs)

    def _note_flushed(self, session: OrmSession, _context: Any, _instances: Any) -> None:
        tracked = self.tracked
        for obj in (*session.new, *session.deleted):
            if isinstance(obj, tracked) and (brand := self._brand_of(obj)) is not None:
                self.note(session, brand)
        for obj in session.dirty:
            if (
                isinstance(obj, tracked)
                and (brand := self._brand_of(obj)) is not None
                and self._changed(obj)
            ):
                self.note(session, brand)

    def _note_statement(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        if (
            getattr(getattr(state.statement, "table", None), "name", None)
            not in self.tracked_tables
        ):
            return
        declared = state.execution_options.get(self.option)
        if declared is not None:
            for brand in declared:
                self.note(state.session, brand)
            return
        params: Any = state.parameters
        rows: list[Any] = params if isinstance(params, list) else [params] if params else []
        brands = {row.get("brand_id") for row in rows}
        if rows and None not in brands:
            for brand in brands:
                self.note(state.session, brand)  # type: ignore[arg-type]
        else:
            self._unscoped(state)

    def _bump_at_commit(self, session: OrmSession) -> None:
        if session.in_nested_transaction():
            return  # a savepoint released: the transaction's commit bumps
        if session.new or session.dirty or session.deleted:
            session.flush()  # its objects are noted by before_flush
        brands = session.info.pop(self.changed_key, None)
        if brands:
            self.bump(session, brands)

    def _forget(self, session: OrmSession, transaction: Any) -> None:
        # The outermost transaction's end only: `after_rollback` also fires for a savepoint
        # rolled back (a duplicate mention on SQLite) and forgot the brands the transaction's
        # earlier writes had noted, so their commit bumped nothing.
        if transaction.parent is None:
            session.info.pop(self.changed_key, None)
