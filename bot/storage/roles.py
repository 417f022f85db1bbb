"""Who may send broadcasts: staff (everyone) and cadres (only their own kelurahan or kecamatan)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Database
from bot.storage.models import Base

STAFF = "staff"
CADRE = "cadre"
# Kemendagri codes: city/regency "14.71" (an office), kecamatan "14.71.01", kelurahan/desa "14.71.01.1002".
REGION_CODE = re.compile(r"^\d{2}\.\d{2}$")
KECAMATAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
KELURAHAN_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


class Role(Base):
    """One user's role; a cadre's `area_code` is the only area they may reach, a staff member's their office."""

    __tablename__ = "roles"

    user_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    granted_by: Mapped[str] = mapped_column(String(128), default="")
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Grant:
    user_key: str
    role: str
    area_code: str | None

    @property
    def is_staff(self) -> bool:
        return self.role == STAFF

    @property
    def office(self) -> str | None:
        """The region code of the office the role belongs to; None for staff of every office."""
        return ".".join(self.area_code.split(".")[:2]) if self.area_code else None

    def may_reach(self, area_code: str | None) -> bool:
        """Who a role may reach: `area_code` None means everyone, a region code everyone of that office.

        Staff of every office reach everyone; staff of one office (area_code "14.71") its residents;
        a cadre only their own area or a kelurahan inside their kecamatan.
        """
        if self.is_staff and self.area_code is None:
            return True
        if not area_code or not self.area_code:
            return False
        return area_code == self.area_code or area_code.startswith(self.area_code + ".")


def area_level(code: str) -> str | None:
    """'kelurahan', 'kecamatan', 'region' or None for a string that is not a Kemendagri code of these."""
    if KELURAHAN_CODE.match(code):
        return "kelurahan"
    if KECAMATAN_CODE.match(code):
        return "kecamatan"
    if REGION_CODE.match(code):
        return "region"
    return None


async def grant(db: Database, user_key: str, role: str, area_code: str | None, granted_by: str = "") -> None:
    """Give a role (replacing any earlier one): a cadre needs a kelurahan or kecamatan code; staff may
    have the region code of their one office (14.71), or None for every office."""
    if role not in (STAFF, CADRE):
        raise ValueError(f"unknown role {role!r}")
    if role == CADRE and (area_code is None or area_level(area_code) not in ("kelurahan", "kecamatan")):
        raise ValueError("a cadre needs a kelurahan (14.71.01.1002) or kecamatan (14.71.01) code")
    if role == STAFF and area_code is not None and area_level(area_code) != "region":
        raise ValueError("staff of one office need its region code (14.71), or none for every office")
    async with db.session() as session:
        row = await session.get(Role, user_key)
        now = datetime.now(UTC)
        if row is None:
            session.add(Role(user_key=user_key, role=role, area_code=area_code, granted_by=granted_by, granted_at=now))
        else:
            row.role, row.area_code, row.granted_by, row.granted_at = role, area_code, granted_by, now


async def revoke(db: Database, user_key: str) -> bool:
    """Take any role away; True if there was one."""
    async with db.session() as session:
        result = await session.execute(delete(Role).where(Role.user_key == user_key))
        return bool(getattr(result, "rowcount", 0))


async def role_of(db: Database, user_key: str) -> Grant | None:
    async with db.session() as session:
        row = await session.get(Role, user_key)
        return None if row is None else Grant(row.user_key, row.role, row.area_code)


async def all_roles(db: Database) -> list[Grant]:
    async with db.session() as session:
        rows = await session.scalars(select(Role).order_by(Role.role, Role.user_key))
        return [Grant(r.user_key, r.role, r.area_code) for r in rows]
