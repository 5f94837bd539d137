import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from contracts.runtime.types import Amount, UtcDateTime
from erp.db import Base


class CreditHold(Base):
    """An order kept from reservation because it would exceed the customer's credit limit."""

    __tablename__ = "credit_holds"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    order_total: Mapped[Decimal] = mapped_column(Amount)
    open_receivables: Mapped[Decimal] = mapped_column(Amount)
    credit_limit: Mapped[Decimal] = mapped_column(Amount)
    status: Mapped[str] = mapped_column(String(20), index=True)  # held, released, cancelled
    held_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    release_reason: Mapped[str | None] = mapped_column(String(200))
    released_by: Mapped[str | None] = mapped_column(String(200))
