import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from crm.customers.schemas import AccountOut, ContactOut
from crm.money import Cents
from crm.pipeline.domain import LeadStatus, Stage


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    company: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    source: str = Field(max_length=30, examples=["web", "referral", "trade_show"])
    owner: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=50)
    industry: str | None = Field(default=None, max_length=100)
    estimated_amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)


class LeadStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: LeadStatus


class LeadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    first_name: str
    last_name: str
    company: str
    email: str | None
    phone: str | None
    source: str
    status: str
    owner: str | None
    region: str | None
    industry: str | None
    estimated_amount: Cents | None
    converted_account_id: uuid.UUID | None
    converted_contact_id: uuid.UUID | None
    converted_opportunity_id: uuid.UUID | None
    converted_at: datetime | None
    created_at: datetime
    version: int


class ConvertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opportunity_name: str | None = Field(default=None, max_length=200)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")
    expected_close: date | None = None
    account_id: uuid.UUID | None = Field(
        default=None, description="Attach to this existing account instead of opening one."
    )


class OpportunityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    name: str = Field(min_length=1, max_length=200)
    stage: Stage = Stage.PROSPECTING
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="EUR", pattern="^[A-Z]{3}$")
    probability: int | None = Field(default=None, ge=0, le=100)
    expected_close: date
    owner: str | None = Field(default=None, max_length=100)


class StageChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: Stage
    probability: int | None = Field(default=None, ge=0, le=100)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    expected_close: date | None = None


class StageChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_stage: str | None
    to_stage: str
    probability: int
    actor: str | None
    at: datetime


class OpportunityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    account_id: uuid.UUID
    contact_id: uuid.UUID | None
    name: str
    stage: str
    amount: Cents
    currency: str
    probability: int
    expected_close: date
    owner: str | None
    closed_at: datetime | None
    created_at: datetime
    version: int
    history: list[StageChangeOut]


class Conversion(BaseModel):
    account: AccountOut
    contact: ContactOut
    opportunity: OpportunityOut


class ForecastRowOut(BaseModel):
    key: str
    count: int
    amount: Cents
    weighted: Cents


class ForecastOut(BaseModel):
    group_by: str
    rows: list[ForecastRowOut]
    total_amount: Cents
    total_weighted: Cents
