import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class EmployeeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(
        min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.@\-]+$", examples=["anna"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Anna Nowak"])
    email: str | None = Field(default=None, max_length=200)


class EmployeeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str
    name: str
    email: str | None
    active: bool
    created_at: datetime


class CommissionRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str | None = Field(default=None, description="null: the default for every rep.")
    rate: Decimal = Field(ge=0, le=1, max_digits=6, decimal_places=4, examples=["0.05"])
    valid_from: date


class CommissionRuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    username: str | None
    rate: Decimal
    valid_from: date
    created_at: datetime


class CommissionLine(BaseModel):
    invoice_id: uuid.UUID
    invoice_number: str
    order_id: uuid.UUID | None
    account_id: uuid.UUID
    paid_on: date
    net_revenue: Decimal
    rate: Decimal
    commission: Decimal


class CommissionStatementOut(BaseModel):
    employee: str
    period: str
    lines: list[CommissionLine]
    total_net_revenue: Decimal
    total_commission: Decimal
