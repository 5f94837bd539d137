from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from erp.finance.schemas import Cents

AccountKind = Literal["asset", "liability", "equity", "revenue", "expense"]


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[0-9]{3,10}$", examples=["6100"])
    name: str = Field(min_length=1, max_length=200, examples=["Travel"])
    kind: AccountKind


class AccountPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    active: bool | None = None


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    system: bool
    active: bool
    version: int


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: str = Field(pattern=r"^[0-9]{3,10}$")
    debit: Cents = Decimal("0")
    credit: Cents = Decimal("0")


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_date: date
    description: str = Field(min_length=1, max_length=200)
    lines: list[LineIn] = Field(min_length=2, max_length=100)


class ReverseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=150)
    entry_date: date | None = Field(default=None, description="Default: today.")


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_code: str
    debit: Decimal
    credit: Decimal


class EntryOut(BaseModel):
    id: int
    entry_date: date
    description: str
    source: str
    source_id: str
    reverses_id: int | None
    total: Decimal
    actor: str | None
    posted_at: datetime
    lines: list[LineOut]


class PeriodOut(BaseModel):
    period: str
    status: Literal["open", "closed"]
    closed_at: datetime | None = None
    closed_by: str | None = None
