"""Brand isolation in one place: every brand-owned query goes through a BrandScope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import bindparam
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Brand, Membership, User
from app.security.roles import ROLE_PERMISSIONS

T = TypeVar("T")
# The brand setting by which an admin requires two-factor of every member (app.security.totp).
TWO_FACTOR_SETTING = "require_2fa"


# The user's memberships with their brands' rows, built once (every signed-in request reads
# them): building the statement cost about as much CPU as running it.
_MEMBERSHIPS = (
    select(Membership.brand_id, Membership.role, Brand)
    .join(Brand, col(Brand.id) == Membership.brand_id)
    .where(Membership.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class BrandScope:
    """The brands a user may act on, per permission, loaded once per request."""

    user_id: int | None
    roles_by_brand: dict[int, frozenset[str]] = field(default_factory=dict)
    # A platform-wide superadmin (made by the CLI): admin of every brand, manages any user.
    superadmin: bool = False
    # The memberships themselves (roles held, not the superadmin's), and the brands among them
    # that require two-factor of their members: the same read answers totp.is_required.
    member_roles: frozenset[str] = frozenset()
    two_factor_brands: frozenset[int] = frozenset()
    # The brands' rows, read with the memberships and held for the request: pages that show
    # brands (the queue's rows, the waves) find them in the session instead of reading them.
    brands: dict[int, Brand] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_user(
        cls,
        session: Session,
        user: User | None,
        memberships: Sequence[tuple[int, str, Brand]] | None = None,
    ) -> BrandScope:
        """`memberships`: the user's (brand id, role, brand), when the caller read them (the
        signed-in request reads them with the user); read here otherwise."""
        if user is None or user.id is None:
            return cls(None, {})
        rows = (
            memberships
            if memberships is not None
            else session.exec(_MEMBERSHIPS, params={"user_id": user.id}).all()
        )
        roles: dict[int, set[str]] = {}
        brands: dict[int, Brand] = {}
        for brand_id, role, brand in rows:
            roles.setdefault(brand_id, set()).add(role)
            brands[brand_id] = brand
        members = frozenset(role for _, role, _ in rows)
        two_factor = frozenset(
            b for b, brand in brands.items() if (brand.settings or {}).get(TWO_FACTOR_SETTING)
        )
        if user.is_superadmin:
            for stored in session.exec(select(Brand)).all():
                if stored.id is not None:  # a stored brand always has its id
                    roles.setdefault(stored.id, set()).add("admin")
                    brands[stored.id] = stored
        return cls(
            user.id,
            {brand: frozenset(r) for brand, r in roles.items()},
            user.is_superadmin,
            members,
            two_factor,
            brands,
        )

    def roles(self, brand_id: int) -> frozenset[str]:
        return self.roles_by_brand.get(brand_id, frozenset())

    def can(self, permission: str, brand_id: int | None = None) -> bool:
        """Whether the user holds the permission on this brand (or on any brand)."""
        brands = [brand_id] if brand_id is not None else list(self.roles_by_brand)
        return any(
            permission in ROLE_PERMISSIONS.get(role, ())
            for brand in brands
            for role in self.roles(brand)
        )

    def brand_ids(self, permission: str) -> list[int]:
        """The brands on which the user holds a permission, sorted."""
        return sorted(b for b in self.roles_by_brand if self.can(permission, b))

    @property
    def all_roles(self) -> frozenset[str]:
        return frozenset(r for roles in self.roles_by_brand.values() for r in roles)

    def select(self, model: type[T], permission: str) -> SelectOfScalar[T]:
        """A SELECT of a brand-owned model restricted to the brands allowed for a permission."""
        column: Any = model.id if model is Brand else model.brand_id  # type: ignore[attr-defined]
        return select(model).where(column.in_(self.brand_ids(permission)))

    def get_or_404(self, session: Session, model: type[T], record_id: int, permission: str) -> T:
        """Load one brand-owned record, or answer 404 when it is missing or belongs elsewhere."""
        record = session.get(model, record_id)
        brand_id = getattr(record, "id" if model is Brand else "brand_id", None)
        if record is None or brand_id not in self.brand_ids(permission):
            abort(404)
        return record

    def require(self, permission: str, brand_id: int | None = None) -> None:
        """Answer 403 unless the user holds the permission (on the brand, when given)."""
        if not self.can(permission, brand_id):
            abort(403)
