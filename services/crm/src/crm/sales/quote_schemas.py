import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from crm.money import Cents
from crm.sales.schemas import OrderLineIn


class QuoteIn(BaseModel):
    """Lines name catalog products; prices, tax and totals are computed by the server."""

    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    opportunity_id: uuid.UUID | None = None
    owner: str | None = Field(default=None, max_length=100)
    valid_until: date | None = Field(default=None, description="Default: 30 days from today.")
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)


class QuoteLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    sku: str
    description: str
    quantity: int
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal
    net_amount: Cents
    tax_amount: Cents


class QuoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    account_id: uuid.UUID
    opportunity_id: uuid.UUID | None
    owner: str | None
    status: str
    state: str = Field(description="status, or expired for an open quote past valid_until")
    currency: str
    net_total: Cents
    tax_total: Cents
    total: Cents
    valid_until: date
    order_id: uuid.UUID | None
    accepted_at: datetime | None
    created_at: datetime
    version: int
    lines: list[QuoteLineOut]
