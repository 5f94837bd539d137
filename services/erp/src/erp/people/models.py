import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class Employee(Base):
    """A member of staff; sales reps are the users CRM names as account and order owners."""

    __tablename__ = "employees"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CommissionRule(Base):
    """A commission rate on paid net revenue, for one rep (or everyone, when ``username``
    is None), from a date on.  The newest rule in force wins; a rep's own beats the default."""

    __tablename__ = "commission_rules"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str | None] = mapped_column(String(100), index=True)
    rate: Mapped[Decimal] = mapped_column(Amount)
    valid_from: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)

    # The upper bound (1) is checked in the use case: on SQLite an Amount is stored scaled,
    # so only scale-free comparisons belong in a CHECK.
    __table_args__ = (CheckConstraint("rate >= 0", name="rate_not_negative"),)
