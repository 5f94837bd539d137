import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contracts.runtime.types import Amount, UtcDateTime
from crm.db import Base
from crm.sales.domain import QuoteStatus, quote_state


class Quote(Base):
    """Prices offered to a customer until ``valid_until``; accepting it makes the order."""

    __tablename__ = "quotes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    net_total: Mapped[Decimal] = mapped_column(Amount)
    tax_total: Mapped[Decimal] = mapped_column(Amount)
    total: Mapped[Decimal] = mapped_column(Amount)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["QuoteLine"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="QuoteLine.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def state(self) -> str:
        return quote_state(QuoteStatus(self.status), self.valid_until, date.today())


class QuoteLine(Base):
    __tablename__ = "quote_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    quote_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quotes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sku: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Amount)
    discount_percent: Mapped[Decimal] = mapped_column(Amount)
    tax_rate: Mapped[Decimal] = mapped_column(Amount)
    net_amount: Mapped[Decimal] = mapped_column(Amount)
    tax_amount: Mapped[Decimal] = mapped_column(Amount)
